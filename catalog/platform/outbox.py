"""Recording search-index changes in the same transaction as the data change."""

from __future__ import annotations

from collections.abc import Iterable

from catalog.database import OUTBOX_FLAG, flag_for_commit
from catalog.extensions import db
from catalog.models import IndexOutbox


def record(product_ids: Iterable[int], reason: str) -> None:
    """Queue products for re-indexing. Call inside the write transaction of the change;
    the ids must exist (flush first for new rows)."""
    ids = set(product_ids)
    for product_id in ids:
        db.session.add(IndexOutbox(product_id=product_id, reason=reason[:40]))
    if ids:
        flag_for_commit(OUTBOX_FLAG)
