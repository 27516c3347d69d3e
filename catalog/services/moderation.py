"""Officials' decisions on producers, listings, changes and claims, scoped by province.

Each decision is one transaction with an audit entry, an index outbox row where search may
change, and an e-mail to the producer's people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import or_, select

from ..database import write_transaction
from ..extensions import db
from ..models import Producer, ProducerClaim, Product, User
from . import audit, mail, outbox
from ._common import utcnow
from .listings import _apply_values, replace_images, working_copy

DECISIONS = ("approve", "reject", "request_changes")


class ModerationError(ValueError):
    """A polite reason the decision cannot be taken."""


class OutOfScope(PermissionError):
    """The official does not cover this entry's province."""


def _check_scope(official: User, province_id: int) -> None:
    if not official.covers(province_id):
        raise OutOfScope()


def _notify(producer: Producer, subject: str, body: str) -> None:
    link = current_app.config["SITE_URL"].rstrip("/") + url_for("producer.dashboard")
    for person in db.session.scalars(select(User).where(User.producer_id == producer.id)):
        mail.queue(person.email, f"Chợ Việt: {subject}", f"{body}\n\nXem chi tiết: {link}")


def _reason(note: str | None, decision: str) -> str:
    note = (note or "").strip()
    if decision != "approve" and not note:
        raise ModerationError("Vui lòng ghi lý do để cơ sở biết cần làm gì.")
    return note


def decide_producer(official: User, producer_id: int, decision: str, note: str | None) -> Producer:
    producer = db.session.get(Producer, producer_id)
    if producer is None:
        raise LookupError(producer_id)
    _check_scope(official, producer.province_id)
    note = _reason(note, decision)
    with write_transaction():
        before = producer.status
        producer.status = {"approve": "active", "reject": "rejected",
                           "request_changes": "changes_requested"}[decision]  # fmt: skip
        producer.review_note = note or None
        audit.record(official, f"producer.{decision}", "producer", producer.id,
                     before={"status": before}, after={"status": producer.status}, reason=note)  # fmt: skip
        outbox.record([p.id for p in producer.products], "producer_status")
        words = {"approve": "đã được duyệt", "reject": "chưa được chấp nhận",
                 "request_changes": "cần bổ sung thông tin"}[decision]  # fmt: skip
        _notify(producer, f"hồ sơ {producer.name} {words}",
                f"Hồ sơ cơ sở {producer.name} {words}." + (f"\n\nGhi chú: {note}" if note else ""))  # fmt: skip
    return producer


def decide_product(official: User, product_id: int, decision: str, note: str | None) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise LookupError(product_id)
    _check_scope(official, product.province_id)
    note = _reason(note, decision)
    with write_transaction():
        before = working_copy(product) | {"status": product.status}
        if product.status == "submitted":
            _decide_new_listing(product, decision)
        elif product.status == "published" and product.review_state == "submitted":
            _decide_change(product, decision)
        else:
            raise ModerationError("Sản phẩm này không chờ duyệt.")
        product.review_note = note or None
        product.reviewed_at = utcnow()
        audit.record(official, f"product.{decision}", "product", product.id, before=before,
                     after=working_copy(product) | {"status": product.status}, reason=note)  # fmt: skip
        outbox.record([product.id], f"review_{decision}")
        words = {"approve": "đã được duyệt và hiển thị công khai",
                 "reject": "không được duyệt",
                 "request_changes": "cần chỉnh sửa trước khi duyệt"}[decision]  # fmt: skip
        _notify(product.producer, f"sản phẩm {product.name} {words}",
                f"Sản phẩm {product.name} {words}." + (f"\n\nGhi chú: {note}" if note else ""))  # fmt: skip
    return product


def _decide_new_listing(product: Product, decision: str) -> None:
    if decision == "approve":
        if product.producer.status != "active":
            raise ModerationError(
                "Cần duyệt hồ sơ cơ sở sản xuất trước khi duyệt sản phẩm đầu tiên."
            )
        product.status = "published"
        product.published_at = product.published_at or utcnow()
    else:
        product.status = "rejected" if decision == "reject" else "changes_requested"


def _decide_change(product: Product, decision: str) -> None:
    change = product.pending_changes or {}
    if decision == "approve":
        images = change.pop("images", None)
        _apply_values(product, change)
        if images is not None:
            replace_images(product, images)
        product.pending_changes = None
        product.review_state = "approved"
    elif decision == "reject":
        product.pending_changes = None
        product.review_state = "rejected"
    else:
        product.review_state = "changes_requested"


def decide_claim(official: User, claim_id: int, decision: str, note: str | None) -> ProducerClaim:
    claim = db.session.get(ProducerClaim, claim_id)
    if claim is None or claim.status != "pending":
        raise LookupError(claim_id)
    _check_scope(official, claim.producer.province_id)
    note = _reason(note, decision if decision != "request_changes" else "reject")
    with write_transaction():
        claim.status = "approved" if decision == "approve" else "rejected"
        claim.decision_note = note or None
        claim.decided_by_id = official.id
        claim.decided_at = utcnow()
        user = claim.user
        if decision == "approve":
            abandoned = user.producer
            user.producer_id = claim.producer_id
            if abandoned is not None and abandoned.status != "active" and not abandoned.products:
                abandoned.status = "rejected"
        audit.record(official, f"claim.{claim.status}", "producer", claim.producer_id,
                     after={"user": user.email}, reason=note)  # fmt: skip
        words = "đã được chấp nhận" if decision == "approve" else "chưa được chấp nhận"
        mail.queue(user.email, f"Chợ Việt: yêu cầu quản lý {claim.producer.name} {words}",
                   f"Yêu cầu quản lý hồ sơ {claim.producer.name} {words}."
                   + (f"\n\nGhi chú: {note}" if note else ""))  # fmt: skip
    return claim


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
        items.append(QueueItem(kind, p.id, p.name, p.province.name, p.submitted_at,
                               detail=p.producer.name))  # fmt: skip
    claims = select(ProducerClaim).where(ProducerClaim.status == "pending")
    for c in db.session.scalars(claims):
        if province_ids is None or c.producer.province_id in province_ids:
            items.append(QueueItem("claim", c.id, c.producer.name, c.producer.province.name,
                                   c.created_at, detail=c.user.email))  # fmt: skip
    epoch = datetime.min.replace(tzinfo=utcnow().tzinfo)
    return sorted(items, key=lambda item: item.waiting_since or epoch)
