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
from catalog.extensions import db
from catalog.models import Producer, User
from catalog.platform.vietnamese import normalize_key, slugify
from catalog.review.decision_steps import EntryNotFound, ModerationError
from catalog.trust.marks import Mark, clear_mark, set_mark

__all__ = [
    "EntryNotFound",
    "ModerationError",
    "ProducerFilters",
    "list_producers",
    "mark_trusted",
    "unmark_trusted",
]

MAX_TEXT = 100

TRUSTED = Mark(
    field="trusted",
    set_action="producer.trust",
    clear_action="producer.untrust",
    evidence_needed="Vui lòng ghi bằng chứng: đã kiểm tra gì, khi nào, ở đâu.",
    reason_needed="Vui lòng ghi lý do bỏ đánh dấu.",
    not_markable="Chỉ đánh dấu được cơ sở đã được duyệt.",
    not_marked="Cơ sở này chưa được đánh dấu là địa chỉ tin cậy.",
)


def mark_trusted(official: User, producer_id: int, evidence: str | None) -> Producer:
    """Vouch for a producer; `evidence` says what the official checked (required)."""
    return set_mark(official, producer_id, TRUSTED, evidence)


def unmark_trusted(official: User, producer_id: int, reason: str | None) -> Producer:
    """Withdraw the mark, with the reason (required)."""
    return clear_mark(official, producer_id, TRUSTED, reason)


# -- the officials' list --------------------------------------------------------------------


@dataclass(frozen=True)
class ProducerFilters:
    status: str | None = None
    trusted: bool | None = None
    verified: bool | None = None
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
    if filters.verified is not None:
        stmt = stmt.where(Producer.verified.is_(filters.verified))
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
