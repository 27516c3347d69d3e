"""Officials' decisions on listings at service level: a new listing approved, rejected or
sent back, a change to a published listing that stays pending until decided, and a listing
hidden by an official; each one audited, mirrored in the index through the outbox and told
to the producer by e-mail."""

from __future__ import annotations

import pytest

from catalog.listings import listing_values, listings
from catalog.models import AuditEntry, IndexOutbox
from catalog.platform import audit
from catalog.review import moderation, review_queue
from catalog.review.moderation import ModerationError
from tests.listings.support import DROP
from tests.review.support import (
    DESCRIPTION,
    count,
    draft,
    found,
    jpeg,
    last_entry,
    mails_to,
    official,
    owner,
    published,
    reload,
    submitted,
)

# -- new listings ----------------------------------------------------------------------------


def test_submitted_listing_approved_becomes_public_indexed_audited_and_mailed(app, client):
    producer_user, curator = owner(), official()
    product = draft(producer_user)
    assert found("tra hoa vang") == []  # a draft is never public
    listings.submit(producer_user, product)
    assert found("tra hoa vang") == []  # nor a submitted listing

    product = moderation.approve_product(product.id, official=curator, note="Đủ hồ sơ")

    assert product.status == "published" and product.is_public
    assert product.published_at is not None and product.reviewed_at is not None
    assert found("tra hoa vang") == [product.id]
    assert count(IndexOutbox) == 0  # applied right after commit
    assert client.get(f"/san-pham/{product.slug}").status_code == 200
    entry = last_entry("product", product.id)
    assert (entry.action, entry.actor_id, entry.reason) == (
        "product.approve",
        curator.id,
        "Đủ hồ sơ",
    )
    assert entry.before["status"] == "submitted" and entry.after["status"] == "published"
    (message,) = [m for m in mails_to(producer_user) if "duyệt" in m.subject]
    assert "đã được duyệt và hiển thị công khai" in message.subject
    assert "Trà hoa vàng" in message.body and "Đủ hồ sơ" in message.body
    assert message.sent_at is None and message.error is None  # queued: no SMTP in tests


def test_rejected_listing_keeps_the_reason_for_the_producer_and_can_be_resubmitted(app):
    producer_user, curator = owner(), official()
    product = submitted(producer_user)
    reason = "Ảnh chưa rõ sản phẩm, vui lòng chụp lại bao bì."

    product = moderation.reject_product(product.id, official=curator, note=reason)

    assert product.status == "rejected" and product.review_note == reason
    assert found("tra hoa vang") == []
    entry = last_entry("product", product.id)
    assert entry.action == "product.reject" and entry.reason == reason
    assert (entry.before["status"], entry.after["status"]) == ("submitted", "rejected")
    (message,) = mails_to(producer_user)
    assert "không được duyệt" in message.subject and f"Lý do: {reason}" in message.body

    listings.update(producer_user, product, {"description": DESCRIPTION + " Ảnh mới."})
    listings.submit(producer_user, product)
    assert moderation.approve_product(product.id, official=curator).status == "published"
    assert found("tra hoa vang") == [product.id]


def test_changes_requested_listing_goes_back_to_the_producer(app):
    producer_user, curator = owner(), official()
    product = submitted(producer_user)

    moderation.request_product_changes(product.id, official=curator, note="Bổ sung giá bán.")

    product = reload(product)
    assert product.status == "changes_requested" and product.review_note == "Bổ sung giá bán."
    assert "Nội dung cần bổ sung: Bổ sung giá bán." in mails_to(producer_user)[-1].body
    assert [i.kind for i in review_queue.review_queue(curator)] == []
    listings.update(producer_user, product, {"price_vnd": 250000, "unit": "kg"})
    listings.submit(producer_user, product)
    assert [i.kind for i in review_queue.review_queue(curator)] == ["listing"]
    assert moderation.approve_product(product.id, official=curator).price_vnd == 250000


@pytest.mark.parametrize("decision", ["reject", "request_changes"])
@pytest.mark.parametrize("note", [None, "", "   "])
def test_refusing_without_a_reason_is_refused_and_changes_nothing(app, decision, note):
    producer_user, curator = owner(), official()
    product = submitted(producer_user)
    entries = count(AuditEntry)

    with pytest.raises(ModerationError, match="lý do"):
        moderation.decide_product(curator, product.id, decision, note)

    assert reload(product).status == "submitted"
    assert count(AuditEntry) == entries and mails_to(producer_user) == []


# -- changes to a published listing ----------------------------------------------------------


def test_edit_of_a_published_listing_stays_pending_until_approved(app):
    producer_user, curator = owner(), official()
    product = published(producer_user, curator)
    old_slug = product.slug

    listings.update(producer_user, product, {"name": "Trà hoa vàng thượng hạng"})
    listings.add_photo(producer_user, product, jpeg((20, 120, 60)), "Túi 500 g")

    product = reload(product)
    assert product.name == "Trà hoa vàng" and len(product.images) == 1  # live unchanged
    assert product.status == "published" and product.review_state == "submitted"
    assert product.is_public and found("tra hoa vang") == [product.id]
    assert found("thuong hang") == []  # the index still holds the published version
    assert [i.kind for i in review_queue.review_queue(curator)] == ["change"]

    moderation.approve_product(product.id, official=curator)

    product = reload(product)
    assert product.name == "Trà hoa vàng thượng hạng" and len(product.images) == 2
    assert product.pending_changes is None and product.review_state == "approved"
    assert product.slug == old_slug  # links keep working
    assert found("thuong hang") == [product.id]
    entry = last_entry("product", product.id)
    assert entry.action == "product.change_approve"
    assert entry.before["values"]["name"] == "Trà hoa vàng"
    assert entry.before["pending_changes"]["name"] == "Trà hoa vàng thượng hạng"
    assert entry.after["values"]["name"] == "Trà hoa vàng thượng hạng"
    assert len(entry.after["values"]["images"]) == 2
    assert "Thay đổi của sản phẩm" in mails_to(producer_user)[-1].body


