"""Read-side queries for the public catalogue pages (the index serves free-text search)."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from catalog.extensions import db
from catalog.models import Category, Producer, Product, Province
from catalog.models.seasons import available_expr, in_season_expr
from catalog.models.visibility import producer_is_public, public_products
from catalog.platform import geo
from catalog.platform.vietnamese import fold, province_key
from catalog.promotion.featured import home_products

SORTS = {
    "moi-nhat": "Mới nhất",
    "sao": "Nhiều sao OCOP",
    "gia-tang": "Giá thấp đến cao",
    "gia-giam": "Giá cao đến thấp",
    "ten": "Tên A–Z",
}
DEFAULT_SORT = "moi-nhat"


@dataclass(frozen=True)
class BrowseFilters:
    province_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    stars: tuple[int, ...] = ()
    producer_id: int | None = None
    # "Đang có hàng": only products available in this month (1–12), chosen at query time.
    available_month: int | None = None
    # Consumers' positive trust filters (search_params.POSITIVE_FLAGS): what a producer or
    # product has, never what it lacks.
    verified: bool = False
    trusted: bool = False
    certified: bool = False
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = 24
    # Socio-economic regions (vung): their provinces join province_ids (places add up).
    regions: tuple[geo.Region, ...] = ()
    # Pre-2025 provinces (ten-cu, e.g. "Bắc Giang"): only products recorded under that name,
    # matched by every spelling found in Product.province_recorded_as (recorded_spellings).
    old_names: tuple[str, ...] = ()
    recorded_as: tuple[str, ...] = ()

    @property
    def place_ids(self) -> tuple[int, ...]:
        """Provinces asked for by name and by region, each once."""
        ids = (*self.province_ids, *(i for r in self.regions for i in r.province_ids))
        return tuple(dict.fromkeys(ids))


@dataclass
class Page:
    items: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 24

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


Row = TypeVar("Row")  # what a statement selects: products, or only their ids


def _filtered(filters: BrowseFilters) -> Select[Product]:
    stmt = public_products()
    if filters.place_ids:
        stmt = stmt.where(Product.province_id.in_(filters.place_ids))
    if filters.recorded_as:
        stmt = stmt.where(Product.province_recorded_as.in_(filters.recorded_as))
    if filters.category_ids:
        stmt = stmt.where(Product.category_id.in_(filters.category_ids))
    if filters.stars:
        stmt = stmt.where(Product.public_stars_expr().in_(filters.stars))
    if filters.producer_id is not None:
        stmt = stmt.where(Product.producer_id == filters.producer_id)
    if filters.available_month is not None:
        stmt = stmt.where(available_expr(filters.available_month))
    if filters.verified:
        stmt = stmt.where(Producer.verified.is_(True))
    if filters.trusted:
        stmt = stmt.where(Producer.trusted.is_(True))
    if filters.certified:
        stmt = stmt.where(Product.public_stars_expr().is_not(None))
    return stmt


def flag_counts(scope: BrowseFilters, month: int) -> dict[str, int]:
    """How many of the scope's products each positive filter would keep, in one pass
    ("Đang có hàng" for `month`, "Đã xác minh", "Địa chỉ tin cậy", "Chứng nhận còn hiệu lực")."""
    keep = {
        "available": available_expr(month),
        "verified": Producer.verified.is_(True),
        "trusted": Producer.trusted.is_(True),
        "certified": Product.public_stars_expr().is_not(None),
    }
    sub = (
        _filtered(scope)
        .with_only_columns(*(case((rule, 1)).label(name) for name, rule in keep.items()))
        .subquery()
    )
    row = db.session.execute(select(*(func.count(sub.c[name]) for name in keep))).one()
    return dict(zip(keep, row, strict=True))


def _ordered(stmt: Select[Row], sort: str) -> Select[Row]:
    if sort == "sao":
        return stmt.order_by(Product.public_stars_expr().desc().nulls_last(), Product.id.desc())
    if sort == "gia-tang":
        return stmt.order_by(Product.price_vnd.asc().nulls_last(), Product.id)
    if sort == "gia-giam":
        return stmt.order_by(Product.price_vnd.desc().nulls_last(), Product.id)
    if sort == "ten":
        return stmt.order_by(Product.name_key, Product.id)
    return stmt.order_by(Product.published_at.desc(), Product.id.desc())


def load_in_order(ids: list[int]) -> list[Product]:
    """Public products with these ids, in this order.

    Listings pick the page's ids first with a narrow query (the database then sorts ids and
    sort keys, not whole rows with descriptions and the eagerly joined producer), then load
    just those rows: on 20k products that is what keeps a listing page from sorting
    megabytes for 24 cards."""
    if not ids:
        return []
    stmt = public_products().where(Product.id.in_(ids))
    by_id = {p.id: p for p in db.session.scalars(stmt).unique()}
    return [by_id[i] for i in ids if i in by_id]


def list_products(filters: BrowseFilters) -> Page:
    base = _filtered(filters)
    ids_only = base.with_only_columns(Product.id)
    total = db.session.scalar(select(func.count()).select_from(ids_only.subquery())) or 0
    stmt = (
        _ordered(ids_only, filters.sort)
        .offset((filters.page - 1) * filters.per_page)
        .limit(filters.per_page)
    )
    items = load_in_order(list(db.session.scalars(stmt)))
    return Page(items=items, total=total, page=filters.page, per_page=filters.per_page)


def featured_products(limit: int = 12) -> list[Product]:
    """The home page's row: officials' choice newest first, then the best rated."""
    return home_products(limit)


def in_season_products(month: int, limit: int = 8) -> list[Product]:
    """The home page's "Đang vào mùa": seasonal products harvested this month,
    the best rated first."""
    stmt = (
        public_products()
        .where(in_season_expr(month))
        .order_by(Product.public_stars_expr().desc().nulls_last(), Product.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt).unique())


def counts_by(column: Any, scope: BrowseFilters | None = None) -> dict[int, int]:
    """Public product counts grouped by a Product column (province, category, stars),
    within a scope (a province page counts only that province's products)."""
    base = _filtered(scope) if scope is not None else public_products()
    sub = base.with_only_columns(column.label("key")).subquery()
    rows = db.session.execute(select(sub.c.key, func.count()).group_by(sub.c.key)).all()
    return {key: count for key, count in rows if key is not None}


@dataclass(frozen=True)
class FacetCounts:
    provinces: dict[int, int]
    categories: dict[int, int]
    stars: dict[int, int]


def facet_counts(scope: BrowseFilters | None = None) -> FacetCounts:
    """Province, OCOP group and star counts from one grouped pass over the scope instead of
    three (each pass reads every public product row, which dominates listing pages)."""
    base = _filtered(scope) if scope is not None else public_products()
    sub = base.with_only_columns(
        Product.province_id.label("province"),
        Product.category_id.label("category"),
        Product.public_stars_expr().label("stars"),
    ).subquery()
    keys = (sub.c.province, sub.c.category, sub.c.stars)
    rows = db.session.execute(select(*keys, func.count()).group_by(*keys)).all()
    provinces: dict[int, int] = {}
    categories: dict[int, int] = {}
    stars: dict[int, int] = {}
    for province, category, star, count in rows:
        for counts, key in ((provinces, province), (categories, category), (stars, star)):
            if key is not None:
                counts[key] = counts.get(key, 0) + count
    return FacetCounts(provinces, categories, stars)


def region_counts(by_province: dict[int, int]) -> dict[str, int]:
    """Region slug → products, summed from the provinces' counts (a region is its
    provinces), so the region facet always agrees with the province facet."""
    return {r.slug: sum(by_province.get(i, 0) for i in r.province_ids) for r in geo.all_regions()}


def province_counts(scope: BrowseFilters | None = None) -> dict[int, int]:
    return counts_by(Product.province_id, scope)


def category_counts(scope: BrowseFilters | None = None) -> dict[int, int]:
    return counts_by(Product.category_id, scope)


def star_counts(scope: BrowseFilters | None = None) -> dict[int, int]:
    return counts_by(Product.public_stars_expr(), scope)


def totals() -> tuple[int, int]:
    """(public products, producers with at least one public product)."""
    sub = public_products().with_only_columns(Product.id, Product.producer_id).subquery()
    row = db.session.execute(
        select(func.count(sub.c.id), func.count(func.distinct(sub.c.producer_id)))
    ).one()
    return int(row[0]), int(row[1])


def get_public_product(slug: str) -> Product | None:
    stmt = public_products().where(Product.slug == slug)
    return db.session.scalars(stmt).unique().first()


def get_public_product_by_id(product_id: int) -> Product | None:
    stmt = public_products().where(Product.id == product_id)
    return db.session.scalars(stmt).unique().first()


def get_public_producer(slug: str) -> Producer | None:
    return db.session.scalar(select(Producer).where(Producer.slug == slug, producer_is_public()))


def get_province(slug: str) -> Province | None:
    return db.session.scalar(select(Province).where(Province.slug == slug))


def get_category(slug: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def related_products(product: Product, limit: int = 4) -> list[Product]:
    stmt = (
        public_products()
        .with_only_columns(Product.id)
        .where(Product.id != product.id, Product.province_id == product.province_id)
        .order_by(Product.public_stars_expr().desc().nulls_last(), Product.id)
        .limit(limit)
    )
    return load_in_order(list(db.session.scalars(stmt)))


def provinces_with_other_names() -> list[Province]:
    """Every province with its other names loaded in the same round trip: the home page
    shows "gồm …" under each one, which otherwise costs one query per province."""
    stmt = select(Province).options(selectinload(Province.aliases))
    return sorted(db.session.scalars(stmt), key=lambda p: fold(p.name))


def recorded_legacy_names(province: Province) -> list[str]:
    """Old province names under which this province's products were recorded."""
    stmt = (
        select(Product.province_recorded_as)
        .where(Product.province_id == province.id, Product.province_recorded_as.is_not(None))
        .distinct()
    )
    return sorted(name for name in db.session.scalars(stmt) if name)


def recorded_spellings(match: geo.ProvinceMatch) -> tuple[str, ...]:
    """Every spelling under which products of the new province were recorded as this old
    one: the importer keeps the name as the list wrote it ("Tỉnh Bắc Giang", "Bac Giang"),
    so they are matched by key, and the name itself always counts."""
    assert match.old_name is not None
    key = province_key(match.old_name)
    stmt = (
        select(Product.province_recorded_as)
        .where(Product.province_id == match.province.id, Product.province_recorded_as.is_not(None))
        .distinct()
    )
    found = {name for name in db.session.scalars(stmt) if name and province_key(name) == key}
    return tuple(sorted(found | {match.old_name}))
