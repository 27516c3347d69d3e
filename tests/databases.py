"""One database per test instance, on SQLite (a file in the instance directory) or on a
PostgreSQL server (CHOVIET_TEST_DATABASE_URL): created, cloned from a migrated template,
dropped.

On PostgreSQL the database's name is derived from the instance directory, so a process
that only knows the directory (a spawned worker, a gunicorn under test) reaches the same
database as the test that made it.

Creating a database from a template takes about 0.3 s on PostgreSQL, mostly the server
copying files, and dropping one 0.1 s: over several hundred tests that was minutes of the
PostgreSQL pass. So a background thread keeps a few copies of the session's template ready
and drops finished databases; a test takes a ready copy by renaming it (instant).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import itertools
import os
import queue
import shutil
import threading
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

SERVER_URL = os.environ.get("CHOVIET_TEST_DATABASE_URL", "").strip()
_admin: Engine | None = None


def on_postgres() -> bool:
    return bool(SERVER_URL)


def name_for(instance: Path) -> str:
    digest = hashlib.sha1(str(Path(instance).resolve()).encode()).hexdigest()[:20]
    return f"choviet_t_{digest}"


def url_for(instance: Path) -> str:
    if not on_postgres():
        return f"sqlite:///{Path(instance) / 'test.db'}"
    return (
        make_url(SERVER_URL).set(database=name_for(instance)).render_as_string(hide_password=False)
    )


def admin() -> Engine:
    global _admin
    if _admin is None:
        _admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    return _admin


def create(instance: Path) -> None:
    """An empty database for `instance` (SQLite makes its file on first connection)."""
    if on_postgres():
        drop(instance)
        with admin().connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name_for(instance)}"'))


def clone(source: Path, instance: Path) -> None:
    """Copy the database of `source` for `instance`; nobody may be connected to `source`."""
    Path(instance).mkdir(parents=True, exist_ok=True)
    if not on_postgres():
        shutil.copy(Path(source) / "test.db", Path(instance) / "test.db")
        return
    _drop_now(name_for(instance))
    ready = _spares.take(name_for(source))
    with admin().connect() as conn:
        if ready is not None:
            conn.execute(text(f'ALTER DATABASE "{ready}" RENAME TO "{name_for(instance)}"'))
        else:
            _create_from(conn, name_for(source), name_for(instance))


def keep_spares(source: Path) -> None:
    """Keep copies of `source`'s database ready for clone() (the session's template)."""
    if on_postgres():
        _spares.serve(name_for(source))


def drop(instance: Path) -> None:
    """Drop `instance`'s database; on PostgreSQL the drop itself happens in the background."""
    if on_postgres():
        _spares.discard(name_for(instance))


def _create_from(conn, template: str, name: str) -> None:  # type: ignore[no-untyped-def]
    conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'))


def _drop_now(name: str) -> None:
    with admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class _Spares:
    """Ready copies of one template, made (and finished databases dropped) by one thread."""

    SPARES = 3

    def __init__(self) -> None:
        self.template: str | None = None
        self.ready: queue.Queue[str] = queue.Queue()
        self.doomed: queue.Queue[str] = queue.Queue()
        self.wake = threading.Event()
        self.counter = itertools.count()
        self.thread: threading.Thread | None = None
        self.failed = False

    def serve(self, template: str) -> None:
        self.template = template
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()
            atexit.register(self._clean_up)
        self.wake.set()

    def take(self, template: str) -> str | None:
        if template != self.template or self.failed:
            return None
        try:
            name = self.ready.get(timeout=10)
        except queue.Empty:
            return None
        self.wake.set()
        return name

    def discard(self, name: str) -> None:
        if self.thread is None:
            _drop_now(name)
            return
        if name == self.template:  # the session is over: stop copying, drop it later
            self.template = None
            self.doomed.put(name)
            self.wake.set()
            return
        # Renamed first, so the name is free at once for a test that reuses the directory.
        doomed = f"doomed_{os.getpid()}_{next(self.counter)}"
        with admin().connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar()
            if not exists:
                return
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{doomed}"'))
        self.doomed.put(doomed)
        self.wake.set()

    def _run(self) -> None:
        while True:
            self.wake.wait(timeout=1)
            self.wake.clear()
            try:
                while not self.doomed.empty():
                    _drop_now(self.doomed.get())
                while self.template and self.ready.qsize() < self.SPARES:
                    name = f"spare_{os.getpid()}_{next(self.counter)}"
                    with admin().connect() as conn:
                        _create_from(conn, self.template, name)
                    self.ready.put(name)
            except Exception:  # noqa: BLE001 - clone() then makes its own copies
                self.failed = True

    def _clean_up(self) -> None:
        self.template = None
        for q in (self.ready, self.doomed):
            while not q.empty():
                # The cluster is thrown away at the end anyway.
                with contextlib.suppress(Exception):
                    _drop_now(q.get_nowait())


_spares = _Spares()
