"""The officials' review pages pass axe-core with no serious or critical violation and fit a
390-px phone (their HTML validity is checked in test_official_review.py)."""

from __future__ import annotations

import pytest

from catalog.listings import listings
from tests.factories import create_user
from tests.listings.support import draft, owner, published
from tests.page_checks import browser_page_problems


@pytest.mark.slow
def test_official_pages_pass_axe_and_fit_phones(app, client, login_as):
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
    assert browser_page_problems(app, pages, client=client) == []
