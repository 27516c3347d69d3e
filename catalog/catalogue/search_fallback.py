"""Search answered from the database while the index is missing or damaged.

The public products (models/visibility.py, nothing else) are read as the same ProductDocs
the index holds (search_sync.to_doc's fields, from one narrow query plus the provinces'
old names) and searched by search_index.scan: folded words with đ→d, old province names,
the filters, multi-select facets, sorts and pages work as with the index, without its
accent bonus or spelling suggestion. Folding is done once per database version
(site_version, bumped by every write), so while the rebuild runs each search costs a scan
of the folded texts, not a reload; the kept copy is dropped once the index answers again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalog.extensions import db
from catalog.models import Category, Producer, Product, Province
from catalog.models.seasons import mask_to_months
from catalog.models.site import read_site_version
from catalog.models.statuses import Availability
from catalog.models.visibility import public_products
from search_index import ProductDoc, SearchPage, SearchQuery
from search_index.scan import Corpus

CACHE_KEY = "choviet_search_fallback"
_build_lock = threading.Lock()


def search(query: SearchQuery) -> SearchPage:
    return _corpus().search(query)


def autocomplete(prefix: str, limit: int) -> list[str]:
    return _corpus().autocomplete(prefix, limit)


def forget() -> None:
    """Drop the kept copy (the index answers again)."""
    current_app.extensions.pop(CACHE_KEY, None)


def _corpus() -> Corpus:
    version = read_site_version()
    kept = current_app.extensions.get(CACHE_KEY)
    if kept is not None and kept[0] == version:
        return kept[1]
    with _build_lock:  # one thread folds, the others use its result
        kept = current_app.extensions.get(CACHE_KEY)
        if kept is None or kept[0] != version:
            kept = (version, Corpus(public_docs()))
            current_app.extensions[CACHE_KEY] = kept
    return kept[1]


def public_docs() -> Iterator[ProductDoc]:
    """Every public product as the index would hold it, read without loading ORM rows."""
    provinces = {
        p.id: (p.slug, p.name, tuple(p.legacy_names))
        for p in db.session.scalars(select(Province).options(selectinload(Province.aliases)))
    }
    stmt = (
        public_products()
        .with_only_columns(
            Product.id,
            Product.slug,
            Product.name,
            Product.description,
            Product.province_id,
            Product.province_recorded_as,
            Product.public_stars_expr().label("stars"),
            Product.price_vnd,
            Product.published_at,
            Product.created_at,
            Producer.name.label("producer_name"),
            Producer.verified,
            Producer.trusted,
            Category.slug.label("category_slug"),
            Category.name.label("category_name"),
            Product.availability,
            Product.harvest_months,
        )
        .outerjoin(Category, Product.category_id == Category.id)
        .order_by(Product.id)
    )
    for row in db.session.execute(stmt):
        slug, name, aliases = provinces[row.province_id]
        if row.province_recorded_as and row.province_recorded_as not in aliases:
            aliases += (row.province_recorded_as,)
        yield ProductDoc(
            id=row.id,
            slug=row.slug,
            name=row.name,
            producer_name=row.producer_name,
            description=row.description or "",
            category_slug=row.category_slug,
            category_name=row.category_name,
            province_slug=slug,
            province_name=name,
            province_aliases=aliases,
            ocop_stars=row.stars,
            verified=row.verified,
            trusted=row.trusted,
            price_vnd=row.price_vnd,
            created_at=row.published_at or row.created_at,
            always_available=row.availability == Availability.IN_STOCK,
            harvest_months=(
                mask_to_months(row.harvest_months)
                if row.availability == Availability.SEASONAL
                else ()
            ),
        )
