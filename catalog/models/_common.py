"""Column helpers shared by the model modules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Integer, text
from sqlalchemy.orm import MappedColumn, mapped_column
from sqlalchemy.types import TypeDecorator

from catalog.platform.clock import utcnow

__all__ = ["UTCDateTime", "utcnow", "version_column"]


def version_column() -> MappedColumn[Any]:
    """The record's version, for the records people edit in forms: named as the mapper's
    ``version_id_col`` (``__mapper_args__``), SQLAlchemy counts it up on every UPDATE and
    adds ``WHERE version = <the version read>``, so a write racing another one fails
    (StaleDataError → 409) instead of overwriting it; the edit forms carry it
    (catalog/web/edit_conflicts.py). Rows that existed before get 1 (server default)."""
    return mapped_column(Integer, nullable=False, default=1, server_default=text("1"))


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC in SQLite and gives back aware UTC datetimes everywhere."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store UTC-aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None