def test_rejected_change_keeps_the_live_version(app):
    producer_user, curator = owner(), official()
    product = published(producer_user, curator)
    listings.update(producer_user, product, {"name": "Trà hoa vàng giảm giá sốc", "unit": "hộp"})

    moderation.reject_product(product.id, official=curator, note="Tên sản phẩm quảng cáo.")

    product = reload(product)
    # The unit went live at once (issue 14.6) and stays; the name waited and is refused.
    assert (product.name, product.unit) == ("Trà hoa vàng", "hộp")
    assert product.status == "published" and product.pending_changes is None
    assert product.review_state == "rejected" and product.review_note == "Tên sản phẩm quảng cáo."
    assert found("tra hoa vang") == [product.id] and found("giam gia") == []
    entry = last_entry("product", product.id)
    assert entry.action == "product.change_reject"
    assert (
        entry.before["pending_changes"]["name"] == "Trà hoa vàng giảm giá sốc"
        and entry.after["pending_changes"] is None
    )
    body = mails_to(producer_user)[-1].body
    assert "phiên bản đang đăng được giữ nguyên" in body and "Tên sản phẩm quảng cáo." in body


NEW_DESCRIPTION = "Trà hoa vàng sấy lạnh, hái buổi sớm trên núi đá Tuyên Quang, hương thơm dịu."


def test_change_sent_back_for_edits_stays_pending_and_the_live_version_stays(app):
    producer_user, curator = owner(), official()
    product = published(producer_user, curator)
    listings.update(producer_user, product, {"name": "Trà hoa vàng Na Hang"})

    moderation.request_product_changes(product.id, official=curator, note="Ghi rõ xuất xứ.")

    product = reload(product)
    assert (
        product.name == "Trà hoa vàng" and product.pending_changes["name"] == "Trà hoa vàng Na Hang"
    )
    assert product.review_state == "changes_requested" and product.is_public
    listings.update(producer_user, product, {"description": NEW_DESCRIPTION})
    assert reload(product).review_state == "submitted"
    product = moderation.approve_product(product.id, official=curator)
    assert (product.name, product.description) == ("Trà hoa vàng Na Hang", NEW_DESCRIPTION)


def test_certificate_dates_in_a_change_are_audited_as_text(app):
    from datetime import date

    producer_user, curator = owner(), official()
    product = published(producer_user, curator)
    listings.update(
        producer_user,
        product,
        {
            "ocop_stars": 4,
            "certificate_no": "QĐ 12/2025",
            "certificate_year": 2025,
            "certificate_expires_on": date(2028, 5, 1),
        },
    )
    product = moderation.approve_product(product.id, official=curator, settlement=DROP)
    # Dropped, the claim leaves nothing behind; the audit keeps what was declared, as text.
    assert product.claimed_stars is None and product.ocop_stars is None
    entry = last_entry("product", product.id)
    assert entry.before["pending_changes"]["certificate_expires_on"] == "2028-05-01"
    assert entry.after["values"]["certificate_expires_on"] is None


# -- hiding a single listing -----------------------------------------------------------------


def test_official_hides_a_listing_and_only_an_official_shows_it_again(app, client):
    producer_user, curator = owner(), official()
    product = published(producer_user, curator)

    with pytest.raises(ModerationError, match="lý do"):
        moderation.hide_product(product.id, official=curator, note="")
    moderation.hide_product(product.id, official=curator, note="Nhãn ghi sai số chứng nhận.")

    assert reload(product).status == "hidden" and found("tra hoa vang") == []
    assert client.get(f"/san-pham/{product.slug}").status_code == 404
    assert "Lý do: Nhãn ghi sai số chứng nhận." in mails_to(producer_user)[-1].body
    assert not listings.hidden_by_producer(reload(product))
    with pytest.raises(listing_values.ListingError):
        listings.republish(producer_user, reload(product))
    with pytest.raises(ModerationError, match="không chờ duyệt"):
        moderation.approve_product(product.id, official=curator)

    moderation.restore_product(product.id, official=curator)

    assert reload(product).status == "published" and found("tra hoa vang") == [product.id]
    assert [e.action for e in audit.history("product", product.id)][-2:] == [
        "product.hide",
        "product.restore",
    ]
    with pytest.raises(ModerationError, match="không bị ẩn"):
        moderation.restore_product(product.id, official=curator)


def test_an_official_does_not_restore_what_the_producer_hid(app):
    producer_user, curator = owner(), official()
    product = published(producer_user, curator)
    listings.unpublish(producer_user, product)
    with pytest.raises(ModerationError, match="tự ẩn"):
        moderation.restore_product(product.id, official=curator)
