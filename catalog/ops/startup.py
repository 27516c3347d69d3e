"""Start-up check of the Whoosh search index: rebuild it from the database when it is missing,
unreadable or out of step.

The database is the truth and the index a projection of it, so a deleted or damaged index
directory (a disk error, an operator's `rm -rf`, a restore that brought only the database
back) is never fatal: every process checks the index when the app is created and the first
one to find it broken rebuilds it. Several gunicorn workers start at the same moment, so the
check runs under a file lock in the instance directory; the others wait, then find a healthy
index and go on. On a healthy index the check costs opening the segments, one query of the
public product ids and one search (tens of milliseconds at 10k products); it writes nothing.

Only the embedded Whoosh backend is checked: a search backend living in PostgreSQL is as
durable as the database itself. Every app imports this module (catalog/ops), so it reaches
Whoosh only through get_backend and imports the generation layout only in the functions the
Whoosh check runs: a PostgreSQL deployment never loads Whoosh.
"""

from __future__ import annotations

import gc
import logging
import os
import time
import warnings
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from flask import Flask
from sqlalchemy import inspect, select

from catalog.database import mark_read_only, reset_read_only
from catalog.extensions import db
from catalog.models import IndexOutbox, Product
from catalog.models.visibility import public_products
from catalog.platform import search_sync
from search_index import SearchBackend, SearchQuery, get_backend

log = logging.getLogger(__name__)
LOCK_NAME = "search-startup.lock"
# A rebuild of a big catalogue takes a minute or more; waiting workers give up after this and
# start anyway (the index is then rebuilt by the process holding the lock).
LOCK_TIMEOUT_S = 900.0
OFF = ("0", "false", "no", "off")


def enabled(config: dict[str, Any]) -> bool:
    """SEARCH_STARTUP_CHECK: on by default, off by default in test apps (TESTING)."""
    if str(config.get("SEARCH_BACKEND") or "whoosh").lower() != "whoosh":
        return False
    raw = str(config.get("SEARCH_STARTUP_CHECK", "")).strip().lower()
    if raw in ("", "auto"):
        return not config.get("TESTING")
    return raw not in OFF


def _whoosh(path: Path) -> SearchBackend:
    return get_backend({"backend": "whoosh", "path": str(path)})


def index_problem(path: Path) -> str | None:
    """Why the index at `path` cannot be used as it is, or None when it opens and reads."""
    from search_index.generations import POINTER, Generations  # Whoosh only: see above

    if not path.exists():
        return "the index directory is missing"
    if not path.is_dir():
        return "the index path is not a directory"
    if Generations(path).current() is None:
        return f"no live index generation ({POINTER} missing or unreadable)"
    backend = _whoosh(path)
    # Whoosh leaves the file of an unreadable table of contents to the garbage collector:
    # that ResourceWarning is expected here, and collected before leaving.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            if backend.schema_outdated():
                return "the index was built with an older schema"
            backend.indexed_ids()  # opens every segment and reads a column of each
            backend.search(SearchQuery(text="sản phẩm"))  # reads postings and facet columns
        except Exception as exc:  # noqa: BLE001 - any failure to read means "rebuild"
            return f"the index cannot be read ({type(exc).__name__}: {exc})"
        finally:
            backend.close()
            del backend
            gc.collect()
    return None


def drift_problem(path: Path) -> str | None:
    """Public products missing from the index, or indexed products that should not be there,
    beyond what pending outbox rows explain (those are applied by the first request)."""
    token = mark_read_only(True)  # a plain read: never queue behind (or block) writers
    try:
        query = public_products().with_only_columns(Product.id)
        expected = set(db.session.scalars(query))
        pending = set(db.session.scalars(select(IndexOutbox.product_id)))
        db.session.commit()
    finally:
        reset_read_only(token)
    backend = _whoosh(path)
    try:
        indexed = backend.indexed_ids()
    finally:
        backend.close()
    missing = expected - indexed - pending
    extra = indexed - expected - pending
    if missing or extra:
        return f"the index is out of step ({len(missing)} missing, {len(extra)} extra products)"
    return None


def _migrated() -> bool:
    """Whether the tables exist; read-only, so that it never waits for the write lock."""
    token = mark_read_only(True)
    try:
        inspector = inspect(db.engine)
        return all(inspector.has_table(name) for name in ("products", "index_outbox"))
    finally:
        reset_read_only(token)


def clear_whoosh_index(path: Path) -> None:
    """Make the damaged index invisible so the rebuild starts from nothing: without a live
    generation the rebuild publishes its own and deletes every other one."""
    from search_index.generations import POINTER  # Whoosh only: see the module docstring

    if path.exists() and not path.is_dir():
        path.unlink()
        return
    (path / POINTER).unlink(missing_ok=True)


def check_and_repair(app: Flask) -> str:
    """Check the index and rebuild it if needed; returns "ok", "rebuilt" or "skipped"."""
    path = Path(app.config["SEARCH_INDEX_DIR"])
    lock_path = Path(app.instance_path) / LOCK_NAME
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        try:
            if not _migrated():
                log.info("search index start-up check skipped: the database is not migrated yet")
                return "skipped"
            with FileLock(str(lock_path), timeout=LOCK_TIMEOUT_S):
                problem = index_problem(path) or drift_problem(path)
                if problem is None:
                    log.info("search index start-up check (pid %d): healthy", os.getpid())
                    return "ok"
                log.warning(
                    "search index at %s: %s; rebuilding it from the database", path, problem
                )
                started = time.monotonic()
                clear_whoosh_index(path)
                search_sync.close_backend(app)
                count = search_sync.rebuild()
                log.warning(
                    "search index rebuilt at start-up (pid %d): %d products in %.1f s",
                    os.getpid(),
                    count,
                    time.monotonic() - started,
                )
                return "rebuilt"
        except Timeout:
            log.warning("search index start-up check: lock %s busy; starting without it", lock_path)
            return "skipped"
        except Exception:
            # A database that is down must not stop the app from starting (/healthz reports
            # it); the next start, or `flask search rebuild`, repairs the index.
            log.exception("search index start-up check failed; starting without it")
            db.session.rollback()
            return "failed"
        finally:
            search_sync.close_backend(app)
            db.session.remove()
