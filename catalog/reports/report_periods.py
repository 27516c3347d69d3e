"""The period and the province scope of a report (services/reports.py computes the figures).

A period is a range of calendar dates in Vietnam: a preset (from 1 January to today by
default, the first half or the whole of a year, the last 12 months) or from/to dates. The
scope is one province the user covers, or all of them (admins: any or all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import false, select, true

from catalog.errors import Forbidden, Invalid
from catalog.extensions import db
from catalog.models import Province, User

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_MONTHS = 60
EARLIEST = date(2000, 1, 1)
PRESETS = {
    "nam-nay": "Từ đầu năm đến nay",
    "6-thang-dau": "6 tháng đầu năm",
    "ca-nam": "Cả năm",
    "12-thang": "12 tháng gần nhất",
}


class ReportError(Invalid):
    """A polite reason the period cannot be reported on (shown next to the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)


# -- period and scope -----------------------------------------------------------------------


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    def bounds(self) -> tuple[datetime, datetime]:
        """[start 00:00, day after end 00:00) in Vietnam, as aware UTC datetimes."""
        begin = datetime.combine(self.start, time(), LOCAL_TZ)
        stop = datetime.combine(self.end + timedelta(days=1), time(), LOCAL_TZ)
        return begin.astimezone(UTC), stop.astimezone(UTC)

    def months(self) -> list[str]:
        """The "YYYY-MM" keys of every month the period touches, in order."""
        keys, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return keys

    @property
    def year_label(self) -> str:
        """2026, or 2025-2026 for a period across the new year (file names)."""
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}-{self.end.year}"

    @property
    def text(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


def preset_period(key: str, today: date | None = None, year: int | None = None) -> Period:
    """A named period: from 1 January to today (default), the first half or the whole of a
    year (this one unless given), or the last 12 months up to today."""
    today = today or local_today()
    year = year or today.year
    if key == "6-thang-dau":
        return Period(date(year, 1, 1), date(year, 6, 30), f"6 tháng đầu năm {year}")
    if key == "ca-nam":
        return Period(date(year, 1, 1), date(year, 12, 31), f"Cả năm {year}")
    if key == "12-thang":
        # This month and the 11 before it.
        year, month = (
            (today.year, today.month - 11)
            if today.month == 12
            else (
                today.year - 1,
                today.month + 1,
            )
        )
        return Period(date(year, month, 1), today, "12 tháng gần nhất")
    return Period(date(today.year, 1, 1), today, f"Từ đầu năm {today.year} đến nay")


def custom_period(start: date | None, end: date | None, today: date | None = None) -> Period:
    """From/to dates chosen by the official; a missing end is today, a missing start the
    1st of January of the end's year."""
    today = today or local_today()
    end = end or today
    start = start or date(end.year, 1, 1)
    if start < EARLIEST:
        raise ReportError("tu", "Ngày bắt đầu phải từ 01/01/2000 trở đi.")
    if end < start:
        raise ReportError("den", "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
    period = Period(start, end, f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}")
    if len(period.months()) > MAX_MONTHS:
        raise ReportError("den", "Mỗi báo cáo tối đa 5 năm; vui lòng chọn khoảng ngắn hơn.")
    return period


@dataclass(frozen=True)
class Scope:
    province_ids: tuple[int, ...] | None  # None: every province (admins)
    label: str
    slug: str  # for file names

    def where(self, column: Any) -> Any:
        if self.province_ids is None:
            return true()
        return column.in_(self.province_ids) if self.province_ids else false()


def scope_for(user: User, province_id: int | None = None) -> Scope:
    """One province (which the user must cover) or all the user covers; admins: any or all.
    Raises LookupError for an unknown province, Forbidden for one not covered."""
    if province_id is not None:
        province = db.session.get(Province, province_id)
        if province is None:
            raise LookupError("Không có tỉnh, thành phố này.")
        if not user.covers(province.id):
            raise Forbidden()
        return Scope((province.id,), province.name, province.slug)
    if user.role == "admin":
        return Scope(None, "Tất cả tỉnh, thành phố", "toan-quoc")
    provinces = sorted(user.provinces, key=lambda p: p.name) if user.role == "official" else []
    if len(provinces) == 1:
        return Scope((provinces[0].id,), provinces[0].name, provinces[0].slug)
    label = ", ".join(p.name for p in provinces) or "Chưa được phân công tỉnh, thành phố nào"
    return Scope(tuple(p.id for p in provinces), label, "cac-tinh-phu-trach")


def provinces_for(user: User) -> list[Province]:
    """The provinces the user may choose in the report filter."""
    if user.role == "admin":
        return list(db.session.scalars(select(Province).order_by(Province.name)))
    return sorted(user.provinces, key=lambda p: p.name) if user.role == "official" else []
