"""The queue, completion, audit-log and user pages: valid HTML (Nu, one call) and axe-core
clean (no serious or critical violation) at 1280 and 390 px without sideways scrolling."""

from __future__ import annotations

import pytest

from catalog.services import listings, moderation
from tests.factories import create_user
from tests.forms import post_form
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve
from tests.page_checks import VIEWPORTS, axe_script, html_problems, page_problems
from tests.producer_support import draft, owner
from tests.queue_support import imported_producer, imported_product, official


def _pages(admin) -> dict[str, str]:  # type: ignore[no-untyped-def]
    waiting = owner(status="pending", name="HTX Hạt dẻ Trùng Khánh")
    listings.submit(waiting, draft(waiting, "Hạt dẻ Trùng Khánh"))
    bare = imported_producer()
    typed = imported_producer("HTX Đủ Thông Tin", type="hop_tac_xa", phone="0912345678")
    product = imported_product(typed)
    moderation.reject_producer(waiting.producer_id, official=official(), note="Thiếu giấy phép")
    colleague = official("Cao Bằng", "Lạng Sơn")
    return {
        "queue": "/quan-ly/",
        "queue-incomplete": "/quan-ly/?loai=incomplete&q=mien",
        "complete-producer": f"/quan-ly/bo-sung/co-so/{bare.id}",
        "complete-product": f"/quan-ly/bo-sung/san-pham/{product.id}",
        "audit-log": "/quan-ly/nhat-ky",
        "users": "/quan-ly/nguoi-dung",
        "user-new": "/quan-ly/nguoi-dung/moi",
        "user-edit": f"/quan-ly/nguoi-dung/{colleague.id}",
        "user-edit-self": f"/quan-ly/nguoi-dung/{admin.id}",
    }


@pytest.mark.slow
def test_queue_pages_are_valid_html(app, client, login_as, tmp_path):
    admin = login_as(create_user("admin"))
    pages = _pages(admin)
    documents = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        documents[name] = response.get_data(as_text=True)
    # Error states: a completion refused and a user form refused, with their summaries.
    response = post_form(client, pages["complete-producer"], {"type": "", "phone": "12"})
    assert response.status_code == 422
    documents["complete-producer-errors"] = response.get_data(as_text=True)
    response = post_form(client, pages["user-new"], {"email": "x", "role": "official"})
    assert response.status_code == 422
    documents["user-new-errors"] = response.get_data(as_text=True)
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_queue_pages_pass_axe_and_fit_phones(app, client, login_as):
    from playwright.sync_api import sync_playwright

    admin = login_as(create_user("admin"))
    pages = _pages(admin)
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
                failures += page_problems(
                    page, f"queue-{name}", axe, impacts=("serious", "critical")
                )
            context.close()
        browser.close()
    assert failures == []
