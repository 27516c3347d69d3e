"""Database settings that make several processes safe, and the write-transaction helper.

Measured here: with SQLAlchemy's defaults, 4 processes doing read-then-update lost 849 of
1,200 updates without an error. Every write transaction therefore begins with
``BEGIN IMMEDIATE`` (SQLAlchemy's documented pysqlite recipe), so the write lock is taken
before the first read and a concurrent writer waits (busy timeout) instead of silently
overwriting. GET requests mark themselves read-only and begin a plain deferred transaction,
so browsing never queues behind writers.

PostgreSQL's default READ COMMITTED would lose the same updates. The services were written
for one writer at a time, so on PostgreSQL a write transaction takes one transaction-level
advisory lock first: writes are serialised exactly as on SQLite, reads never wait, and the
lock is released by COMMIT or ROLLBACK, or by the server when a killed worker's connection
drops. Writes here are short (milliseconds), so one lock is not the bottleneck at a
province's or the country's write rate; finer locks are the step after, if ever needed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import ConnectionPoolEntry

from catalog.extensions import db

_read_only: ContextVar[bool] = ContextVar("choviet_read_only", default=False)

# Work to do after a write transaction commits, keyed by a flag a service sets in the
# session (search outbox rows queued, e-mails queued). Callbacks must not raise.
_after_commit: dict[str, list[Callable[[], object]]] = {}
OUTBOX_FLAG = "choviet_outbox_dirty"
MAIL_FLAG = "choviet_mail_pending"


def on_commit(flag: str, callback: Callable[[], object]) -> None:
    callbacks = _after_commit.setdefault(flag, [])
    if callback not in callbacks:
        callbacks.append(callback)


def flag_for_commit(flag: str) -> None:
    db.session.info[flag] = True


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Install WAL, busy timeout, foreign keys and IMMEDIATE write transactions."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Stop pysqlite from emitting its own BEGIN; we emit ours in _on_begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 64 MB page cache and 256 MB memory map per connection: the public counts scan the
        # whole products table, which the 2 MB default re-read through the OS each time.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN" if _read_only.get() else "BEGIN IMMEDIATE")


# An arbitrary constant: the key of the one advisory lock every write transaction takes.
WRITE_LOCK_KEY = 0x43686F56  # "ChoV"


def configure_postgres(engine: Engine) -> None:
    """Serialise write transactions with an advisory lock (see the module docstring)."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if not _read_only.get():
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    configure_sqlite(engine, busy_timeout_ms)
    configure_postgres(engine)


def mark_read_only(flag: bool) -> Token[bool]:
    """Mark the current context (a GET request) as read-only; returns a reset token."""
    return _read_only.set(flag)


def reset_read_only(token: Token[bool]) -> None:
    _read_only.reset(token)


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run a block as one IMMEDIATE write transaction, committed at the end.

    A read transaction already open in the session (a GET request that reads first) is
    closed before, so the write lock is taken before the write's own reads.
    """
    session = db.session()
    if session.in_transaction() and _read_only.get():
        session.commit()
    token = _read_only.set(False)
    try:
        yield
        # Cached pages in every process go stale with this commit (catalog/serving/page_cache.py).
        from catalog.models.site import bump_site_version

        bump_site_version()
        session.commit()
    except BaseException:
        session.rollback()
        for flag in _after_commit:
            session.info.pop(flag, None)
        raise
    finally:
        _read_only.reset(token)
    for flag, callbacks in _after_commit.items():
        if session.info.pop(flag, False):
            for callback in callbacks:
                callback()
