"""Seasons and stock (issue 14.6): producers set availability and harvest months; price,
unit and stock of a published listing change at once (audited, revertible by an official),
while the rest still waits for review; product pages, API, JSON-LD and the home page say
when a product is in season."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import AuditEntry, MailMessage
from catalog.models.seasons import mask_to_months
from tests.forms import csrf_token, post_form
from tests.listings.support import (
    edit_url,
    listing_data,
    official,
    owner,
    published,
    reload,
    text,
)

SEASONAL = {"availability": "seasonal", "harvest_months": ["11", "12", "1", "2"]}


@pytest.fixture
def user(login_as):  # type: ignore[no-untyped-def]
    return login_as(owner())


def live_edit(product_id: int) -> AuditEntry:
    stmt = select(AuditEntry).where(
        AuditEntry.entity_id == product_id, AuditEntry.action == "listing.live_edit"
    )
    return db.session.scalars(stmt.order_by(AuditEntry.id.desc())).first()


def edit(client, product, **values):  # type: ignore[no-untyped-def]
    """The producer's form filled as the product stands, with `values` changed."""
    product = reload(product)
    data = listing_data(
        name=product.name,
        description=product.description,
        category_id=str(product.category_id),
        province_id=str(product.province_id),
        price_vnd=str(product.price_vnd or ""),
        unit=product.unit or "",
        ocop_stars="",
        certificate_no="",
        certificate_decision="",
        certificate_year="",
        certificate_expires_on="",
        availability=product.availability,
        harvest_months=[str(m) for m in mask_to_months(product.harvest_months)],
    )
    return post_form(client, edit_url(product), {**data, **values})


def post_months(client, product, availability, months):  # type: ignore[no-untyped-def]
    return edit(client, product, availability=availability, harvest_months=months)


def freeze_month(monkeypatch: pytest.MonkeyPatch, month: int) -> None:
    """Vietnam's month as every page computes it (catalog.platform.clock.local_month)."""
    import catalog.platform.clock as clock

    real = clock.local_month
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, month, 15, 5, 0))
    assert real() == month


def test_price_unit_and_stock_go_live_at_once_and_are_audited(client, user):
    product = published(user)
    response = edit(client, product, price_vnd="95.000", unit="hộp", availability="out_of_stock")
    assert response.status_code == 302
    product = reload(product)
    assert (product.price_vnd, product.unit, product.availability) == (95000, "hộp", "out_of_stock")
    assert product.pending_changes is None and product.review_state is None
    entry = live_edit(product.id)
    assert entry.after == {"price_vnd": 95000, "unit": "hộp", "availability": "out_of_stock"}
    page = text(client.get(f"/san-pham/{product.slug}"))
    assert "95.000" in page and "Tạm hết hàng" in page
    api = client.get(f"/api/v1/products/{product.id}").get_json()
    assert (api["availability"], api["available_now"]) == ("out_of_stock", False)
    assert "https://schema.org/OutOfStock" in page


def test_a_seasonal_product_says_when_it_is_in_season(client, user, monkeypatch):
    product = published(user)
    assert post_months(client, product, "seasonal", ["11", "12", "1", "2"]).status_code == 302
    product = reload(product)
    assert mask_to_months(product.harvest_months) == (1, 2, 11, 12)
    freeze_month(monkeypatch, 12)
    page = text(client.get(f"/san-pham/{product.slug}"))
    assert "Đang vào mùa (tháng 11–2)" in page
    api = client.get(f"/api/v1/products/{product.id}").get_json()
    assert api["harvest_months"] == [1, 2, 11, 12] and api["available_now"] is True
    home = text(client.get("/"))
    assert "Đang vào mùa" in home and product.name in home.split("Đang vào mùa", 1)[1]
    freeze_month(monkeypatch, 6)
    page = text(client.get(f"/san-pham/{product.slug}"))
    assert "Hết mùa; mùa tới từ tháng 11" in page
    assert client.get(f"/api/v1/products/{product.id}").get_json()["available_now"] is False


