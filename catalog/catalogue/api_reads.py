"""Read-side queries the public API needs beyond the catalogue pages (browse.py): producers,
OCOP groups and campaigns, each only as far as the public may see them.

A producer is public while its status is "active" (the same rule as its page); a product
counts only while it is published by such a producer; a campaign only once published.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from catalog.catalogue import producer_search
from catalog.extensions import db
from catalog.models import Campaign, Category, Producer, Product, campaign_products
from catalog.models.visibility import campaign_is_public, producer_is_public, public_products

_ID_CHUNK = 500


@dataclass(frozen=True)
class ProducerFilters:
    province_id: int | None = None
    type: str | None = None
    verified: bool | None = None
    trusted: bool | None = None
    # Several provinces (the search page's filter); province_id is the API's single one.
    province_ids: tuple[int, ...] = ()
    # A name as typed (producer_search): then the best matches come first.
    text: str = ""


def _public_producers(filters: ProducerFilters) -> Select:
    stmt = select(Producer).where(producer_is_public())
    if filters.province_id is not None:
        stmt = stmt.where(Producer.province_id == filters.province_id)
    if filters.province_ids:
        stmt = stmt.where(Producer.province_id.in_(filters.province_ids))
    if filters.type is not None:
        stmt = stmt.where(Producer.type == filters.type)
    if filters.verified is not None:
        stmt = stmt.where(Producer.verified.is_(filters.verified))
    if filters.trusted is not None:
        stmt = stmt.where(Producer.trusted.is_(filters.trusted))
    return stmt


def _count(stmt: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def list_producers(
    filters: ProducerFilters, page: int, per_page: int
) -> tuple[list[Producer], int]:
    """A page of public producers by name (best match first when `filters.text` is given),
    and how many there are in all."""
    base = _public_producers(filters)
    if filters.text:
        return _matching_producers(base, producer_search.ranked_ids(filters.text), page, per_page)
    stmt = base.order_by(Producer.name_key, Producer.id).offset((page - 1) * per_page)
    return list(db.session.scalars(stmt.limit(per_page)).unique()), _count(base)


def _matching_producers(
    base: Select, ranked: list[int], page: int, per_page: int
) -> tuple[list[Producer], int]:
    """The page of `ranked` (ids best first) that also passes the other filters."""
    allowed: set[int] = set()
    for start in range(0, len(ranked), _ID_CHUNK):  # well below any bound-parameter limit
        chunk = ranked[start : start + _ID_CHUNK]
        ids = base.where(Producer.id.in_(chunk)).with_only_columns(Producer.id)
        allowed.update(db.session.scalars(ids))
    kept = [pid for pid in ranked if pid in allowed]
    window = kept[(page - 1) * per_page : page * per_page]
    rows = {p.id: p for p in db.session.scalars(base.where(Producer.id.in_(window))).unique()}
    return [rows[pid] for pid in window if pid in rows], len(kept)


def get_public_producer(producer_id: int) -> Producer | None:
    return db.session.scalar(
        select(Producer).where(Producer.id == producer_id, producer_is_public())
    )


def product_counts(producer_ids: list[int]) -> dict[int, int]:
    """Public products per producer (only for the given ids)."""
    if not producer_ids:
        return {}
    sub = (
        public_products()
        .where(Product.producer_id.in_(producer_ids))
        .with_only_columns(Product.producer_id.label("pid"))
        .subquery()
    )
    rows = db.session.execute(select(sub.c.pid, func.count()).group_by(sub.c.pid)).all()
    return {pid: count for pid, count in rows}


def public_product_ids(producer_id: int) -> list[int]:
    stmt = (
        public_products()
        .where(Product.producer_id == producer_id)
        .with_only_columns(Product.id)
        .order_by(Product.id)
    )
    return list(db.session.scalars(stmt))


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position)))


def get_category(slug: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def _published_campaigns(province_id: int | None) -> Select:
    stmt = select(Campaign).where(campaign_is_public())
    if province_id is not None:
        stmt = stmt.where(Campaign.province_id == province_id)
    return stmt


def list_campaigns(province_id: int | None, page: int, per_page: int) -> tuple[list[Campaign], int]:
    """Published campaigns, latest start first."""
    base = _published_campaigns(province_id)
    stmt = base.order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    stmt = stmt.offset((page - 1) * per_page).limit(per_page)
    return list(db.session.scalars(stmt).unique()), _count(base)


def get_public_campaign(campaign_id: int) -> Campaign | None:
    return db.session.scalar(
        select(Campaign).where(Campaign.id == campaign_id, campaign_is_public())
    )


def campaign_product_ids(campaign_ids: list[int]) -> dict[int, list[int]]:
    """The campaigns' products still public, in the officials' order."""
    if not campaign_ids:
        return {}
    stmt = (
        public_products()
        .join(campaign_products, campaign_products.c.product_id == Product.id)
        .where(campaign_products.c.campaign_id.in_(campaign_ids))
        .with_only_columns(campaign_products.c.campaign_id, Product.id)
        .order_by(campaign_products.c.position, Product.id)
    )
    result: dict[int, list[int]] = {cid: [] for cid in campaign_ids}
    for campaign_id, product_id in db.session.execute(stmt):
        result[campaign_id].append(product_id)
    return result
