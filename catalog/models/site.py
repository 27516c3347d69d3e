"""The site version: one row whose number every write transaction increments.

Processes keep whole rendered pages in memory (catalog/serving/page_cache.py). A page may be served
from there only while the number it was rendered at is still the current one, so a write in
any process or on any host, committed in the same transaction as the bump, makes every
cached page stale at once.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import BigInteger, CursorResult, text, update
from sqlalchemy.orm import Mapped, mapped_column

from catalog.extensions import Model, db

SITE_VERSION_ID = 1
_READ = text("SELECT version FROM site_version WHERE id = 1")


class SiteVersion(Model):
    __tablename__ = "site_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def bump_site_version() -> None:
    """Increment the version inside the current (write) transaction; the row is made if a
    database was built without the migration that inserts it."""
    result = db.session.execute(
        update(SiteVersion)
        .where(SiteVersion.id == SITE_VERSION_ID)
        .values(version=SiteVersion.version + 1)
        .execution_options(synchronize_session=False)
    )
    # An UPDATE gives a CursorResult (with rowcount); execute() is typed with plain Result.
    if cast(CursorResult[Any], result).rowcount == 0:
        db.session.add(SiteVersion(id=SITE_VERSION_ID, version=1))
        db.session.flush()


def read_site_version() -> int:
    """The current version (0 before the first write) in the session's own transaction, so
    it belongs to the same snapshot as whatever the request reads next."""
    return int(db.session.execute(_READ).scalar() or 0)


def latest_site_version() -> int:
    """The latest committed version, read on a pooled connection of its own outside the ORM
    session: about 30 µs against about 400 µs for a session query and its clean-up, which
    matters on a cache hit, where this is the only database work."""
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(_READ.text)
        row = cursor.fetchone()
        cursor.close()
    finally:
        connection.close()  # back to the pool, which rolls back whatever the driver began
    return int(row[0]) if row and row[0] is not None else 0
