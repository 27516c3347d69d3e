"""The officials' review pages pass axe-core with no serious or critical violation and fit a
390-px phone (their HTML validity is checked in test_official_review.py)."""

from __future__ import annotations

import pytest

from catalog.services import listings
from tests.factories import create_user
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve
from tests.page_checks import VIEWPORTS, axe_script, page_problems
from tests.producer_support import draft, owner, published


@pytest.mark.slow
def test_official_pages_pass_axe_and_fit_phones(app, client, login_as):
    from playwright.sync_api import sync_playwright

    curator = create_user("official", provinces=("Cao Bằng",))
    waiting = owner(status="pending", name="HTX Hạt dẻ Trùng Khánh")
    submitted = listings.submit(waiting, draft(waiting, "Hạt dẻ Trùng Khánh"))
    active = owner(name="HTX Miến dong Nguyên Bình")
    live = published(active, "Miến dong Nguyên Bình", curator)
    listings.update(active, live, {"price_vnd": 65000, "unit": "gói 500 g"})
    login_as(curator)
    pages = {
        "official-queue": "/quan-ly/",
        "official-producer": f"/quan-ly/co-so/{waiting.producer_id}",
        "official-listing": f"/quan-ly/san-pham/{submitted.id}",
        "official-change": f"/quan-ly/san-pham/{live.id}",
    }
    axe = axe_script()
    cookie = client.get_cookie("session")
    failures = []
    with serve(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        for width, height in VIEWPORTS.values():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.add_cookies([{"name": "session", "value": cookie.value, "url": base}])
            page = context.new_page()
            for name, url in pages.items():
                response = page.goto(base + url, wait_until="networkidle")
                assert response is not None and response.status == 200, (name, url)
                failures += page_problems(page, name, axe, impacts=("serious", "critical"))
            context.close()
        browser.close()
    assert failures == []
