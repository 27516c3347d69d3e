"""Copying the database out and back in, with the engines' own tools.

SQLite: the online backup API (sqlite3.Connection.backup) copies a consistent snapshot while
the site keeps writing (WAL: readers never block writers). PostgreSQL: pg_dump's custom
format, taken in a REPEATABLE READ transaction whose snapshot pg_dump shares (--snapshot), so
the row counts written into the manifest are those of the dump itself. Credentials go to
pg_dump / pg_restore in PG* environment variables, never on a command line (which other
users of the machine and process listings could see).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.pool import NullPool

from catalog.ops.errors import OpsError

# Loaded by `catalog init-reference` (and migrations): a fresh instance has them, so they do
# not make a target database "non-empty".
REFERENCE_TABLES = frozenset({"alembic_version", "provinces", "province_aliases", "categories"})
ARCHIVE_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def dialect_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in ARCHIVE_NAMES:
        raise OpsError(f"Chỉ sao lưu được SQLite hoặc PostgreSQL, không phải {name}.")
    return name


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise OpsError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được.")
    return Path(database)


# -- counting ------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_counts(conn: sqlite3.Connection) -> tuple[dict[str, int], str | None]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {
        name: conn.execute(f"SELECT COUNT(*) FROM {_quote(name)}").fetchone()[0] for name in names
    }
    revision = None
    if "alembic_version" in counts:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return counts, revision


def _sa_counts(conn: Connection) -> tuple[dict[str, int], str | None]:
    names = sorted(inspect(conn).get_table_names())
    counts = {
        name: int(conn.scalar(text(f"SELECT COUNT(*) FROM {_quote(name)}"))) for name in names
    }
    revision = None
    if "alembic_version" in counts:
        revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    return counts, revision


def table_counts(url: str) -> tuple[dict[str, int], str | None]:
    """Rows per table and the Alembic revision of the database at `url` (empty if absent)."""
    if dialect_of(url) == "sqlite" and not sqlite_path(url).exists():
        return {}, None
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return _sa_counts(conn)
    finally:
        engine.dispose()


def non_empty_tables(url: str) -> dict[str, int]:
    """Tables holding rows besides the reference data every fresh instance has."""
    counts, _ = table_counts(url)
    return {name: n for name, n in counts.items() if n and name not in REFERENCE_TABLES}


# -- PostgreSQL tools ----------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore from PATH, else the newest Debian postgresql-client install."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return str(candidates[-1])
    raise OpsError(f"Không tìm thấy {name}: hãy cài gói postgresql-client.")


def pg_env(url: URL) -> dict[str, str]:
    """The connection settings of `url` as libpq environment variables."""
    env = dict(os.environ)
    mapping = {
        "PGHOST": url.host or url.query.get("host"),
        "PGPORT": str(url.port) if url.port else url.query.get("port"),
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    for key, value in mapping.items():
        if isinstance(value, tuple):
            value = value[0] if value else None
        if value:
            env[key] = str(value)
        else:
            env.pop(key, None)
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise OpsError(f"{what} thất bại (mã {result.returncode}): {detail}")


def _sa_url(url: str) -> URL:
    return make_url(url)


# -- dump ----------------------------------------------------------------------------------


def dump(url: str, dest: Path) -> tuple[dict[str, int], str | None]:
    """Write a consistent copy of the database to `dest`; returns its row counts per table
    and its Alembic revision, both read from the copy's own snapshot."""
    if dialect_of(url) == "sqlite":
        return _dump_sqlite(sqlite_path(url), dest)
    return _dump_postgres(_sa_url(url), dest)


def _dump_sqlite(source: Path, dest: Path) -> tuple[dict[str, int], str | None]:
    if not source.exists():
        raise OpsError(f"Không tìm thấy cơ sở dữ liệu {source}.")
    with (
        closing(sqlite3.connect(str(source), timeout=30)) as src,
        closing(sqlite3.connect(str(dest))) as out,
    ):
        src.backup(out)  # all pages in one step: one consistent snapshot
        counts = _sqlite_counts(out)
        out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    return counts


@contextmanager
def _snapshot(url: URL) -> Iterator[tuple[Connection, str]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                name = conn.scalar(text("SELECT pg_export_snapshot()"))
                yield conn, str(name)
    finally:
        engine.dispose()


def _dump_postgres(url: URL, dest: Path) -> tuple[dict[str, int], str | None]:
    with _snapshot(url) as (conn, snapshot):
        _run(
            [pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={dest}"],
            pg_env(url),
            "pg_dump",
        )
        return _sa_counts(conn)


# -- restore -------------------------------------------------------------------------------


def restore(url: str, source: Path) -> None:
    """Put the dumped database in place of the one at `url` (the caller checked it may)."""
    if dialect_of(url) == "sqlite":
        _restore_sqlite(source, sqlite_path(url))
    else:
        _restore_postgres(source, _sa_url(url))


def _restore_sqlite(source: Path, target: Path) -> None:
    """Copy next to the target, then rename over it: the target is the old file or the whole
    new one, never half of it. Stale -wal / -shm files of the old file would be replayed into
    the new one, so they go first (the site is stopped during a restore)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restore-{uuid.uuid4().hex}")
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _restore_postgres(source: Path, url: URL) -> None:
    """pg_restore in one transaction: a failure leaves the target database as it was."""
    if not url.database:
        raise OpsError("Địa chỉ PostgreSQL không có tên cơ sở dữ liệu.")
    _run(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url.database}",
            str(source),
        ],
        pg_env(url),
        "pg_restore",
    )
