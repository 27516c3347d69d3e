"""The producer's pages are valid HTML (W3C Nu checker) and pass axe-core with no violation
at all, fit a 390-px phone without sideways scrolling, and the province → ward list follows
the province with JavaScript. Screenshots go to tests/artifacts/ for a person to look at."""

from __future__ import annotations

import pytest

from catalog.listings import listings
from catalog.platform import reference
from catalog.review import moderation
from tests.factories import province
from tests.forms import csrf_token
from tests.listings.support import PRODUCERS, draft, official, owner, published
from tests.page_checks import (
    browser_page_problems,
    html_problems,
    live_browser,
    open_page,
    rendered,
)


@pytest.fixture
def pages(app, client, login_as) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A producer in every situation the pages show; returns page name → URL."""
    user = login_as(owner(status="changes_requested", review_note="Bổ sung mã số thuế."))
    curator = official()
    editing = draft(user, "Miến dong Nguyên Bình", photos=3)
    listings.create_draft(user, {"name": "Trà giảo cổ lam"})
    live = published(user, "Bánh cuốn Cao Bằng", curator)
    listings.update(user, live, {"price_vnd": 45000, "unit": "đĩa"})
    refused = listings.submit(user, draft(user, "Rượu men lá"))
    moderation.reject_product(refused.id, official=curator, note="Cần giấy phép sản xuất rượu.")
    return {
        "producer-dashboard": f"{PRODUCERS}/",
        "producer-profile": f"{PRODUCERS}/ho-so",
        "producer-new-listing": f"{PRODUCERS}/san-pham/moi",
        "producer-edit-listing": f"{PRODUCERS}/san-pham/{editing.id}",
        "producer-edit-published": f"{PRODUCERS}/san-pham/{live.id}",
        "producer-edit-rejected": f"{PRODUCERS}/san-pham/{refused.id}",
        "producer-delete-listing": f"{PRODUCERS}/san-pham/{editing.id}/xoa",
        "producer-claim": f"{PRODUCERS}/ho-so/nhan-quan-ly?mst=0100109106",
    }


def error_pages(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Forms sent back with errors, as the server renders them."""
    token = csrf_token(client, f"{PRODUCERS}/")
    profile = client.post(
        f"{PRODUCERS}/ho-so",
        data={"csrf_token": token, "tax_code": "0100109107", "phone": "123", "action": "luu"},
    )
    listing = client.post(
        f"{PRODUCERS}/san-pham/moi", data={"csrf_token": token, "price_vnd": "abc"}
    )
    assert profile.status_code == listing.status_code == 422
    return {
        "producer-profile-errors": profile.get_data(as_text=True),
        "producer-listing-errors": listing.get_data(as_text=True),
    }


def test_producer_pages_are_valid_html(client, pages, tmp_path):
    documents = rendered(client, pages)
    documents.update(error_pages(client))
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_producer_pages_pass_axe_fit_phones_and_wards_follow_the_province(app, client, pages):
    assert browser_page_problems(app, pages, client=client, impacts=None) == []

    with live_browser(app) as (browser, base):
        page = open_page(browser, base, (390, 844), client)
        page.goto(base + pages["producer-profile"], wait_until="networkidle")
        assert page.locator("button[value='chon-tinh']").count() == 0  # JS made it needless
        with page.expect_response(lambda r: "/phuong-xa?tinh=" in r.url):
            page.select_option("select[name=province_id]", label="Hà Nội")
        page.wait_for_function("!document.querySelector('select[name=ward_code]').disabled")
        first_ward = page.evaluate(
            "document.querySelector('select[name=ward_code]').options[1].text"
        )
        assert first_ward == reference.wards_of(province("Hà Nội").id)[0][1]
        # Hà Nội has 100+ wards: the filter box shows and narrows the list, as at checkout.
        box = page.locator("#ward_code-loc")
        assert box.is_visible()
        box.fill(first_ward[-4:])
        shown = page.evaluate("document.querySelector('select[name=ward_code]').options.length")
        assert 1 < shown < len(reference.wards_of(province("Hà Nội").id))
