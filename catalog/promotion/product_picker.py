"""The officials' product picker (featured products, campaigns, stories): the public search
through the search backend, narrowed to the official's provinces.

Apart from promotion_common because it reads through catalogue.search, whose listing code
imports the featured products (promotion.featured → promotion_common): here no cycle forms.
"""

from __future__ import annotations

from sqlalchemy import select

from catalog.catalogue import search
from catalog.extensions import db
from catalog.models import Product, Province, User
from catalog.platform.vietnamese import clean_text
from catalog.promotion.promotion_common import PICKER_LIMIT, scoped_province_ids
from search_index import SearchQuery

MAX_QUERY = 100


def pickable_products(user: User, query: str, exclude: set[int] | None = None) -> list[Product]:
    """Published products in the user's provinces that match the query the way the public
    search does (accents, case and đ ignored: "hat de" finds "Hạt dẻ"; producer names and
    descriptions count too), through the search backend and, while the index is unavailable,
    its database fallback. The no-JavaScript picker lists these with a "Thêm" button. The
    index only holds public products; the rows are checked again here (scope, exclusions),
    since the database is the truth."""
    text = clean_text(query)[:MAX_QUERY]
    if not text:
        return []
    provinces = scoped_province_ids(user)
    if provinces == []:
        return []
    slugs: tuple[str, ...] = ()
    if provinces is not None:
        slugs = tuple(db.session.scalars(select(Province.slug).where(Province.id.in_(provinces))))
    skip = exclude or set()
    found = search.run_search(
        SearchQuery(text=text, provinces=slugs, per_page=PICKER_LIMIT + len(skip))
    ).products
    allowed = set(provinces) if provinces is not None else None
    return [p for p in found if p.id not in skip and (allowed is None or p.province_id in allowed)][
        :PICKER_LIMIT
    ]
