"""Every page type is valid HTML (W3C Nu checker) and passes axe-core with no serious or
critical violation, at desktop width and on a 390-px phone. Screenshots of each are kept
under tests/artifacts/ for a person to look at.

The tools come from npm (tests/browser, installed by `make test`) and Debian (Chromium,
Java; installed by .ci/run). When one is missing the tests fail with a clear message: a
skipped accessibility check would hide a regression.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Category, Producer, Product
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve
from tests.page_checks import VIEWPORTS, axe_script, html_problems, page_problems


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
    client = demo_app.test_client()
    documents = {name: client.get(url).get_data(as_text=True) for name, url in page_urls.items()}
    assert html_problems(documents, tmp_path) == []


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
    axe = axe_script()
    width, height = VIEWPORTS[viewport]
    failures = []
    with serve(demo_app) as base:
        page = browser.new_page(viewport={"width": width, "height": height})
        for name, url in page_urls.items():
            page.goto(base + url, wait_until="networkidle")
            failures += page_problems(page, name, axe, impacts=("serious", "critical"))
        page.close()
    assert failures == []
