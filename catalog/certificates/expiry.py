"""Time passing: a certificate that expired since its product was last indexed.

Expiry needs no write: the product's public stars are computed against today's date. The
search index, however, stores the stars a product had when it was last indexed, so
`refresh` (run daily, see `flask --app app certificates refresh`) queues products whose
indexed stars no longer match.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Product
from catalog.models.products import OCOP_STARS
from catalog.models.visibility import public_products
from catalog.platform import outbox
from catalog.platform.search_sync import backend
from search_index import IndexUnavailable, SearchQuery

__all__ = ["refresh", "stale_stars"]


def _indexed_with_stars(stars: int) -> set[int]:
    """What the index holds; a lost index holds nothing, so every starred product is queued
    and applying the outbox rebuilds the index (search_sync)."""
    search, ids, page = backend(), set(), 1
    while True:
        try:
            result = search.search(SearchQuery(stars=(stars,), page=page, per_page=100))
        except IndexUnavailable:
            return set()
        ids.update(result.ids)
        if page * result.per_page >= result.total:
            return ids
        page += 1


def stale_stars(today: date | None = None) -> set[int]:
    """Published products whose indexed stars differ from the stars the public sees now
    (a certificate expired since the product was last indexed)."""
    today = today or date.today()
    stale: set[int] = set()
    for stars in OCOP_STARS:
        shown = set(
            db.session.scalars(
                public_products()
                .with_only_columns(Product.id)
                .where(Product.public_stars_expr(today) == stars)
            )
        )
        stale |= shown ^ _indexed_with_stars(stars)
    return stale


def refresh(today: date | None = None) -> int:
    """Queue products whose stars changed with time; the commit applies the outbox. Run
    daily (cron or a systemd timer) so an expired certificate leaves star filters at once."""
    ids = stale_stars(today)
    db.session.commit()
    if ids:
        with write_transaction():
            outbox.record(_existing(ids), "certificate_expiry")
    return len(ids)


def _existing(ids: Iterable[int]) -> list[int]:
    return list(db.session.scalars(select(Product.id).where(Product.id.in_(list(ids)))))
