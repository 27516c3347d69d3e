"""Dates as people in Vietnam type them (01/05/2028), read one way by every form and filter
(catalog.web.fields.DayField, the audit log's filter). Shown back with the date_vn filter
(catalog.web.templating.format_date)."""

from __future__ import annotations

import calendar
import re
from datetime import date

_BAD_DATE = "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/05/2028."
# ASCII digits only ("١٢" is no day); / . - or a space between; ISO for old bookmarks and
# date inputs; eight digits in a row (ddmmyyyy) for phone keypads without a "/".
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})[/.\- ]([0-9]{1,2})[/.\- ]([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DIGITS_ONLY = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})")
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_day(text: str) -> date:
    """A date as people in Vietnam write it: 01/05/2028, 1/5/2028 (also 01.05.2028,
    01-05-2028, 01052028), or ISO 2028-05-01. ValueError with a polite Vietnamese reason
    otherwise, naming an impossible day (31/02/2026) as such."""
    value = (text or "").strip()
    if iso := _ISO_DATE.fullmatch(value):
        year, month, day = (int(part) for part in iso.groups())
    elif dmy := _DAY_MONTH_YEAR.fullmatch(value) or _DIGITS_ONLY.fullmatch(value):
        day, month, year = (int(part) for part in dmy.groups())
    else:
        raise ValueError(_BAD_DATE)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"Ngày không hợp lệ: năm cần từ {FIRST_YEAR} đến {LAST_YEAR}.")
    if not 1 <= month <= 12:
        raise ValueError(f"Ngày không hợp lệ: không có tháng {month}; tháng từ 1 đến 12.")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(
            f"Ngày không hợp lệ: không có ngày {day:02d}/{month:02d}/{year} "
            f"(tháng {month} năm {year} có {days} ngày)."
        )
    return date(year, month, day)
