"""Applying the search outbox: turns pending rows into ProductDocs for the backend.

The database is the truth and the index a projection of it. Outbox rows are written in the
same transaction as each change; this module applies them after commit under an
inter-process file lock, so several workers never collide and a crash at any point leaves
rows pending for the next request, start-up or `flask search sync`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from filelock import FileLock, Timeout
from flask import Flask, current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import IndexOutbox, Product, Province
from catalog.models.visibility import public_products
from search_index import ProductDoc, SearchBackend, get_backend
from search_index.types import Drift

log = logging.getLogger(__name__)
BATCH = 500
LOCK_TIMEOUT_S = 20.0


def backend() -> SearchBackend:
    """The app's search backend, created once per process."""
    ext = current_app.extensions
    if "choviet_search" not in ext:
        config = current_app.config
        ext["choviet_search"] = get_backend(
            {
                "backend": config["SEARCH_BACKEND"],
                "path": str(config["SEARCH_INDEX_DIR"]),
                # postgres: its own database, else the app's (checked in config.py)
                "url": config.get("SEARCH_DATABASE_URL") or config["SQLALCHEMY_DATABASE_URI"],
            }
        )
    return ext["choviet_search"]


def _acquire() -> AbstractContextManager[Any]:
    """The inter-process lock: the backend's own when it is shared between hosts
    (PostgreSQL's advisory lock, raises TimeoutError), else a file lock beside the index
    (raises filelock.Timeout)."""
    shared = getattr(backend(), "sync_lock", None)
    if shared is not None:
        lock: AbstractContextManager[Any] = shared(LOCK_TIMEOUT_S)
        return lock
    index_dir = current_app.config["SEARCH_INDEX_DIR"]
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(index_dir) + ".sync.lock", timeout=LOCK_TIMEOUT_S)


@contextmanager
def sync_lock() -> Iterator[None]:
    """Hold the sync lock (see _acquire), re-entrant within one thread of this app.

    A commit made while holding it (apply_pending deleting the rows it applied, rebuild)
    runs the after-commit sync in the same thread; taking the inter-process lock again
    there waited LOCK_TIMEOUT_S for the lock its own caller held, then gave up. Nested, it
    is already held: go on. Other threads and processes still wait for it.
    """
    held = current_app.extensions.setdefault("choviet_sync_lock_held", threading.local())
    if getattr(held, "active", False):
        yield
        return
    with _acquire():
        held.active = True
        try:
            yield
        finally:
            held.active = False


def to_doc(product: Product) -> ProductDoc:
    province = product.province
    aliases = tuple(province.legacy_names)
    if product.province_recorded_as and product.province_recorded_as not in aliases:
        aliases += (product.province_recorded_as,)
    return ProductDoc(
        id=product.id,
        slug=product.slug,
        name=product.name,
        producer_name=product.producer.name,
        description=product.description or "",
        category_slug=product.category.slug if product.category else None,
        category_name=product.category.name if product.category else None,
        province_slug=province.slug,
        province_name=province.name,
        province_aliases=aliases,
        # Stars as the public sees them: an expired certificate shows (and filters as) none.
        ocop_stars=product.public_stars,
        verified=product.producer.verified,
        trusted=product.producer.trusted,
        price_vnd=product.price_vnd,
        created_at=product.published_at or product.created_at,
    )


def _load_public(ids: Iterable[int]) -> list[Product]:
    stmt = (
        public_products()
        .where(Product.id.in_(list(ids)))
        .options(selectinload(Product.province).selectinload(Province.aliases))
    )
    return list(db.session.scalars(stmt).unique())


def apply_pending(max_batches: int = 1000) -> int:
    """Apply pending outbox rows; returns how many rows were applied.

    Raises filelock.Timeout (TimeoutError on PostgreSQL) when another process holds the
    lock too long; callers on a request path use apply_pending_quietly instead.
    """
    applied = 0
    with sync_lock():
        for _ in range(max_batches):
            rows = db.session.execute(
                select(IndexOutbox.id, IndexOutbox.product_id).order_by(IndexOutbox.id).limit(BATCH)
            ).all()
            db.session.commit()  # end the read so the next write can take the lock
            if not rows:
                break
            ids = {product_id for _, product_id in rows}
            docs = [to_doc(p) for p in _load_public(ids)]
            db.session.commit()
            search = backend()
            search.index(docs)
            search.remove(ids - {d.id for d in docs})
            with write_transaction():
                db.session.execute(
                    delete(IndexOutbox).where(IndexOutbox.id.in_([row_id for row_id, _ in rows]))
                )
            applied += len(rows)
    return applied


def apply_pending_quietly() -> int:
    """apply_pending for request paths: a failure is logged, never shown to a user; the
    rows stay pending and are applied later."""
    try:
        return apply_pending()
    except (Timeout, TimeoutError):
        log.warning("search sync: lock busy, leaving outbox rows pending")
    except Exception:
        log.exception("search sync failed; outbox rows stay pending")
        db.session.rollback()
    return 0


def pending_count() -> int:
    return db.session.scalar(select(func.count(IndexOutbox.id))) or 0


def apply_if_pending(min_interval_s: float = 2.0) -> None:
    """Cheap check on the request path for rows a crashed process left behind.

    The first request after start-up always checks, so a restart applies what a killed
    process left; after that at most once every `min_interval_s` per process.
    """
    now = time.monotonic()
    state = current_app.extensions.setdefault("choviet_outbox_check", {"at": -1e9})
    if now - state["at"] < min_interval_s:
        return
    state["at"] = now
    if db.session.scalar(select(IndexOutbox.id).limit(1)) is not None:
        db.session.commit()
        apply_pending_quietly()


def iter_public_docs(batch: int = 1000) -> Iterator[ProductDoc]:
    last = 0
    while True:
        stmt = (
            public_products()
            .where(Product.id > last)
            .order_by(Product.id)
            .limit(batch)
            .options(selectinload(Product.province).selectinload(Province.aliases))
        )
        products = list(db.session.scalars(stmt).unique())
        if not products:
            return
        for product in products:
            yield to_doc(product)
        last = products[-1].id
        db.session.expunge_all()


def rebuild() -> int:
    """Rebuild the index from the database into a new directory and swap it in."""
    with sync_lock():
        # Rows queued before the rebuild starts are reflected in what it reads; rows queued
        # while it runs stay pending and are applied afterwards (applying twice is harmless).
        high_water = db.session.scalar(select(func.max(IndexOutbox.id))) or 0
        db.session.commit()
        count = backend().rebuild(iter_public_docs())
        with write_transaction():
            db.session.execute(delete(IndexOutbox).where(IndexOutbox.id <= high_water))
        return count


def check() -> Drift:
    ids = set(db.session.scalars(public_products().with_only_columns(Product.id)))
    return backend().check(ids)


def close_backend(app: Flask) -> None:
    """Forget the app's backend, closing its connections if it holds any (PostgreSQL), so
    a database can be dropped or an instance restored under it."""
    backend_obj = app.extensions.pop("choviet_search", None)
    close = getattr(backend_obj, "close", None)
    if callable(close):
        close()
