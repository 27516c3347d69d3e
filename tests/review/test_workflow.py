"""The review workflow at service level: officials' decisions on listings, changes to
published listings, producers and claims; each one audited, mirrored in the index through
the outbox and told to the producer by e-mail, and only within the official's provinces."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from catalog.errors import Forbidden, NotFound
from catalog.extensions import db
from catalog.listings import listings, profiles
from catalog.models import AuditEntry, Category, IndexOutbox, MailMessage, Product, User
from catalog.platform import audit, mail, search_sync
from catalog.review import moderation
from catalog.review.moderation import EntryNotFound, ModerationError
from search_index import SearchQuery
from tests.factories import create_producer, create_user, province

DESCRIPTION = "Đặc sản vùng cao, đóng gói cẩn thận, bảo quản nơi khô ráo, thoáng mát."


# -- helpers ---------------------------------------------------------------------------------


def jpeg(colour: tuple[int, int, int] = (160, 90, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return out.getvalue()


def owner(status: str = "active", province_name: str = "Cao Bằng") -> User:
    """A producer account with its own producer in the given state."""
    producer = create_producer(status=status, province_name=province_name)
    return create_user("producer", producer=producer)


def draft(user: User, name: str = "Trà hoa vàng", **values) -> Product:
    category = db.session.scalar(select(Category).order_by(Category.position, Category.id))
    product = listings.create_draft(
        user,
        {"name": name, "description": DESCRIPTION, "category_id": category.id, **values},
    )
    listings.add_photo(user, product, jpeg(), "Hộp trà")
    return product


def submitted(user: User, name: str = "Trà hoa vàng", **values) -> Product:
    return listings.submit(user, draft(user, name, **values))


def published(user: User, official: User, name: str = "Trà hoa vàng") -> Product:
    return moderation.approve_product(submitted(user, name).id, official=official)


def official(*provinces: str) -> User:
    return create_user("official", provinces=provinces or ("Cao Bằng",))


def found(text: str) -> list[int]:
    return search_sync.backend().search(SearchQuery(text=text)).ids


def mails_to(user: User) -> list[MailMessage]:
    stmt = select(MailMessage).where(MailMessage.to == user.email).order_by(MailMessage.id)
    return list(db.session.scalars(stmt))


def last_entry(entity_type: str, entity_id: int) -> AuditEntry:
    return audit.history(entity_type, entity_id)[-1]


def count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def reload(product: Product) -> Product:
    db.session.expire_all()
    return db.session.get(Product, product.id)


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
    assert [i.kind for i in moderation.review_queue(curator)] == []
    listings.update(producer_user, product, {"price_vnd": 250000, "unit": "kg"})
    listings.submit(producer_user, product)
    assert [i.kind for i in moderation.review_queue(curator)] == ["listing"]
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
    assert [i.kind for i in moderation.review_queue(curator)] == ["change"]

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
    listings.update(producer_user, product, {"name": "Trà hoa vàng giảm giá sốc", "price_vnd": 1})

    moderation.reject_product(product.id, official=curator, note="Tên sản phẩm quảng cáo.")

    product = reload(product)
    assert (product.name, product.price_vnd) == ("Trà hoa vàng", None)
    assert product.status == "published" and product.pending_changes is None
    assert product.review_state == "rejected" and product.review_note == "Tên sản phẩm quảng cáo."
    assert found("tra hoa vang") == [product.id] and found("giam gia") == []
    entry = last_entry("product", product.id)
    assert entry.action == "product.change_reject"
    assert (
        entry.before["pending_changes"]["price_vnd"] == 1 and entry.after["pending_changes"] is None
    )
    body = mails_to(producer_user)[-1].body
    assert "phiên bản đang đăng được giữ nguyên" in body and "Tên sản phẩm quảng cáo." in body


def test_change_sent_back_for_edits_stays_pending_and_the_live_version_stays(app):
    producer_user, curator = owner(), official()
    product = published(producer_user, curator)
    listings.update(producer_user, product, {"price_vnd": 180000})

    moderation.request_product_changes(product.id, official=curator, note="Ghi rõ đơn vị tính.")

    product = reload(product)
    assert product.price_vnd is None and product.pending_changes["price_vnd"] == 180000
    assert product.review_state == "changes_requested" and product.is_public
    listings.update(producer_user, product, {"unit": "túi 500 g"})
    assert reload(product).review_state == "submitted"
    product = moderation.approve_product(product.id, official=curator)
    assert (product.price_vnd, product.unit) == (180000, "túi 500 g")


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
    product = moderation.approve_product(product.id, official=curator)
    assert product.certificate_expires_on == date(2028, 5, 1)
    assert (
        last_entry("product", product.id).after["values"]["certificate_expires_on"] == "2028-05-01"
    )


# -- a producer's first listing waits for the producer ---------------------------------------


def test_first_listing_of_a_pending_producer_waits_for_the_producer(app, client):
    producer_user, curator = owner(status="pending"), official()
    first = submitted(producer_user, "Miến dong Cao Bằng")
    second = submitted(producer_user, "Trà hoa vàng")
    producer = producer_user.producer
    assert {i.kind for i in moderation.review_queue(curator)} == {"producer", "listing"}

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
    assert moderation.review_queue(elsewhere) == []
    assert reload(product).status == "submitted" and count(AuditEntry) == entries
    assert mails_to(producer_user) == [] and found("tra hoa vang") == []

    two_provinces = official("Hà Nội", "Cao Bằng")
    assert [i.id for i in moderation.review_queue(two_provinces)] == [product.id]
    moderation.reject_product(product.id, official=two_provinces, note="Thiếu chứng nhận.")
    listings.submit(producer_user, product)
    admin = create_user("admin")
    assert [i.id for i in moderation.review_queue(admin)] == [product.id]
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
    with pytest.raises(Forbidden, match="khoá"):
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
    with pytest.raises(listings.ListingError):
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


# -- claims ----------------------------------------------------------------------------------


def test_claim_hands_the_producer_over_once(app):
    listed = create_producer("HTX Trà Shan tuyết", status="active", tax_code="0100109106")
    claimant = owner(status="pending")
    abandoned = claimant.producer
    claim = profiles.claim(claimant, "0100109106", "Tôi là chủ nhiệm HTX.")
    curator = official()

    with pytest.raises(Forbidden):
        moderation.decide_claim(official("Hà Nội"), claim.id, "approve", None)
    with pytest.raises(ModerationError, match="lý do"):
        moderation.decide_claim(curator, claim.id, "reject", "")
    with pytest.raises(ModerationError, match="hợp lệ"):
        moderation.decide_claim(curator, claim.id, "request_changes", "Gửi giấy tờ.")

    moderation.decide_claim(curator, claim.id, "approve", None)

    assert claimant.producer_id == listed.id and abandoned.status == "rejected"
    entry = last_entry("producer", listed.id)
    assert entry.action == "claim.approved" and entry.after["user_producer_id"] == listed.id
    assert "đã được chấp nhận" in mails_to(claimant)[-1].subject
    with pytest.raises(ModerationError, match="đã được xử lý"):
        moderation.decide_claim(curator, claim.id, "approve", None)
    with pytest.raises(EntryNotFound):
        moderation.decide_claim(curator, 999_999, "approve", None)


def test_review_queue_lists_what_waits_oldest_first(app):
    curator = official()
    first = submitted(owner())
    pending = owner(status="pending")
    live_owner = owner()
    live = published(live_owner, curator)
    listings.update(live_owner, live, {"price_vnd": 5})
    queue = moderation.review_queue(curator)
    assert [(i.kind, i.id) for i in queue] == [
        ("listing", first.id),
        ("producer", pending.producer_id),
        ("change", live.id),
    ]
