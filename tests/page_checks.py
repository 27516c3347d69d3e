"""Shared page checks: the W3C Nu HTML checker over rendered documents, and axe-core plus a
no-sideways-scroll check on a page open in Chromium. Missing tools fail loudly, never skip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.live_server import CHROMIUM_ARGS, require_chromium, serve

TOOLS = Path(__file__).resolve().parent / "browser" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
SETUP_HINT = "run `make test` (npm ci --prefix tests/browser)"


def require(path: Path, how: str) -> Path:
    if not path.exists():
        raise RuntimeError(f"{path.name} is missing: {how}")
    return path


def html_problems(documents: dict[str, str], tmp_path: Path) -> list[str]:
    """Nu checker errors for each named HTML document, as "name.html:line: message"."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("Java is missing: the Nu HTML checker needs it (.ci/run installs it)")
    jar = require(VNU_JAR, SETUP_HINT)
    files = []
    for name, html in documents.items():
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
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]


def axe_script() -> str:
    return require(AXE_JS, SETUP_HINT).read_text()


def page_problems(
    page: Any,
    name: str,
    axe: str,
    *,
    impacts: tuple[str, ...] | None = None,
    shot: Path | None = None,
) -> list[str]:
    """axe-core violations (all, or only those of the given impacts) and sideways scrolling
    of the page currently open. Saves a full-page screenshot at `shot` when given (the
    browser journeys), else under tests/artifacts/ as <name>-<width>.png only when
    CHOVIET_TEST_SCREENSHOTS=1: encoding hundreds of full-page PNGs is a large share of the
    suite's time, and nobody looks at them on a passing run."""
    # Evaluated through DevTools, not added as an inline <script>: the pages' Content
    # Security Policy (script-src 'self') would block that, and must stay in force.
    page.evaluate(axe + "\n;0")
    # Only violations are read: asking for no passes spares axe most of its work.
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    problems = [
        f"{name}: {v['id']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if impacts is None or v["impact"] in impacts
    ]
    width = page.viewport_size["width"]
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"{name}: scrolls sideways by {overflow}px at {width}px")
    if shot is None and os.environ.get("CHOVIET_TEST_SCREENSHOTS") == "1":
        shot = ARTIFACTS / f"{name}-{width}.png"
    if shot is not None:
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
    return problems


def rendered(
    client: FlaskClient, pages: Mapping[str, str], *, statuses: Mapping[str, int] | None = None
) -> dict[str, str]:
    """HTML of each named page as `client` gets it, for html_problems. Each answer must have
    its status in `statuses` (by page name), 200 for pages not named there."""
    documents = {}
    for name, url in pages.items():
        response = client.get(url)
        expected = (statuses or {}).get(name, 200)
        assert response.status_code == expected, (name, url, response.status_code)
        documents[name] = response.get_data(as_text=True)
    return documents


@contextmanager
def live_browser(app: Flask) -> Iterator[tuple[Any, str]]:
    """`app` served on loopback and Chromium started; yields (browser, base URL)."""
    from playwright.sync_api import sync_playwright

    with serve(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        try:
            yield browser, base
        finally:
            browser.close()


def open_page(
    browser: Any, base: str, size: tuple[int, int], client: FlaskClient | None = None
) -> Any:
    """A page in a new browser context of the given size; signed in as `client` is when
    given (its session cookie is copied). Close it with page.context.close()."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    if client is not None:
        cookie = client.get_cookie("session")
        assert cookie is not None, "the test client has no session cookie to share"
        context.add_cookies([{"name": "session", "value": cookie.value, "url": base}])
    return context.new_page()


def browser_page_problems(
    app: Flask,
    pages: Mapping[str, str],
    *,
    client: FlaskClient | None = None,
    impacts: tuple[str, ...] | None = ("serious", "critical"),
    statuses: Mapping[str, int] | None = None,
    viewports: Mapping[str, tuple[int, int]] = VIEWPORTS,
    before_check: Callable[[Any, str], None] | None = None,
    after_pages: Callable[[Any, str, str], list[str]] | None = None,
) -> list[str]:
    """page_problems for each named page (name → URL) in Chromium at every viewport, signed
    in as `client` when given. Each page must answer with its status in `statuses` (by name),
    200 for pages not named there. `before_check(page, name)` runs on each loaded page before
    it is checked; `after_pages(page, base, axe)` runs once per viewport after the pages, on
    the same signed-in page, and returns problems of its own."""
    axe = axe_script()
    failures: list[str] = []
    with live_browser(app) as (browser, base):
        for size in viewports.values():
            page = open_page(browser, base, size, client)
            for name, url in pages.items():
                response = page.goto(base + url, wait_until="networkidle")
                expected = (statuses or {}).get(name, 200)
                assert response is not None and response.status == expected, (name, url)
                if before_check is not None:
                    before_check(page, name)
                failures += page_problems(page, name, axe, impacts=impacts)
            if after_pages is not None:
                failures += after_pages(page, base, axe)
            page.context.close()
    return failures
