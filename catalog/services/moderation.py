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

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import or_, select
from werkzeug.routing import BuildError

from ..database import write_transaction
from ..extensions import db
from ..models import Producer, ProducerClaim, Product, User
from ..vietnamese import normalize_key
from . import audit, mail, outbox
from ._common import utcnow
from .listings import EDITABLE, _apply_values, hidden_by_producer, replace_images

DECISIONS = ("approve", "reject", "request_changes")
MAX_NOTE = 2000
NO_REASON_NEEDED = ("approve", "reinstate", "restore")

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
NOTE_LABELS = {
    "approve": "Ghi chú",
    "reinstate": "Ghi chú",
    "restore": "Ghi chú",
    "reject": "Lý do",
    "suspend": "Lý do",
    "hide": "Lý do",
    "request_changes": "Nội dung cần bổ sung",
}


class ModerationError(ValueError):
    """A polite reason the decision cannot be taken (shown to the official)."""


class EntryNotFound(ModerationError, LookupError):
    """The entry does not exist (any more): deleted by its producer, or a wrong id."""


class OutOfScope(PermissionError):
    """The official does not cover this entry's province."""

    def __init__(self, message: str = "Bạn không phụ trách tỉnh, thành phố của mục này.") -> None:
        super().__init__(message)


# -- shared steps ---------------------------------------------------------------------------


def _check_scope(official: User, *province_ids: int | None) -> None:
    if not official.is_active:
        raise OutOfScope("Tài khoản của bạn đang bị khoá.")
    for province_id in province_ids:
        if province_id is not None and not official.covers(province_id):
            raise OutOfScope()


def _reason(note: str | None, decision: str) -> str:
    note = (note or "").strip()[:MAX_NOTE]
    if decision not in NO_REASON_NEEDED and not note:
        raise ModerationError("Vui lòng ghi lý do để cơ sở biết cần làm gì.")
    return note


def _check_decision(decision: str, allowed: Collection[str] = DECISIONS) -> None:
    if decision not in allowed:
        raise ModerationError(f"Quyết định không hợp lệ: {decision!r}.")


def _with_note(text: str, decision: str, note: str) -> str:
    return text + (f"\n\n{NOTE_LABELS[decision]}: {note}" if note else "")


def _site_link(endpoint: str, fallback_blueprint: str) -> str:
    """An absolute link built from SITE_URL: works in requests, the CLI and the importer."""
    parts = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )
    try:
        return adapter.build(endpoint, force_external=True)
    except BuildError:
        blueprint = current_app.blueprints.get(fallback_blueprint)
        prefix = (blueprint.url_prefix if blueprint else None) or ""
        return current_app.config["SITE_URL"].rstrip("/") + prefix + "/"


def _notify(producer: Producer, subject: str, body: str) -> None:
    """Queue an e-mail to every active account of the producer (sent after commit)."""
    link = _site_link("producer.dashboard", "producer")
    people = select(User).where(User.producer_id == producer.id, User.active.is_(True))
    for person in db.session.scalars(people):
        mail.queue(person.email, f"Chợ Việt: {subject}", f"{body}\n\nXem chi tiết: {link}")


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
    values = {name: getattr(product, name) for name in EDITABLE}
    values["images"] = [image.digest for image in product.images]
    return {
        "status": product.status,
        "review_state": product.review_state,
        "review_note": product.review_note,
        "values": values,
        "pending_changes": product.pending_changes,
    }


def decide_product(official: User, product_id: int, decision: str, note: str | None) -> Product:
    """Decide on a submitted listing, or on a pending change to a published one."""
    _check_decision(decision)

    def step(product: Product) -> str:
        if product.status == "submitted":
            _decide_new_listing(product, decision)
            return "listing"
        if product.status == "published" and product.review_state == "submitted":
            _decide_change(product, decision)
            return "change"
        raise ModerationError("Sản phẩm này không chờ duyệt.")

    return _on_product(official, product_id, decision, note, step)


def hide_product(product_id: int, *, official: User, note: str | None) -> Product:
    """Take a published listing off the public site and the index (e.g. after a complaint);
    only an official can show it again."""

    def step(product: Product) -> str:
        if product.status != "published":
            raise ModerationError("Chỉ ẩn được sản phẩm đang đăng.")
        product.status = "hidden"
        return "visibility"

    return _on_product(official, product_id, "hide", note, step)


def restore_product(product_id: int, *, official: User, note: str | None = None) -> Product:
    """Show again a listing an official hid (one its producer hid is the producer's call)."""

    def step(product: Product) -> str:
        if product.status != "hidden":
            raise ModerationError("Sản phẩm này không bị ẩn.")
        if hidden_by_producer(product):
            raise ModerationError("Sản phẩm do cơ sở tự ẩn; cơ sở sẽ tự đăng lại.")
        product.status = "published"
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
            raise EntryNotFound("Không tìm thấy sản phẩm này (có thể cơ sở đã xoá).")
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


def approve_product(product_id: int, *, official: User, note: str | None = None) -> Product:
    return decide_product(official, product_id, "approve", note)


def reject_product(product_id: int, *, official: User, note: str | None) -> Product:
    return decide_product(official, product_id, "reject", note)


def request_product_changes(product_id: int, *, official: User, note: str | None) -> Product:
    return decide_product(official, product_id, "request_changes", note)


