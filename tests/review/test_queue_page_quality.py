"""The queue, completion, audit-log and user pages: valid HTML (Nu, one call) and axe-core
clean (no serious or critical violation) at 1280 and 390 px without sideways scrolling."""

from __future__ import annotations

import pytest

from catalog.listings import listings
from catalog.review import moderation
from tests.factories import create_user
from tests.forms import post_form
from tests.listings.support import draft, owner
from tests.page_checks import browser_page_problems, html_problems, rendered
from tests.review.support import imported_producer, imported_product, official


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
    documents = rendered(client, pages)
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
    admin = login_as(create_user("admin"))
    pages = _pages(admin)
    named = {f"queue-{name}": url for name, url in pages.items()}
    assert browser_page_problems(app, named, client=client) == []
