"""Every page type is valid HTML (W3C Nu checker) and passes axe-core with no serious or
critical violation, at desktop width and on a 390-px phone. Screenshots of each are kept
under tests/artifacts/ for a person to look at.

The tools come from npm (tests/browser, installed by `make test`) and Debian (Chromium,
Java; installed by .ci/run). When one is missing the tests fail with a clear message: a
skipped accessibility check would hide a regression.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Category, Producer, Product
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve

TOOLS = Path(__file__).resolve().parent / "browser" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


def require(path: Path, how: str) -> Path:
    if not path.exists():
        raise RuntimeError(f"{path.name} is missing: {how}")
    return path


@pytest.fixture(scope="module")
def page_urls(demo_app: Flask) -> dict[str, str]:
    """One URL per page type, with real content from the demo catalogue."""
    with demo_app.app_context():
        product = db.session.scalars(
            select(Product).where(Product.province_recorded_as.is_not(None))
        ).first()
        producer = db.session.scalars(select(Producer).where(Producer.products.any())).first()
        category = db.session.scalars(select(Category)).first()
        urls = {
            "home": "/",
            "products": "/san-pham?sao=4&sap-xep=sao",
            "product": f"/san-pham/{product.slug}",
            "producer": f"/co-so/{producer.slug}",
            "province": "/tinh/bac-ninh",
            "category": f"/nhom/{category.slug}",
            "search": "/tim-kiem?q=ca+phe",
            "search-empty": "/tim-kiem?q=khongcogiheta",
            "not-found": "/khong-co-trang-nay",
            "register": "/tai-khoan/dang-ky",
            "login": "/tai-khoan/dang-nhap",
        }
        db.session.remove()
    return urls


def test_every_page_type_is_valid_html(demo_app: Flask, page_urls: dict[str, str], tmp_path):
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("Java is missing: the Nu HTML checker needs it (.ci/run installs it)")
    jar = require(VNU_JAR, "run `make test` (npm ci --prefix tests/browser)")
    files = []
    client = demo_app.test_client()
    for name, url in page_urls.items():
        html = client.get(url).get_data(as_text=True)
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]
    assert problems == []


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    chromium = require_chromium()
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.mark.slow
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_pass_axe_and_fit_the_screen(
    demo_app: Flask, page_urls: dict[str, str], browser, viewport: str
):
    axe = require(AXE_JS, "run `make test` (npm ci --prefix tests/browser)").read_text()
    width, height = VIEWPORTS[viewport]
    ARTIFACTS.mkdir(exist_ok=True)
    failures = []
    with serve(demo_app) as base:
        page = browser.new_page(viewport={"width": width, "height": height})
        for name, url in page_urls.items():
            page.goto(base + url, wait_until="networkidle")
            page.add_script_tag(content=axe)
            result = page.evaluate("async () => await axe.run(document)")
            for violation in result["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [n["target"] for n in violation["nodes"][:3]]
                    failures.append(f"{name}: {violation['id']} {targets}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                failures.append(f"{name}: scrolls sideways by {overflow}px at {width}px")
            page.screenshot(path=str(ARTIFACTS / f"{name}-{viewport}.png"), full_page=True)
        page.close()
    assert failures == []
