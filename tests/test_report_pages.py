"""The report pages are valid HTML (Nu checker, inline SVG charts included), pass axe-core
with no serious or critical violation and fit a 390-px phone."""

from __future__ import annotations

import pytest

from tests.factories import create_user
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve
from tests.page_checks import VIEWPORTS, axe_script, html_problems, page_problems
from tests.reports_support import build_catalogue

PAGES = {
    "reports": "/quan-ly/bao-cao",
    "reports-last-year": "/quan-ly/bao-cao?ky=ca-nam&nam=2025",
    "reports-error": "/quan-ly/bao-cao?tu=2026-05-01&den=2026-04-01",
}


def test_report_pages_are_valid_html(client, login_as, tmp_path):
    catalogue = build_catalogue()
    login_as(catalogue.curator)
    documents = {name: client.get(url).get_data(as_text=True) for name, url in PAGES.items()}
    login_as(create_user("admin"))
    documents["reports-admin"] = client.get(PAGES["reports"]).get_data(as_text=True)
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_report_pages_pass_axe_and_fit_phones(app, client, login_as):
    from playwright.sync_api import sync_playwright

    catalogue = build_catalogue()
    login_as(catalogue.curator)
    axe = axe_script()
    cookie = client.get_cookie("session")
    failures = []
    with serve(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        for width, height in VIEWPORTS.values():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.add_cookies([{"name": "session", "value": cookie.value, "url": base}])
            page = context.new_page()
            for name, url in PAGES.items():
                response = page.goto(base + url, wait_until="networkidle")
                expected = 422 if name == "reports-error" else 200
                assert response is not None and response.status == expected, (name, url)
                failures += page_problems(page, name, axe, impacts=("serious", "critical"))
            context.close()
        browser.close()
    assert failures == []
