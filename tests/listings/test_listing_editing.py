"""Product listings from the producer's side, creating and editing: every field, prices
and dates typed the Vietnamese way, refusals in Vietnamese that keep what was typed,
deleting a draft, and markup in a listing escaped on the public page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.certificates.certificate_scans import scans_dir
from catalog.extensions import db
from catalog.listings import listings
from catalog.models import AuditEntry, Product
from catalog.review import moderation
from tests.forms import post_form
from tests.listings.support import (
    DESCRIPTION,
    PRODUCERS,
    actions,
    category_id,
    create,
    draft,
    edit_url,
    file,
    found,
    jpeg,
    listing_data,
    official,
    only_product,
    owner,
    pdf,
    png,
    published,
    reload,
    text,
)


@pytest.fixture
def user(login_as):  # type: ignore[no-untyped-def]
    return login_as(owner())


# -- creating and editing ------------------------------------------------------------------


def test_create_a_draft_with_every_field_photos_and_a_scan(client, user):
    response = create(client, photos=[jpeg(), png()], scan=file(pdf(), "giay-chung-nhan.pdf"))
    product = only_product()
    assert response.status_code == 302 and response.location.endswith(edit_url(product))
    assert product.status == "draft" and product.producer_id == user.producer_id
    # What the producer declares is a claim: kept whole, counted as no stars (issue 14.1).
    assert (product.price_vnd, product.unit, product.claimed_stars) == (150000, "kg", 4)
    assert product.ocop_stars is None and product.public_stars is None
    assert (product.claimed_certificate_no, product.claimed_certificate_year) == (
        "GCN 12/2024",
        2024,
    )
    assert product.claimed_certificate_expires_on.isoformat() == "2027-10-12"
    assert product.claimed_certificate_decision.startswith("Quyết định số 1234")
    assert [i.alt for i in product.images] == ["Miến dong Nguyên Bình"] * 2  # default alt
    assert product.certificate_scan.endswith(".pdf")
    assert (scans_dir() / product.certificate_scan).read_bytes() == pdf()
    assert actions(product) == ["listing.create"]
    assert found("mien dong") == []  # drafts are never indexed
    page = text(client.get(edit_url(product)))
    assert "Đã lưu bản nháp" in page and "Đã tải lên" in page and 'value="150.000"' in page


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("150.000", 150000),
        ("150000", 150000),
        ("1.500.000 đ", 1500000),
        ("150 000", 150000),
        ("0", 0),
        ("", None),
    ],
)
def test_prices_typed_the_vietnamese_way(client, user, typed, stored):
    assert create(client, price_vnd=typed).status_code == 302
    assert only_product().price_vnd == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "chỉ gồm chữ số"),
        ("-5000", "không được âm"),
        ("99999999999", "quá lớn"),
        ("1.50", "chỉ gồm chữ số"),
        ("15,5", "chỉ gồm chữ số"),
    ],
)
def test_bad_prices_are_refused_keeping_the_other_values(client, user, typed, message):
    response = create(client, price_vnd=typed)
    assert response.status_code == 422
    page = text(response)
    assert message in page and 'value="Miến dong Nguyên Bình"' in page
    assert db.session.scalars(select(Product)).all() == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Vui lòng điền mục này"),
        ({"category_id": "999"}, "chọn một mục trong danh sách"),
        ({"ocop_stars": "7"}, "chọn một mục trong danh sách"),
        ({"province_id": "abc"}, "Vui lòng điền mục này"),
        ({"certificate_year": "", "certificate_expires_on": ""}, "năm công nhận"),
        ({"certificate_year": "1999"}, "Năm công nhận từ 2018"),
        ({"certificate_expires_on": "31/02/2027"}, "Ngày không hợp lệ"),
        ({"certificate_expires_on": "2020-01-01"}, "phải sau năm công nhận"),
        ({"description": "x" * 6000}, "Tối đa 5000 ký tự"),
        ({"name": "Tên" * 1000}, "Tối đa 200 ký tự"),
    ],
)
def test_invalid_listing_fields_are_refused_in_vietnamese(client, user, overrides, message):
    response = create(client, **overrides)
    assert response.status_code == 422 and message in text(response)
    assert db.session.scalars(select(Product)).all() == []


def test_dates_may_be_typed_day_first(client, user):
    assert create(client, certificate_expires_on="12/10/2027").status_code == 302
    assert only_product().claimed_certificate_expires_on.isoformat() == "2027-10-12"


def test_without_stars_certificate_details_are_dropped(client, user):
    assert create(client, ocop_stars="").status_code == 302
    product = only_product()
    assert product.claimed_stars is None and product.claimed_certificate_no is None


def test_a_draft_is_edited_in_place_and_its_address_follows_the_name(client, user):
    create(client, photos=[jpeg()])
    product = only_product()
    response = post_form(client, edit_url(product), listing_data(name="Miến dong đặc biệt"))
    assert response.status_code == 302
    product = only_product()
    assert product.name == "Miến dong đặc biệt" and product.slug.startswith("mien-dong-dac-biet")
    assert product.pending_changes is None and len(product.images) == 1  # photos untouched
    assert actions(product) == ["listing.create", "listing.edit"]


def test_two_listings_of_one_producer_cannot_share_a_name(client, user):
    create(client)
    response = create(client)
    assert response.status_code == 422 and "đã có một sản phẩm cùng tên" in text(response)


def test_delete_a_draft_after_confirming(client, user):
    product = draft(user)
    delete_url = f"{edit_url(product)}/xoa"
    assert "Không thể hoàn tác" in text(client.get(delete_url))
    assert post_form(client, delete_url, {}).status_code == 302
    assert db.session.scalars(select(Product)).all() == []
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "listing.delete")).one()


def test_a_published_listing_cannot_be_deleted(client, user):
    product = published(user)
    response = post_form(client, f"{edit_url(product)}/xoa", {}, follow_redirects=True)
    assert "Chỉ xóa được sản phẩm chưa từng được đăng" in text(response)
    assert reload(product).status == "published"


# -- hostile input on the public page ------------------------------------------------------


def test_markup_in_a_listing_is_escaped_on_the_public_page(client, user):
    product = listings.create_draft(
        user,
        {
            "name": "Mật ong <script>alert(1)</script>",
            "description": DESCRIPTION + ' <img src=x onerror="alert(2)"> <b>đậm</b>',
            "category_id": category_id(),
        },
    )
    listings.add_photo(user, product, jpeg(), '"><script>alert(3)</script>')
    listings.submit(user, product)
    product = moderation.approve_product(product.id, official=official())
    page = text(client.get(f"/san-pham/{product.slug}"))
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>đậm" not in page
    assert "Mật ong &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x" in page
    dashboard = text(client.get(f"{PRODUCERS}/"))
    assert "<script>alert" not in dashboard
