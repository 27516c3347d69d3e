"""What waits for an official's decision, oldest first, and bulk approval.

Kinds: new producers, new listings, changes to published listings, claims of an existing
producer, and "incomplete" entries (imported or entered by an official) that lack what the
public pages need: a product without an OCOP group, a producer without a type or without any
contact. The queue is small per province, so it is built in Python and filtered there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select

from catalog.errors import Forbidden
from catalog.extensions import db
from catalog.models import Producer, ProducerClaim, Product, User
from catalog.models.statuses import ProducerStatus, ProductStatus, ReviewState
from catalog.platform.clock import utcnow
from catalog.platform.numbers import kind_and_id
from catalog.review.decision_steps import EntryNotFound, ModerationError

KINDS = ("producer", "listing", "change", "claim", "incomplete")
# Kinds an official may approve in bulk (claims and completions need a person's judgement).
BULK_KINDS = ("producer", "listing", "change")
# Where an entry came from when nobody of the producer typed it in.
OUTSIDE_SOURCES = ("import", "official")
# What an "incomplete" entry lacks, in the officials' words.
GAP_LABELS = {
    "type": "loại hình",
    "contact": "thông tin liên lạc",
    "category_id": "nhóm sản phẩm OCOP",
}
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueItem:
    kind: str  # producer / listing / change / claim / incomplete
    id: int
    title: str
    province: str
    waiting_since: datetime | None
    detail: str = ""
    province_id: int | None = None
    entity: str = ""  # incomplete items: "producer" or "product"
    missing: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The checkbox value of a bulk-approvable row: "producer:12", "listing:5"."""
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int  # after the filters
    counts: dict[str, int]  # per kind, within province and text filters
    page: int
    pages: int


@dataclass
class BulkResult:
    approved: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (name or key, why)


def _province_ids(official: User) -> list[int] | None:
    return None if official.role == "admin" else [p.id for p in official.provinces]


def producer_gaps(producer: Producer) -> tuple[str, ...]:
    """What an imported producer still lacks, as field names."""
    gaps = []
    if not producer.type:
        gaps.append("type")
    if not (producer.phone or producer.email or producer.address):
        gaps.append("contact")
    return tuple(gaps)


def product_gaps(product: Product) -> tuple[str, ...]:
    return () if product.category_id else ("category_id",)


def review_queue(official: User) -> list[QueueItem]:
    """Everything waiting for this official's decision, oldest first."""
    if not official.is_official:
        return []
    province_ids = _province_ids(official)

    def scoped(stmt: Select[Any], column: Any) -> Select[Any]:
        return stmt if province_ids is None else stmt.where(column.in_(province_ids))

    items: list[QueueItem] = []
    producers = scoped(
        select(Producer).where(Producer.status == ProducerStatus.PENDING), Producer.province_id
    )
    for p in db.session.scalars(producers):
        items.append(
            QueueItem("producer", p.id, p.name, p.province.name, p.created_at, "", p.province_id)
        )
    products = scoped(
        select(Product).where(
            or_(
                Product.status == ProductStatus.SUBMITTED,
                (Product.status == ProductStatus.PUBLISHED)
                & (Product.review_state == ReviewState.SUBMITTED),
            )
        ),
        Product.province_id,
    )
    for p in db.session.scalars(products).unique():
        kind = "listing" if p.status == "submitted" else "change"
        items.append(
            QueueItem(
                kind, p.id, p.name, p.province.name, p.submitted_at, p.producer.name, p.province_id
            )
        )
    items += _claims(province_ids)
    items += _incomplete(scoped)
    epoch = datetime.min.replace(tzinfo=utcnow().tzinfo)
    return sorted(items, key=lambda item: (item.waiting_since or epoch, item.kind, item.id))


def _claims(province_ids: list[int] | None) -> list[QueueItem]:
    items = []
    for c in db.session.scalars(select(ProducerClaim).where(ProducerClaim.status == "pending")):
        producer = c.producer
        if province_ids is None or producer.province_id in province_ids:
            items.append(
                QueueItem(
                    "claim",
                    c.id,
                    producer.name,
                    producer.province.name,
                    c.created_at,
                    c.user.email,
                    producer.province_id,
                )
            )
    return items