@pytest.mark.parametrize(
    ("availability", "months", "message"),
    [
        ("seasonal", [], "Vui lòng chọn ít nhất một tháng thu hoạch."),
        ("seasonal", ["13"], "harvest"),
        ("seasonal", ["abc"], "harvest"),
        ("sometimes", ["5"], "availability"),
    ],
)
def test_bad_stock_values_are_refused_and_nothing_changes(
    client, user, availability, months, message
):
    product = published(user)
    response = post_months(client, product, availability, months)
    assert response.status_code == 422
    body = text(response)
    assert message in body or 'id="harvest_months"' in body or 'id="availability"' in body
    product = reload(product)
    assert (product.availability, product.harvest_months) == ("in_stock", 0)
    assert live_edit(product.id) is None


def test_a_form_without_the_stock_group_keeps_the_stock(client, user):
    product = published(user)
    post_months(client, product, "seasonal", ["5"])
    data = listing_data(name=reload(product).name, ocop_stars="", price_vnd="99.000")
    del data["availability"]
    assert post_form(client, edit_url(product), data).status_code == 302
    product = reload(product)
    assert (product.availability, product.price_vnd) == ("seasonal", 99000)
    assert mask_to_months(product.harvest_months) == (5,)


def test_an_official_reverts_a_live_edit_and_the_producer_is_told(client, user, login_as):
    product = published(user)
    edit(client, product, price_vnd="150.000")
    edit(client, product, price_vnd="1.000")
    entry = live_edit(product.id)
    curator = official()
    login_as(curator)
    review = f"/quan-ly/san-pham/{product.id}"
    page = text(client.get(review))
    assert "Thay đổi áp dụng ngay" in page and "1.000 ₫" in page
    url = f"{review}/hoan-tac/{entry.id}"
    token = csrf_token(client, review)
    field = f"hoan-tac-{entry.id}-note"
    assert client.post(url, data={"csrf_token": token}).status_code == 400  # no reason
    assert client.post(url, data={field: "Giá sai"}).status_code == 400  # no CSRF token
    unknown = {"hoan-tac-999999-note": "x", "csrf_token": token}
    assert client.post(f"{review}/hoan-tac/999999", data=unknown).status_code == 404
    response = client.post(url, data={field: "Giá 1.000 ₫ là nhầm", "csrf_token": token})
    assert response.status_code == 302
    product = reload(product)
    assert product.price_vnd == 150000
    mail = db.session.scalars(select(MailMessage).order_by(MailMessage.id.desc())).first()
    assert "hoàn tác" in mail.subject and "Giá 1.000 ₫ là nhầm" in mail.body
    # Once undone (or changed again) the same edit cannot be undone twice.
    again = client.post(url, data={field: "lần nữa", "csrf_token": token})
    assert again.status_code == 409 and reload(product).price_vnd == 150000


def test_an_official_of_another_province_cannot_revert(client, user, login_as):
    product = published(user)
    edit(client, product, price_vnd="1.000")
    entry = live_edit(product.id)
    from tests.factories import create_user

    login_as(create_user("official", provinces=("Lạng Sơn",)))
    token = csrf_token(client, "/quan-ly/")
    field = f"hoan-tac-{entry.id}-note"
    response = client.post(
        f"/quan-ly/san-pham/{product.id}/hoan-tac/{entry.id}",
        data={field: "không phải tỉnh mình", "csrf_token": token},
    )
    assert response.status_code == 403 and reload(product).price_vnd == 1000


def test_json_ld_offer_follows_the_season(client, user, monkeypatch):
    product = published(user)
    edit(client, product, price_vnd="120.000", availability="seasonal", harvest_months=["5", "6"])
    freeze_month(monkeypatch, 12)
    page = text(client.get(f"/san-pham/{reload(product).slug}"))
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.dumps([json.loads(b) for b in blocks])
    assert "https://schema.org/OutOfStock" in data and "https://schema.org/InStock" not in data
