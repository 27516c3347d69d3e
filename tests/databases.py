"""One database per test instance, on SQLite (a file in the instance directory) or on a
PostgreSQL server (CHOVIET_TEST_DATABASE_URL): created, cloned from a migrated template,
dropped.

On PostgreSQL the database's name is derived from the instance directory, so a process
that only knows the directory (a spawned worker, a gunicorn under test) reaches the same
database as the test that made it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
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
    drop(instance)
    with admin().connect() as conn:
        conn.execute(
            text(
                f'CREATE DATABASE "{name_for(instance)}" TEMPLATE "{name_for(source)}" '
                "STRATEGY FILE_COPY"
            )
        )


def drop(instance: Path) -> None:
    if on_postgres():
        with admin().connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name_for(instance)}" WITH (FORCE)'))
