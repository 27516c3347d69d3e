"""The one clock: times are stored in UTC (shown in Asia/Ho_Chi_Minh by the templates)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


LOCAL_TZ_NAME = "Asia/Ho_Chi_Minh"


def local_month(now: datetime | None = None) -> int:
    """This month (1–12) in Vietnam: what "in season now" means to a buyer, whatever the
    server's time zone (a UTC server is still in the old month for 7 hours)."""
    from zoneinfo import ZoneInfo

    return (now or utcnow()).astimezone(ZoneInfo(LOCAL_TZ_NAME)).month
