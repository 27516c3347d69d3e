"""Applying the search outbox: turns pending rows into ProductDocs for the backend.

The database is the truth and the index a projection of it. Outbox rows are written in the
same transaction as each change; this module applies them after commit under an
inter-process file lock, so several workers never collide and a crash at any point leaves
rows pending for the next request, start-up or `flask search sync`.

A request never waits for that lock: request paths (the after-commit apply, the periodic
check) only take it when it is free at once, and otherwise leave their rows to its holder.
Every holder here applies what is pending before it lets go, and looks again right after
(a writer that found the lock busy committed its rows before trying, so they are there to
see); a holder that is not this code (another tool) leaves them to the next periodic check.
Commands and rebuilds wait for the lock (up to LOCK_TIMEOUT_S), as waiting is right there.

A lost or damaged Whoosh index (IndexUnavailable) is repaired, not reported to users: see
search_repair.py for the request paths, `repair` for the rebuild job; commands rebuild in
line.
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
from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import selectinload

from catalog.database import mark_read_only, reset_read_only, write_transaction
from catalog.extensions import db
from catalog.models import IndexOutbox, Product, Province
from catalog.models.seasons import seasonal_months
from catalog.models.statuses import Availability
from catalog.models.visibility import public_products
from catalog.platform import search_repair
from search_index import IndexUnavailable, ProductDoc, SearchBackend, get_backend
from search_index.types import Drift

log = logging.getLogger(__name__)
BATCH = 500
LOCK_TIMEOUT_S = 20.0  # commands and rebuilds; request paths try once (timeout 0)
REPAIR_LOCK_TIMEOUT_S = 900.0  # the background rebuild may wait for another's rebuild
DRAIN_ROUNDS = 5  # looks after letting go of the lock; then the periodic check takes over


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
                # Whoosh: where no index exists, start an empty one only if nothing is lost.
                "may_create": nothing_to_lose,
            }
        )
    return ext["choviet_search"]


def nothing_to_lose() -> bool:
    """Whether an empty index plus the pending outbox rows is the whole index: no public
    product exists that is not waiting in the outbox (a new installation, a new test app).
    Otherwise a missing index was lost and must be rebuilt from the database. Read on a
    connection of its own, never the write lock: it runs inside backend calls."""
    stmt = (
        public_products()
        .with_only_columns(Product.id)
        .where(~exists().where(IndexOutbox.product_id == Product.id))
        .limit(1)
    )
    token = mark_read_only(True)
    try:
        with db.engine.connect() as conn:
            return conn.execute(stmt).first() is None
    finally:
        reset_read_only(token)


def _acquire(timeout_s: float) -> AbstractContextManager[Any]:
    """The inter-process lock: the backend's own when it is shared between hosts
    (PostgreSQL's advisory lock, raises TimeoutError), else a file lock beside the index
    (raises filelock.Timeout). With timeout 0 it is tried once, without waiting."""
    shared = getattr(backend(), "sync_lock", None)
    if shared is not None:
        lock: AbstractContextManager[Any] = shared(timeout_s)
        return lock
    index_dir = current_app.config["SEARCH_INDEX_DIR"]
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(index_dir) + ".sync.lock", timeout=timeout_s)


def _held() -> threading.local:
    return current_app.extensions.setdefault("choviet_sync_lock_held", threading.local())


def holding_lock() -> bool:
    """Whether this thread holds the sync lock (an outer call will drain on release)."""
    return bool(getattr(_held(), "active", False))


@contextmanager
def sync_lock(timeout_s: float | None = None) -> Iterator[None]:
    """Hold the sync lock (see _acquire), waiting up to `timeout_s` (LOCK_TIMEOUT_S when
    None; 0: request paths, one try), re-entrant within one thread of this app.

    A commit made while holding it (apply_pending deleting the rows it applied, rebuild)
    runs the after-commit sync in the same thread; taking the inter-process lock again
    there waited LOCK_TIMEOUT_S for the lock its own caller held, then gave up. Nested, it
    is already held: go on. Other threads and processes still wait for it (or not, at 0).
    """
    held = _held()
    if getattr(held, "active", False):
        yield
        return
    with _acquire(LOCK_TIMEOUT_S if timeout_s is None else timeout_s):
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
        always_available=product.availability == Availability.IN_STOCK,
        harvest_months=seasonal_months(product),
    )


def _load_public(ids: Iterable[int]) -> list[Product]:
    stmt = (
        public_products()
        .where(Product.id.in_(list(ids)))
        .options(selectinload(Product.province).selectinload(Province.aliases))
    )
    return list(db.session.scalars(stmt).unique())


def _apply_batches(max_batches: int, *, repair_inline: bool) -> tuple[int, bool]:
    """Apply pending rows; the caller holds the sync lock. Returns (rows applied, whether
    the index was unavailable and rows were left pending for the repair)."""
    applied = 0
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
        try:
            search.index(docs)
            search.remove(ids - {d.id for d in docs})
        except IndexUnavailable as exc:
            if not repair_inline:
                index_unavailable(exc)
                return applied, True
            log.warning("search index %s (%s): rebuilding it now", exc.kind, exc)
            applied += len(rows)
            rebuild()  # reads every public product: these rows are in it
            continue
        with write_transaction():
            db.session.execute(
                delete(IndexOutbox).where(IndexOutbox.id.in_([row_id for row_id, _ in rows]))
            )
        applied += len(rows)
    return applied, False


def apply_pending(max_batches: int = 1000, *, wait: bool = True) -> int:
    """Apply pending outbox rows; returns how many rows were applied.

    With `wait` (commands, rebuilds) it waits for the lock and rebuilds a lost index in
    line; without (request paths) it tries the lock once and raises filelock.Timeout
    (TimeoutError on PostgreSQL) when it is busy, its holder then applying our rows, and
    leaves a lost index to the background repair. Callers on a request path use
    apply_pending_quietly.
    """
    with sync_lock(None if wait else 0.0):
        applied, blocked = _apply_batches(max_batches, repair_inline=wait)
    if not blocked and not holding_lock():
        applied += drain()
    return applied


def drain() -> int:
    """Right after letting go of the lock: apply rows that writers committed while we held
    it (they found it busy and left them to us), taking it only if it is free at once
    (else its new holder does the same). A few rounds at most."""
    applied = 0
    for _ in range(DRAIN_ROUNDS):
        pending = db.session.scalar(select(IndexOutbox.id).limit(1)) is not None
        db.session.commit()
        if not pending:
            break
        try:
            with sync_lock(0.0):
                done, blocked = _apply_batches(1000, repair_inline=False)
        except (Timeout, TimeoutError):
            break
        applied += done
        if blocked:
            break
    return applied


def apply_pending_quietly() -> int:
    """apply_pending for request paths: never waits for the lock (a busy lock means its
    holder applies the rows), and a failure is logged, never shown to a user; the rows
    stay pending and are applied later."""
    try:
        return apply_pending(wait=False)
    except (Timeout, TimeoutError):
        log.info("search sync: lock busy, its holder applies the pending outbox rows")
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
        # while it runs (by writers that found the lock busy) are applied before letting go.
        high_water = db.session.scalar(select(func.max(IndexOutbox.id))) or 0
        db.session.commit()
        count = backend().rebuild(iter_public_docs())
        with write_transaction():
            db.session.execute(delete(IndexOutbox).where(IndexOutbox.id <= high_water))
        _apply_batches(1000, repair_inline=False)
    if not holding_lock():
        drain()
    return count


def repair() -> bool:
    """The background job of search_repair: wait for the lock (another process may be
    rebuilding already), then rebuild unless the index is usable by then. True when it is."""
    with sync_lock(REPAIR_LOCK_TIMEOUT_S):
        problem = backend().problem()
        if problem is None or (problem == "missing" and nothing_to_lose()):
            _apply_batches(1000, repair_inline=False)
        else:
            log.warning("search index: rebuilding it from the database")
            count = rebuild()
            log.warning("search index rebuilt: %d products", count)
    drain()
    return backend().problem() is None


def index_unavailable(exc: IndexUnavailable) -> None:
    """Where an operation found the index missing or damaged: one warning per incident
    and, on a request path, the background rebuild (search_repair)."""
    search_repair.report(exc.kind, str(exc), repair)


def index_health() -> tuple[str, bool]:
    """("ok", "missing" or "unreadable"; whether a rebuild runs in this process) for
    /healthz. Checks the index itself (CURRENT and its table of contents: a file read), so
    a probe also notices damage a search served from open segments would not; a problem
    starts the repair like a search would. A missing index with nothing to lose (a new
    installation) is "ok": it is created with the first product."""
    problem = backend().problem()
    if problem is None or (problem == "missing" and nothing_to_lose()):
        search_repair.resolve()
        return "ok", search_repair.rebuilding()
    search_repair.report(problem, "found by the health check", repair)
    return problem, search_repair.rebuilding()


def check() -> Drift:
    ids = set(db.session.scalars(public_products().with_only_columns(Product.id)))
    try:
        return backend().check(ids)
    except IndexUnavailable:
        return Drift(missing=frozenset(ids))  # nothing can be read: everything is missing


def close_backend(app: Flask) -> None:
    """Forget the app's backend, closing its connections if it holds any (PostgreSQL), so
    a database can be dropped or an instance restored under it. A background rebuild
    still running is waited for first."""
    search_repair.wait(app)
    backend_obj = app.extensions.pop("choviet_search", None)
    close = getattr(backend_obj, "close", None)
    if callable(close):
        close()
