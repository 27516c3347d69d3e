"""Officials' decisions on producers, listings, changes and claims, scoped by province.

Each decision is one write transaction holding the change, an audit entry (before/after and
the reason), an index outbox row where search may change and an e-mail to the producer's
people; the index and the mail are applied after commit. A refused decision raises before
anything is written, so the state is never half changed.

Listings: draft → submitted → published, rejected or changes_requested (listings.py owns the
producer's side). A change to a published listing waits in `pending_changes` while the
published version stays live; approval applies it, rejection drops it. A listing may be
approved while its producer is still pending: it stays off the public site (which shows only
active producers' listings) until the producer is approved. Officials may also hide a
published listing (only they can restore it) and suspend or reinstate a producer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from catalog.certificates import claims
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.listings.listing_values import EDITABLE, apply_values, live_value, replace_images
from catalog.listings.listings import hidden_by_producer
from catalog.models import Producer, Product, User
from catalog.models.statuses import ProducerStatus, ProductStatus, ReviewState
from catalog.platform import audit, outbox
from catalog.platform.clock import utcnow
from catalog.platform.vietnamese import normalize_key
from catalog.review.decision_steps import EntryNotFound, ModerationError
from catalog.review.decision_steps import check_decision as _check_decision
from catalog.review.decision_steps import check_scope as _check_scope
from catalog.review.decision_steps import notify as _notify
from catalog.review.decision_steps import reason as _reason
from catalog.review.decision_steps import with_note as _with_note

# Producer decision -> (states it may be taken from, resulting state).
PRODUCER_DECISIONS = {
    "approve": (("pending", "changes_requested"), "active"),
    "reject": (("pending", "changes_requested"), "rejected"),
    "request_changes": (("pending",), "changes_requested"),
    "suspend": (("active",), "suspended"),
    "reinstate": (("suspended",), "active"),
}
PRODUCER_STATES = {
    "pending": "chờ duyệt",
    "active": "đang hoạt động",
    "changes_requested": "cần bổ sung",
    "rejected": "không được chấp nhận",
    "suspended": "tạm ngừng",
}
PRODUCER_WORDS = {
    "approve": "đã được duyệt",
    "reject": "chưa được chấp nhận",
    "request_changes": "cần bổ sung thông tin",
    "suspend": "đã bị tạm ngừng hiển thị",
    "reinstate": "đã được hiển thị trở lại",
}


# -- producers ------------------------------------------------------------------------------


def decide_producer(official: User, producer_id: int, decision: str, note: str | None) -> Producer:
    """Approve, reject or ask for changes on a producer's registration; also `suspend`
    (its listings leave the public site and the index at once) and `reinstate`."""
    _check_decision(decision, PRODUCER_DECISIONS)
    with write_transaction():
        producer = db.session.get(Producer, producer_id)
        if producer is None:
            raise EntryNotFound("Không tìm thấy cơ sở sản xuất này.")
        _check_scope(official, producer.province_id)
        note = _reason(note, decision)
        allowed_from, new_status = PRODUCER_DECISIONS[decision]
        if producer.status not in allowed_from:
            state = PRODUCER_STATES.get(producer.status, producer.status)
            raise ModerationError(f"Không thể thực hiện: hồ sơ cơ sở đang ở trạng thái “{state}”.")
        before = {"status": producer.status, "review_note": producer.review_note}
        producer.status = new_status
        producer.review_note = note or None
        audit.record(
            official,
            f"producer.{decision}",
            "producer",
            producer.id,
            before=before,
            after={"status": producer.status, "review_note": producer.review_note},
            reason=note,
        )
        # Whether its listings are public depends on the producer's status.
        outbox.record([p.id for p in producer.products], f"producer_{decision}")
        words = PRODUCER_WORDS[decision]
        _notify(
            producer,
            f"hồ sơ {producer.name} {words}",
            _with_note(f"Hồ sơ cơ sở {producer.name} {words}.", decision, note),
        )
    return producer


def approve_producer(producer_id: int, *, official: User, note: str | None = None) -> Producer:
    return decide_producer(official, producer_id, "approve", note)


def reject_producer(producer_id: int, *, official: User, note: str | None) -> Producer:
    return decide_producer(official, producer_id, "reject", note)


def suspend_producer(producer_id: int, *, official: User, note: str | None) -> Producer:
    return decide_producer(official, producer_id, "suspend", note)


def reinstate_producer(producer_id: int, *, official: User, note: str | None = None) -> Producer:
    return decide_producer(official, producer_id, "reinstate", note)


# -- listings and changes to published listings ---------------------------------------------


def _state(product: Product) -> dict[str, Any]:
    """What an audit entry keeps of a product: workflow state, live values, pending change."""
    values = {name: live_value(product, name) for name in EDITABLE}
    values["images"] = [image.digest for image in product.images]
    return {
        "status": product.status,
        "review_state": product.review_state,
        "review_note": product.review_note,
        "values": values,
        "pending_changes": product.pending_changes,
    }


def decide_product(
    official: User,
    product_id: int,
    decision: str,
    note: str | None,
    settlement: claims.Settlement | None = None,
) -> Product:
    """Decide on a submitted listing, or on a pending change to a published one. Approving
    one that claims OCOP stars settles the claim in the same step (claims.settle: record,
    confirm the record on file, or drop); without a settlement it is refused."""
    _check_decision(decision)

    def step(product: Product) -> str:
        if product.status == ProductStatus.SUBMITTED:
            kind = "listing"
            _decide_new_listing(product, decision)
        elif (
            product.status == ProductStatus.PUBLISHED
            and product.review_state == ReviewState.SUBMITTED
        ):
            kind = "change"
            _decide_change(product, decision)
        else:
            raise ModerationError("Sản phẩm này không chờ duyệt.")
        if decision == "approve":
            claims.settle(official, product, settlement)
        return kind

    return _on_product(official, product_id, decision, note, step)


def hide_product(product_id: int, *, official: User, note: str | None) -> Product:
    """Take a published listing off the public site and the index (e.g. after a complaint);
    only an official can show it again."""

    def step(product: Product) -> str:
        if product.status != ProductStatus.PUBLISHED:
            raise ModerationError("Chỉ ẩn được sản phẩm đang đăng.")
        product.status = ProductStatus.HIDDEN
        return "visibility"

    return _on_product(official, product_id, "hide", note, step)


def restore_product(product_id: int, *, official: User, note: str | None = None) -> Product:
    """Show again a listing an official hid (one its producer hid is the producer's call)."""

    def step(product: Product) -> str:
        if product.status != ProductStatus.HIDDEN:
            raise ModerationError("Sản phẩm này không bị ẩn.")
        if hidden_by_producer(product):
            raise ModerationError("Sản phẩm do cơ sở tự ẩn; cơ sở sẽ tự đăng lại.")
        product.status = ProductStatus.PUBLISHED
        return "visibility"

    return _on_product(official, product_id, "restore", note, step)


def _on_product(
    official: User, product_id: int, decision: str, note: str | None, step: Callable[[Product], str]
) -> Product:
    """One decision on a product: load, scope, reason, `step` (the change, or a polite
    refusal), then audit entry, outbox row and e-mail, all in one transaction."""
    with write_transaction():
        product = db.session.get(Product, product_id)
        if product is None:
            raise EntryNotFound("Không tìm thấy sản phẩm này (có thể cơ sở đã xóa).")
        moved_to = (product.pending_changes or {}).get("province_id")
        _check_scope(official, product.province_id, moved_to)
        note = _reason(note, decision)
        before = _state(product)
        kind = step(product)
        product.review_note = note or None
        product.reviewed_at = utcnow()
        action = f"product.change_{decision}" if kind == "change" else f"product.{decision}"
        after = _state(product)
        audit.record(
            official, action, "product", product.id, before=before, after=after, reason=note
        )
        outbox.record([product.id], f"{kind}_{decision}")
        subject, body = _product_message(product, kind, decision)
        _notify(product.producer, subject, _with_note(body, decision, note))
    return product


def approve_product(
    product_id: int,
    *,
    official: User,
    note: str | None = None,
    settlement: claims.Settlement | None = None,
) -> Product:
    return decide_product(official, product_id, "approve", note, settlement)


def reject_product(product_id: int, *, official: User, note: str | None) -> Product:
    return decide_product(official, product_id, "reject", note)


def request_product_changes(product_id: int, *, official: User, note: str | None) -> Product:
    return decide_product(official, product_id, "request_changes", note)


def _decide_new_listing(product: Product, decision: str) -> None:
    if decision == "approve":
        # Public only once the producer is active too (Product.is_public, the index query).
        product.status = ProductStatus.PUBLISHED
        product.published_at = product.published_at or utcnow()
    else:
        product.status = ProductStatus.REJECTED if decision == "reject" else "changes_requested"


def _decide_change(product: Product, decision: str) -> None:
    if decision == "approve":
        change = dict(product.pending_changes or {})
        images = change.pop("images", None)
        if "name" in change:
            _check_name_free(product, change["name"])
        apply_values(product, change)
        if images is not None:
            replace_images(product, images)
        product.pending_changes = None
        product.review_state = ReviewState.APPROVED
    elif decision == "reject":
        product.pending_changes = None  # the published version stays as it is
        product.review_state = ReviewState.REJECTED
    else:
        product.review_state = (
            ReviewState.CHANGES_REQUESTED
        )  # the producer edits the pending change


def _check_name_free(product: Product, name: str) -> None:
    clash = db.session.scalar(
        select(Product.id).where(
            Product.producer_id == product.producer_id,
            Product.name_key == normalize_key(name),
            Product.id != product.id,
        )
    )
    if clash is not None:
        raise ModerationError(f"Cơ sở đã có một sản phẩm khác tên “{name}”.")


# What the producer is told of a decision: on a change, on a new listing.
_CHANGE_WORDS = {
    "approve": "đã được duyệt và đang hiển thị",
    "reject": "không được duyệt; phiên bản đang đăng được giữ nguyên",
    "request_changes": "cần chỉnh sửa thêm; phiên bản đang đăng vẫn hiển thị",
}
_LISTING_WORDS = {
    "approve": "đã được duyệt và hiển thị công khai",
    "reject": "không được duyệt",
    "request_changes": "cần chỉnh sửa trước khi duyệt",
    "hide": "đã bị ẩn khỏi trang công khai",
    "restore": "đã hiển thị trở lại",
}


def _product_message(product: Product, kind: str, decision: str) -> tuple[str, str]:
    name = product.name
    if kind == "change":
        words = _CHANGE_WORDS[decision]
        return f"thay đổi sản phẩm {name}", f"Thay đổi của sản phẩm {name} {words}."
    if decision == "approve" and product.producer.status != ProducerStatus.ACTIVE:
        return (
            f"sản phẩm {name} đã được duyệt",
            f"Sản phẩm {name} đã được duyệt. Sản phẩm sẽ hiển thị công khai khi hồ sơ "
            f"cơ sở {product.producer.name} được duyệt.",
        )
    words = _LISTING_WORDS[decision]
    return f"sản phẩm {name} {words}", f"Sản phẩm {name} {words}."
