"""What every review decision obeys, at service level: only within the official's provinces
(admins everywhere), in one transaction with its audit entry, outbox row and mail, and
never from a state it does not apply to."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.errors import Forbidden, NotFound
from catalog.extensions import db
from catalog.listings import listings
from catalog.models import AuditEntry, IndexOutbox, MailMessage
from catalog.platform import audit, mail, search_sync
from catalog.review import moderation, review_queue
from catalog.review.moderation import EntryNotFound, ModerationError
from tests.factories import create_user, province
from tests.review.support import (
    count,
    draft,
    found,
    mails_to,
    official,
    owner,
    published,
    reload,
    submitted,
)

# -- province scope --------------------------------------------------------------------------


def test_officials_act_only_on_their_provinces_and_admins_everywhere(app):
    producer_user = owner()
    product = submitted(producer_user)
    elsewhere = official("Hà Nội")
    entries = count(AuditEntry)

    for who in (elsewhere, producer_user):
        with pytest.raises(Forbidden) as refused:
            moderation.approve_product(product.id, official=who)
        assert isinstance(refused.value, PermissionError) and "không phụ trách" in str(
            refused.value
        )
        with pytest.raises(PermissionError):
            moderation.approve_producer(producer_user.producer_id, official=who)
    assert review_queue.review_queue(elsewhere) == []
    assert reload(product).status == "submitted" and count(AuditEntry) == entries
    assert mails_to(producer_user) == [] and found("tra hoa vang") == []

    two_provinces = official("Hà Nội", "Cao Bằng")
    assert [i.id for i in review_queue.review_queue(two_provinces)] == [product.id]
    moderation.reject_product(product.id, official=two_provinces, note="Thiếu chứng nhận.")
    listings.submit(producer_user, product)
    admin = create_user("admin")
    assert [i.id for i in review_queue.review_queue(admin)] == [product.id]
    assert moderation.approve_product(product.id, official=admin).status == "published"


def test_a_change_moving_the_listing_needs_both_provinces(app):
    producer_user, curator = owner(), official("Cao Bằng")
    product = published(producer_user, curator)
    listings.update(producer_user, product, {"province_id": province("Hà Nội").id})

    with pytest.raises(Forbidden):
        moderation.approve_product(product.id, official=curator)
    assert reload(product).province_id == province("Cao Bằng").id

    both = official("Cao Bằng", "Hà Nội")
    assert moderation.approve_product(product.id, official=both).province.name == "Hà Nội"


def test_a_disabled_official_cannot_decide(app):
    product = submitted(owner())
    curator = official()
    curator.active = False
    db.session.commit()
    with pytest.raises(Forbidden, match="khóa"):
        moderation.approve_product(product.id, official=curator)


# -- the same transaction --------------------------------------------------------------------


def test_decision_audit_outbox_and_mail_commit_together(app, monkeypatch):
    from catalog import database

    producer_user, curator = owner(), official()
    product = submitted(producer_user)
    monkeypatch.setattr(database, "_after_commit", {})  # stop before the after-commit steps

    moderation.approve_product(product.id, official=curator)

    assert db.session.scalars(select(IndexOutbox.product_id)).all() == [product.id]
    assert [e.action for e in audit.history("product", product.id)][-1] == "product.approve"
    assert len(mails_to(producer_user)) == 1
    assert found("tra hoa vang") == []  # the index follows only when the outbox is applied
    monkeypatch.undo()
    search_sync.apply_pending()
    assert found("tra hoa vang") == [product.id] and count(IndexOutbox) == 0


def test_a_failure_inside_the_decision_leaves_nothing_behind(app, monkeypatch):
    producer_user, curator = owner(), official()
    product = submitted(producer_user)
    entries, outbox_rows = count(AuditEntry), count(IndexOutbox)

    def broken(*_args, **_kwargs):
        raise RuntimeError("mail table unavailable")

    monkeypatch.setattr(mail, "queue", broken)
    with pytest.raises(RuntimeError):
        moderation.approve_product(product.id, official=curator)

    assert reload(product).status == "submitted"
    assert (count(AuditEntry), count(IndexOutbox)) == (entries, outbox_rows)


# -- invalid transitions ---------------------------------------------------------------------


def test_invalid_transitions_are_refused_politely_and_change_nothing(app):
    producer_user, curator = owner(), official()
    a_draft = draft(producer_user, "Miến dong")
    product = published(producer_user, curator)
    producer_id = producer_user.producer_id
    gone = draft(producer_user, "Mật ong bạc hà")
    gone_id = gone.id
    listings.delete_draft(producer_user, gone)
    state = (count(AuditEntry), count(MailMessage), count(IndexOutbox))

    refusals = [
        (lambda: moderation.approve_product(a_draft.id, official=curator), "không chờ duyệt"),
        (lambda: moderation.approve_product(product.id, official=curator), "không chờ duyệt"),
        (lambda: moderation.reject_product(product.id, official=curator, note="x"), "chờ"),
        (lambda: moderation.decide_product(curator, product.id, "publish", None), "hợp lệ"),
        (lambda: moderation.approve_producer(producer_id, official=curator), "trạng thái"),
        (lambda: moderation.reinstate_producer(producer_id, official=curator), "trạng thái"),
    ]
    for attempt, message in refusals:
        with pytest.raises(ModerationError, match=message):
            attempt()
    with pytest.raises(EntryNotFound, match="Không tìm thấy") as missing:
        moderation.approve_product(gone_id, official=curator)
    # A missing entry is a NotFound (404 through the app's handler), not a form refusal.
    assert isinstance(missing.value, NotFound) and not isinstance(missing.value, ModerationError)
    with pytest.raises(EntryNotFound):
        moderation.approve_producer(999_999, official=curator)

    assert (count(AuditEntry), count(MailMessage), count(IndexOutbox)) == state
    assert reload(a_draft).status == "draft" and reload(product).status == "published"
    assert found("tra hoa vang") == [product.id]


def test_a_suspended_producer_cannot_be_approved_as_if_new(app):
    producer_user, curator = owner(), official()
    producer_id = producer_user.producer_id
    moderation.suspend_producer(producer_id, official=curator, note="Tạm dừng.")
    with pytest.raises(ModerationError):
        moderation.approve_producer(producer_id, official=curator)
    with pytest.raises(ModerationError):
        moderation.suspend_producer(producer_id, official=curator, note="Lần nữa.")
