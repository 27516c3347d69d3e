"""Product listings from the producer's side, the review workflow as the producer sees it:
submitting, changes requested, edits to a published listing held until approved, hiding and
showing again, and the dashboard's states, with search following every step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.extensions import db
from catalog.listings import listings
from catalog.models import IndexOutbox, Product
from catalog.review import moderation
from tests.forms import post_form
from tests.listings.support import (
    DROP,
    MULTIPART,
    PRODUCERS,
    actions,
    draft,
    edit_url,
    file,
    found,
    listing_data,
    official,
    owner,
    photo_action,
    png,
    published,
    reload,
    text,
)


@pytest.fixture
def user(login_as):  # type: ignore[no-untyped-def]
    return login_as(owner())


# -- the review workflow from the producer's side ------------------------------------------


def submit(client, product: Product):  # type: ignore[no-untyped-def]
    return post_form(
        client,
        f"{edit_url(product)}/gui-duyet",
        {},
        form_url=edit_url(product),
        follow_redirects=True,
    )


def test_submit_a_complete_draft(client, user):
    product = draft(user, "Miến dong Nguyên Bình")
    page = text(submit(client, product))
    assert "Đã gửi duyệt" in page and "Chờ duyệt" in page
    product = reload(product)
    assert product.status == "submitted" and product.submitted_at is not None
    assert actions(product)[-1] == "listing.submit"
    assert found("mien dong") == []  # not public before an official approves
    assert db.session.scalars(select(IndexOutbox)).all() == []  # outbox applied


def test_an_incomplete_draft_cannot_be_submitted(client, user):
    product = listings.create_draft(user, {"name": "Miến dong"})
    page = text(submit(client, product))
    assert "Chưa thể gửi duyệt" in page and "ít nhất một ảnh" in page
    assert reload(product).status == "draft"


def test_an_unverified_email_cannot_submit(client, login_as):
    from tests.factories import create_user

    producer = owner().producer
    user = login_as(create_user("producer", producer=producer, verified=False))
    product = draft(user)
    assert "xác nhận địa chỉ e-mail" in text(submit(client, product))
    assert reload(product).status == "draft"


def test_changes_requested_are_shown_then_fixed_and_resubmitted(client, user):
    product = listings.submit(user, draft(user, "Miến dong Nguyên Bình"))
    moderation.request_product_changes(product.id, official=official(), note="Thêm giá bán.")
    page = text(client.get(f"{PRODUCERS}/"))
    assert "Cần chỉnh sửa" in page and "Thêm giá bán." in page
    assert "Thêm giá bán." in text(client.get(edit_url(product)))
    post_form(client, edit_url(product), listing_data(price_vnd="90.000"))
    assert reload(product).status == "changes_requested"
    submit(client, product)
    assert reload(product).status == "submitted"


def test_editing_a_published_listing_keeps_it_live_until_the_change_is_approved(client, user):
    curator = official()
    product = published(user, "Miến dong Nguyên Bình", curator)
    assert found("mien dong") == [product.id]

    response = post_form(
        client, edit_url(product), listing_data(name="Bánh cuốn Cao Bằng", price_vnd="45.000")
    )
    assert response.status_code == 302

    product = reload(product)
    # The name waits for review; the price is no trust claim and is live at once (14.6).
    assert product.name == "Miến dong Nguyên Bình" and product.price_vnd == 45000
    assert product.pending_changes["name"] == "Bánh cuốn Cao Bằng"
    assert "price_vnd" not in product.pending_changes
    assert product.review_state == "submitted" and product.is_public
    public = text(client.get(f"/san-pham/{product.slug}"))
    assert "Miến dong Nguyên Bình" in public and "Bánh cuốn" not in public
    assert found("mien dong") == [product.id] and found("banh cuon") == []
    edit_page = text(client.get(edit_url(product)))
    assert 'value="Bánh cuốn Cao Bằng"' in edit_page and "Thay đổi đang chờ duyệt" in edit_page
    assert "listing.change_edit" in actions(product) and "listing.live_edit" in actions(product)

    moderation.approve_product(product.id, official=curator, settlement=DROP)

    product = reload(product)
    assert (product.name, product.price_vnd) == ("Bánh cuốn Cao Bằng", 45000)
    assert found("banh cuon") == [product.id] and found("mien dong") == []


def test_photos_of_a_published_listing_change_only_after_approval(client, user):
    product = published(user)
    (live,) = [i.digest for i in product.images]
    post_form(
        client,
        edit_url(product),
        {**listing_data(), "photos": [file(png(), "moi.png")]},
        **MULTIPART,
    )
    product = reload(product)
    assert [i.digest for i in product.images] == [live]
    assert len(product.pending_changes["images"]) == 2


def test_a_pending_change_can_be_discarded(client, user):
    product = published(user)
    post_form(client, edit_url(product), listing_data(name="Tên mới"))
    url = f"{edit_url(product)}/huy-thay-doi"
    assert post_form(client, url, {}, form_url=edit_url(product)).status_code == 302
    product = reload(product)
    assert product.pending_changes is None and product.name == "Hạt dẻ Trùng Khánh"


def test_a_published_listing_must_keep_a_photo(client, user):
    product = published(user)
    (digest,) = [i.digest for i in product.images]
    response = photo_action(client, product, {"action": f"xoa:{digest}"})
    assert response.status_code == 422 and "ít nhất một ảnh" in text(response)
    assert reload(product).pending_changes is None


def test_the_first_listing_waits_for_the_producer_to_be_approved(client, login_as):
    user = login_as(owner(status="pending"))
    curator = official()
    product = listings.submit(user, draft(user, "Miến dong Nguyên Bình"))
    product = moderation.approve_product(product.id, official=curator, settlement=DROP)
    assert product.status == "published" and not product.is_public
    assert found("mien dong") == []
    assert client.get(f"/san-pham/{product.slug}").status_code == 404
    assert "Hiển thị khi hồ sơ cơ sở được duyệt" in text(client.get(f"{PRODUCERS}/"))

    moderation.approve_producer(user.producer_id, official=curator)
    assert found("mien dong") == [product.id]


def test_unpublish_and_republish_are_reflected_in_search(client, user):
    product = published(user, "Miến dong Nguyên Bình")
    edit = edit_url(product)
    assert post_form(client, f"{edit}/tam-an", {}, form_url=edit).status_code == 302
    assert reload(product).status == "hidden" and found("mien dong") == []
    assert client.get(f"/san-pham/{product.slug}").status_code == 404
    assert "Đã ẩn" in text(client.get(f"{PRODUCERS}/"))

    assert post_form(client, f"{edit}/hien-thi-lai", {}, form_url=edit).status_code == 302
    assert reload(product).status == "published" and found("mien dong") == [product.id]
    assert actions(product)[-2:] == ["listing.unpublish", "listing.republish"]


def test_a_listing_hidden_by_an_official_cannot_be_shown_again_by_the_producer(client, user):
    from catalog.database import write_transaction
    from catalog.platform import audit, outbox

    product = published(user, "Miến dong Nguyên Bình")
    curator = official()
    with write_transaction():  # stands in for the officials' hide action (a later issue)
        product.status = "hidden"
        audit.record(curator, "product.hide", "product", product.id, after={"status": "hidden"})
        outbox.record([product.id], "hide")
    response = post_form(
        client,
        f"{edit_url(product)}/hien-thi-lai",
        {},
        form_url=edit_url(product),
        follow_redirects=True,
    )
    assert "do cán bộ ẩn" in text(response) and reload(product).status == "hidden"
    assert found("mien dong") == []


def test_dashboard_lists_every_state_with_its_label_note_and_hints(client, user):
    curator = official()
    listings.create_draft(user, {"name": "Bản nháp trống"})
    listings.submit(user, draft(user, "Đang chờ"))
    published(user, "Đã lên sàn", curator)
    moderation.request_product_changes(
        listings.submit(user, draft(user, "Cần sửa")).id, official=curator, note="Ảnh mờ quá."
    )
    moderation.reject_product(
        listings.submit(user, draft(user, "Bị loại")).id, official=curator, note="Không phải OCOP."
    )
    hidden = published(user, "Tạm ẩn", curator)
    listings.unpublish(user, hidden)

    page = text(client.get(f"{PRODUCERS}/"))
    for label in ("Nháp", "Chờ duyệt", "Đã đăng", "Cần chỉnh sửa", "Bị từ chối", "Đã ẩn"):
        assert f">{label}</span>" in page
    assert "Ảnh mờ quá." in page and "Không phải OCOP." in page
    assert "Chưa có ảnh, mô tả còn ngắn, chưa chọn nhóm OCOP" in page
