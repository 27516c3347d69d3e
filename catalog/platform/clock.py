"""The one clock: times are stored in UTC (shown in Asia/Ho_Chi_Minh by the templates)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