def _incomplete(scoped: Callable[[Select[Any], Any], Select[Any]]) -> list[QueueItem]:
    """Imported or official-entered entries that lack an OCOP group, a type or any contact."""
    items = []
    producers = select(Producer).where(
        Producer.source.in_(OUTSIDE_SOURCES),
        Producer.status != ProducerStatus.REJECTED,
        or_(
            Producer.type.is_(None),
            (Producer.phone.is_(None) | (Producer.phone == ""))
            & (Producer.email.is_(None) | (Producer.email == ""))
            & (Producer.address.is_(None) | (Producer.address == "")),
        ),
    )
    for p in db.session.scalars(scoped(producers, Producer.province_id)):
        items.append(
            QueueItem(
                "incomplete", p.id, p.name, p.province.name, p.created_at, "",
                p.province_id, "producer", producer_gaps(p),
            )
        )  # fmt: skip
    products = select(Product).where(
        Product.source.in_(OUTSIDE_SOURCES),
        Product.status != ProductStatus.REJECTED,
        Product.category_id.is_(None),
    )
    for p in db.session.scalars(scoped(products, Product.province_id)).unique():
        items.append(
            QueueItem(
                "incomplete", p.id, p.name, p.province.name, p.created_at, p.producer.name,
                p.province_id, "product", product_gaps(p),
            )
        )  # fmt: skip
    return items


def _matches(item: QueueItem, folded_text: str) -> bool:
    from search_index.text import fold

    return folded_text in fold(f"{item.title} {item.detail}")


def filtered_queue(
    official: User,
    *,
    kind: str = "",
    province_id: int | None = None,
    text: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> QueuePage:
    """One page of the queue after the filters (kind, province, text in the name), with the
    per-kind counts the filter links show."""
    from search_index.text import fold

    items = review_queue(official)
    if province_id is not None:
        items = [item for item in items if item.province_id == province_id]
    folded = fold(text.strip())
    if folded:
        items = [item for item in items if _matches(item, folded)]
    counts = {key: sum(1 for item in items if item.kind == key) for key in KINDS}
    if kind in KINDS:
        items = [item for item in items if item.kind == kind]
    pages = max(1, math.ceil(len(items) / page_size))
    page = min(max(page, 1), pages)
    shown = items[(page - 1) * page_size : page * page_size]
    return QueuePage(shown, len(items), counts, page, pages)


def bulk_approve(official: User, keys: Iterable[str]) -> BulkResult:
    """Approve each selected entry through its own decision (one transaction each), so one
    refusal (out of scope, already decided, deleted) never blocks or undoes the others."""
    from catalog.review import moderation

    result = BulkResult()
    for key in dict.fromkeys(keys):  # once each, in the order given
        label = str(key)[:40]
        parsed = kind_and_id(key, BULK_KINDS)  # ASCII digits that fit an id ("²" is no id)
        if parsed is None:
            result.refused.append((label, "Mục này không duyệt hàng loạt được."))
            continue
        kind, entry_id = parsed
        entry: Producer | Product
        try:
            if kind == "producer":
                entry = moderation.decide_producer(official, entry_id, "approve", None)
            else:
                entry = moderation.decide_product(official, entry_id, "approve", None)
        except Forbidden as exc:
            result.refused.append((label, str(exc)))
        except EntryNotFound as exc:
            result.refused.append((label, str(exc)))
        except ModerationError as exc:
            result.refused.append((_name(kind, entry_id) or label, str(exc)))
        else:
            result.approved.append(entry.name)
    return result


def _name(kind: str, entry_id: int) -> str | None:
    row: Producer | Product | None
    if kind == "producer":
        row = db.session.get(Producer, entry_id)
    else:
        row = db.session.get(Product, entry_id)
    return row.name if row is not None else None
