"""Officials' decisions on producers at service level: a pending producer's first listing
waits for the producer, producers sent back, rejected, suspended and reinstated, claims
handed over once, and the review queue's order."""

from __future__ import annotations

import pytest

from catalog.errors import Forbidden
from catalog.listings import claims, listings, profiles
from catalog.platform import search_sync
from catalog.review import moderation, review_queue
from catalog.review.moderation import EntryNotFound, ModerationError
from tests.factories import create_producer
from tests.review.support import (
    found,
    last_entry,
    mails_to,
    official,
    owner,
    published,
    reload,
    submitted,
)

# -- a producer's first listing waits for the producer ---------------------------------------


def test_first_listing_of_a_pending_producer_waits_for_the_producer(app, client):
    producer_user, curator = owner(status="pending"), official()
    first = submitted(producer_user, "Miến dong Cao Bằng")
    second = submitted(producer_user, "Trà hoa vàng")
    producer = producer_user.producer
    assert {i.kind for i in review_queue.review_queue(curator)} == {"producer", "listing"}

    first = moderation.approve_product(first.id, official=curator)

    assert first.status == "published" and not first.is_public
    assert found("mien dong") == []
    assert client.get(f"/san-pham/{first.slug}").status_code == 404
    assert "khi hồ sơ cơ sở" in mails_to(producer_user)[-1].body

    moderation.approve_producer(producer.id, official=curator)

    assert reload(first).is_public and found("mien dong") == [first.id]
    assert client.get(f"/san-pham/{first.slug}").status_code == 200
    assert client.get(f"/co-so/{producer.slug}").status_code == 200
    assert reload(second).status == "submitted" and found("tra hoa vang") == []  # still waiting
    entry = last_entry("producer", producer.id)
    assert entry.action == "producer.approve"
    assert (entry.before["status"], entry.after["status"]) == ("pending", "active")
    assert "đã được duyệt" in mails_to(producer_user)[-1].subject


def test_producer_rejected_or_sent_back_with_a_reason(app):
    producer_user, curator = owner(status="pending"), official()
    producer = producer_user.producer

    moderation.decide_producer(curator, producer.id, "request_changes", "Bổ sung mã số thuế.")

    assert producer.status == "changes_requested" and producer.review_note == "Bổ sung mã số thuế."
    assert "Nội dung cần bổ sung: Bổ sung mã số thuế." in mails_to(producer_user)[-1].body
    profiles.update_profile(producer_user, {"tax_code": "0100109106"})
    assert producer.status == "pending"  # back in the queue after the requested edit

    moderation.reject_producer(producer.id, official=curator, note="Không phải cơ sở OCOP.")

    assert producer.status == "rejected" and producer.review_note == "Không phải cơ sở OCOP."
    assert last_entry("producer", producer.id).reason == "Không phải cơ sở OCOP."
    assert "chưa được chấp nhận" in mails_to(producer_user)[-1].subject


def test_suspending_a_producer_removes_its_listings_at_once_and_reinstating_restores(app, client):
    producer_user, curator = owner(), official()
    products = [published(producer_user, curator, name) for name in ("Miến dong", "Trà hoa vàng")]
    producer = producer_user.producer

    moderation.suspend_producer(producer.id, official=curator, note="Khiếu nại hàng giả.")

    assert found("mien dong") == [] and found("tra hoa vang") == []
    assert search_sync.check().clean
    for product in products:
        assert client.get(f"/san-pham/{product.slug}").status_code == 404
    assert client.get(f"/co-so/{producer.slug}").status_code == 404
    entry = last_entry("producer", producer.id)
    assert (entry.action, entry.after["status"]) == ("producer.suspend", "suspended")
    assert "Lý do: Khiếu nại hàng giả." in mails_to(producer_user)[-1].body

    moderation.reinstate_producer(producer.id, official=curator)

    assert found("mien dong") == [products[0].id] and found("tra hoa vang") == [products[1].id]
    assert client.get(f"/san-pham/{products[0].slug}").status_code == 200


# -- claims ----------------------------------------------------------------------------------


def test_claim_hands_the_producer_over_once(app):
    listed = create_producer("HTX Trà Shan tuyết", status="active", tax_code="0100109106")
    claimant = owner(status="pending")
    abandoned = claimant.producer
    claim = profiles.claim(claimant, "0100109106", "Tôi là chủ nhiệm HTX.")
    curator = official()

    with pytest.raises(Forbidden):
        claims.decide_claim(official("Hà Nội"), claim.id, "approve", None)
    with pytest.raises(ModerationError, match="lý do"):
        claims.decide_claim(curator, claim.id, "reject", "")
    with pytest.raises(ModerationError, match="hợp lệ"):
        claims.decide_claim(curator, claim.id, "request_changes", "Gửi giấy tờ.")

    claims.decide_claim(curator, claim.id, "approve", None)

    assert claimant.producer_id == listed.id and abandoned.status == "rejected"
    entry = last_entry("producer", listed.id)
    assert entry.action == "claim.approved" and entry.after["user_producer_id"] == listed.id
    assert "đã được chấp nhận" in mails_to(claimant)[-1].subject
    with pytest.raises(ModerationError, match="đã được xử lý"):
        claims.decide_claim(curator, claim.id, "approve", None)
    with pytest.raises(EntryNotFound):
        claims.decide_claim(curator, 999_999, "approve", None)


def test_review_queue_lists_what_waits_oldest_first(app):
    curator = official()
    first = submitted(owner())
    pending = owner(status="pending")
    live_owner = owner()
    live = published(live_owner, curator)
    listings.update(live_owner, live, {"name": "Trà hoa vàng Na Hang"})
    queue = review_queue.review_queue(curator)
    assert [(i.kind, i.id) for i in queue] == [
        ("listing", first.id),
        ("producer", pending.producer_id),
        ("change", live.id),
    ]