def _decide_new_listing(product: Product, decision: str) -> None:
    if decision == "approve":
        # Public only once the producer is active too (Product.is_public, the index query).
        product.status = "published"
        product.published_at = product.published_at or utcnow()
    else:
        product.status = "rejected" if decision == "reject" else "changes_requested"


def _decide_change(product: Product, decision: str) -> None:
    if decision == "approve":
        change = dict(product.pending_changes or {})
        images = change.pop("images", None)
        if "name" in change:
            _check_name_free(product, change["name"])
        _apply_values(product, change)
        if images is not None:
            replace_images(product, images)
        product.pending_changes = None
        product.review_state = "approved"
    elif decision == "reject":
        product.pending_changes = None  # the published version stays as it is
        product.review_state = "rejected"
    else:
        product.review_state = "changes_requested"  # the producer edits the pending change


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


def _product_message(product: Product, kind: str, decision: str) -> tuple[str, str]:
    name = product.name
    if kind == "change":
        words = {
            "approve": "đã được duyệt và đang hiển thị",
            "reject": "không được duyệt; phiên bản đang đăng được giữ nguyên",
            "request_changes": "cần chỉnh sửa thêm; phiên bản đang đăng vẫn hiển thị",
        }[decision]
        return f"thay đổi sản phẩm {name}", f"Thay đổi của sản phẩm {name} {words}."
    if decision == "approve" and product.producer.status != "active":
        return (
            f"sản phẩm {name} đã được duyệt",
            f"Sản phẩm {name} đã được duyệt. Sản phẩm sẽ hiển thị công khai khi hồ sơ "
            f"cơ sở {product.producer.name} được duyệt.",
        )
    if kind == "visibility":
        words = "đã bị ẩn khỏi trang công khai" if decision == "hide" else "đã hiển thị trở lại"
        return f"sản phẩm {name} {words}", f"Sản phẩm {name} {words}."
    words = {
        "approve": "đã được duyệt và hiển thị công khai",
        "reject": "không được duyệt",
        "request_changes": "cần chỉnh sửa trước khi duyệt",
    }[decision]
    return f"sản phẩm {name} {words}", f"Sản phẩm {name} {words}."


# -- claims of an existing producer ---------------------------------------------------------


def decide_claim(official: User, claim_id: int, decision: str, note: str | None) -> ProducerClaim:
    """Hand an existing producer over to the user who claimed it, or refuse."""
    _check_decision(decision, ("approve", "reject"))
    with write_transaction():
        claim = db.session.get(ProducerClaim, claim_id)
        if claim is None:
            raise EntryNotFound("Không tìm thấy yêu cầu này.")
        _check_scope(official, claim.producer.province_id)
        if claim.status != "pending":
            raise ModerationError("Yêu cầu này đã được xử lý.")
        note = _reason(note, decision)
        claim.status = "approved" if decision == "approve" else "rejected"
        claim.decision_note = note or None
        claim.decided_by_id = official.id
        claim.decided_at = utcnow()
        user = claim.user
        before = {"user_producer_id": user.producer_id}
        if decision == "approve":
            abandoned = user.producer
            user.producer_id = claim.producer_id
            if abandoned is not None and abandoned.status != "active" and not abandoned.products:
                abandoned.status = "rejected"
        audit.record(
            official,
            f"claim.{claim.status}",
            "producer",
            claim.producer_id,
            before=before,
            after={"user": user.email, "user_producer_id": user.producer_id},
            reason=note,
        )
        words = "đã được chấp nhận" if decision == "approve" else "chưa được chấp nhận"
        label = NOTE_LABELS[decision]
        mail.queue(
            user.email,
            f"Chợ Việt: yêu cầu quản lý {claim.producer.name} {words}",
            f"Yêu cầu quản lý hồ sơ {claim.producer.name} {words}."
            + (f"\n\n{label}: {note}" if note else ""),
        )
    return claim


# -- the queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    kind: str  # producer / listing / change / claim
    id: int
    title: str
    province: str
    waiting_since: datetime | None
    detail: str = ""


def review_queue(official: User) -> list[QueueItem]:
    """Everything waiting for this official's decision, oldest first."""
    if not official.is_official:
        return []
    province_ids = None if official.role == "admin" else [p.id for p in official.provinces]

    def scoped(stmt, column):  # type: ignore[no-untyped-def]
        return stmt if province_ids is None else stmt.where(column.in_(province_ids))

    items: list[QueueItem] = []
    producers = scoped(select(Producer).where(Producer.status == "pending"), Producer.province_id)
    for p in db.session.scalars(producers):
        items.append(QueueItem("producer", p.id, p.name, p.province.name, p.created_at))
    products = scoped(
        select(Product).where(
            or_(
                Product.status == "submitted",
                (Product.status == "published") & (Product.review_state == "submitted"),
            )
        ),
        Product.province_id,
    )
    for p in db.session.scalars(products).unique():
        kind = "listing" if p.status == "submitted" else "change"
        items.append(
            QueueItem(kind, p.id, p.name, p.province.name, p.submitted_at, detail=p.producer.name)
        )
    claims = select(ProducerClaim).where(ProducerClaim.status == "pending")
    for c in db.session.scalars(claims):
        if province_ids is None or c.producer.province_id in province_ids:
            items.append(
                QueueItem(
                    "claim",
                    c.id,
                    c.producer.name,
                    c.producer.province.name,
                    c.created_at,
                    detail=c.user.email,
                )
            )
    epoch = datetime.min.replace(tzinfo=utcnow().tzinfo)
    return sorted(items, key=lambda item: item.waiting_since or epoch)
