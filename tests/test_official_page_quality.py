"""The officials' review pages pass axe-core with no serious or critical violation and fit a
390-px phone (their HTML validity is checked in test_official_review.py)."""

from __future__ import annotations

import pytest

from catalog.services import listings
from tests.factories import create_user
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve
from tests.producer_support import draft, owner, published
from tests.test_page_quality import ARTIFACTS, AXE_JS, VIEWPORTS, require


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
    axe = require(AXE_JS, "run `make test` (npm ci --prefix tests/browser)").read_text()
    cookie = client.get_cookie("session")
    ARTIFACTS.mkdir(exist_ok=True)
    failures = []
    with serve(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        for viewport, (width, height) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.add_cookies([{"name": "session", "value": cookie.value, "url": base}])
            page = context.new_page()
            for name, url in pages.items():
                response = page.goto(base + url, wait_until="networkidle")
                assert response is not None and response.status == 200, (name, url)
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
            context.close()
        browser.close()
    assert failures == []
