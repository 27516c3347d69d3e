"""Trusted addresses ("Địa chỉ tin cậy") and the officials' list of producers.

An official vouches for a producer they know (visited, checked its papers): the mark is
shown on the producer's page, its products and in search, so it always carries the evidence
note, who and when. Marking or unmarking re-indexes all its products (the badge and the
"tin cậy" facet come from the index). Suspending and reinstating a producer are moderation
decisions (moderation.suspend_producer / reinstate_producer).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import selectinload

from catalog.catalogue.browse import Page
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Producer, User
from catalog.platform import audit, outbox
from catalog.platform.clock import utcnow
from catalog.platform.vietnamese import normalize_key, slugify
from catalog.review.decision_steps import MAX_NOTE, EntryNotFound, ModerationError, check_scope

__all__ = [
    "EntryNotFound",
    "ModerationError",
    "ProducerFilters",
    "list_producers",
    "mark_trusted",
    "unmark_trusted",
]

# Only a producer the public can see (or one suspended for a while) can be vouched for.
TRUSTABLE = ("active", "suspended")
MAX_TEXT = 100


def _state(producer: Producer) -> dict[str, object]:
    return audit.snapshot(producer, "trusted", "trusted_note", "trusted_at", "trusted_by_id")


def _note(note: str | None, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ModerationError(message)
    if len(note) > MAX_NOTE:
        raise ModerationError(f"Ghi chú tối đa {MAX_NOTE} ký tự.")
    return note


def _load(official: User, producer_id: int) -> Producer:
    producer = db.session.get(Producer, producer_id)
    if producer is None:
        raise EntryNotFound("Không tìm thấy cơ sở sản xuất này.")
    check_scope(official, producer.province_id)
    return producer


def _finish(official: User, action: str, producer: Producer, before: dict, note: str) -> None:
    audit.record(
        official,
        action,
        "producer",
        producer.id,
        before=before,
        after=_state(producer),
        reason=note,
    )
    outbox.record([p.id for p in producer.products], action.replace(".", "_"))


def mark_trusted(official: User, producer_id: int, evidence: str | None) -> Producer:
    """Vouch for a producer; `evidence` says what the official checked (required). Marking
    again replaces the evidence (the audit log keeps the earlier one)."""
    with write_transaction():
        producer = _load(official, producer_id)
        note = _note(evidence, "Vui lòng ghi bằng chứng: đã kiểm tra gì, khi nào, ở đâu.")
        if producer.status not in TRUSTABLE:
            raise ModerationError("Chỉ đánh dấu được cơ sở đã được duyệt.")
        before = _state(producer)
        producer.trusted = True
        producer.trusted_note = note
        producer.trusted_at = utcnow()
        producer.trusted_by_id = official.id
        _finish(official, "producer.trust", producer, before, note)
    return producer


def unmark_trusted(official: User, producer_id: int, reason: str | None) -> Producer:
    """Withdraw the mark, with the reason (required)."""
    with write_transaction():
        producer = _load(official, producer_id)
        note = _note(reason, "Vui lòng ghi lý do bỏ đánh dấu.")
        if not producer.trusted:
            raise ModerationError("Cơ sở này chưa được đánh dấu là địa chỉ tin cậy.")
        before = _state(producer)
        producer.trusted = False
        producer.trusted_note = None
        producer.trusted_at = None
        producer.trusted_by_id = None
        _finish(official, "producer.untrust", producer, before, note)
    return producer


# -- the officials' list --------------------------------------------------------------------


@dataclass(frozen=True)
class ProducerFilters:
    status: str | None = None
    trusted: bool | None = None
    text: str = ""
    page: int = 1
    per_page: int = 30


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_producers(official: User, filters: ProducerFilters) -> Page:
    """Producers of the official's provinces (all for an admin), newest first."""
    if not official.is_official:
        return Page(items=[], total=0, page=1, per_page=filters.per_page)
    stmt = select(Producer)
    if official.role != "admin":
        stmt = stmt.where(Producer.province_id.in_([p.id for p in official.provinces]))
    if filters.status:
        stmt = stmt.where(Producer.status == filters.status)
    if filters.trusted is not None:
        stmt = stmt.where(Producer.trusted.is_(filters.trusted))
    text = filters.text.strip()[:MAX_TEXT]
    if text:
        # The name as typed (accents kept) or, through the slug, without accents ("mien").
        slug = slugify(text)
        stmt = stmt.where(
            or_(
                Producer.name_key.like(f"%{_like(normalize_key(text))}%", escape="\\"),
                Producer.slug.like(f"%{_like(slug)}%", escape="\\") if slug else false(),
                Producer.tax_code == text.replace(" ", ""),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // filters.per_page))
    page = min(max(1, filters.page), pages)
    items = list(
        db.session.scalars(
            stmt.order_by(Producer.created_at.desc(), Producer.id.desc())
            .options(selectinload(Producer.products))
            .limit(filters.per_page)
            .offset((page - 1) * filters.per_page)
        ).unique()
    )
    return Page(items=items, total=total, page=page, per_page=filters.per_page)
