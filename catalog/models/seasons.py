"""Harvest months and "available now" (issue 14.6), in one place.

A product's `availability` is an Availability value; a seasonal product keeps its harvest
months as a bitmask (bit m-1 for month m), so "available in month m" is one bit test in SQL
and the month is chosen at query time (never a stored "in season" flag, which would go stale
on the first of the month). The same rule reaches the search backends as ProductDoc fields
(`always_available`, `harvest_months`; search_index/types.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, or_

from catalog.models.products import Product
from catalog.models.statuses import Availability

MONTHS = tuple(range(1, 13))
ALL_MONTHS_MASK = (1 << 12) - 1


def months_to_mask(months: Iterable[int]) -> int:
    """The bitmask of valid months; ValueError for anything that is not a month 1–12."""
    mask = 0
    for month in months:
        if isinstance(month, bool) or not isinstance(month, int) or month not in MONTHS:
            raise ValueError(f"not a month: {month!r}")
        mask |= 1 << (month - 1)
    return mask


def mask_to_months(mask: int | None) -> tuple[int, ...]:
    """The months of a bitmask, in calendar order (bits above December are ignored)."""
    mask = (mask or 0) & ALL_MONTHS_MASK
    return tuple(m for m in MONTHS if mask & (1 << (m - 1)))


def seasonal_months(product: Product) -> tuple[int, ...]:
    """The harvest months that count: only a seasonal product has any."""
    if product.availability != Availability.SEASONAL:
        return ()
    return mask_to_months(product.harvest_months)


def is_available(product: Product, month: int) -> bool:
    """In stock, or seasonal and in season in `month`: the filter "Đang có hàng"."""
    if product.availability == Availability.IN_STOCK:
        return True
    return month in seasonal_months(product)


def available_expr(month: int) -> ColumnElement[bool]:
    """SQL twin of is_available, for listings and the search fallback."""
    bit = 1 << (month - 1)
    return or_(
        Product.availability == Availability.IN_STOCK,
        and_(
            Product.availability == Availability.SEASONAL,
            Product.harvest_months.op("&")(bit) != 0,
        ),
    )


def in_season_expr(month: int) -> ColumnElement[bool]:
    """Seasonal and in season in `month` (the home page's "Đang vào mùa")."""
    bit = 1 << (month - 1)
    return and_(
        Product.availability == Availability.SEASONAL,
        Product.harvest_months.op("&")(bit) != 0,
    )


def season_runs(months: Iterable[int]) -> list[tuple[int, int]]:
    """Harvest months as (first, last) runs of consecutive months, wrapping over the new
    year (11, 12, 1, 2 is one run 11 → 2); all twelve months are one run (1, 12)."""
    chosen = sorted(set(months))
    if not chosen:
        return []
    if len(chosen) == 12:
        return [(1, 12)]
    runs: list[list[int]] = []
    for month in chosen:
        if runs and runs[-1][1] == month - 1:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    if len(runs) > 1 and runs[0][0] == 1 and runs[-1][1] == 12:
        first = runs.pop(0)
        runs[-1][1] = first[1]
    return [(a, b) for a, b in runs]


def run_containing(months: Iterable[int], month: int) -> tuple[int, int] | None:
    for first, last in season_runs(months):
        span = (last - first) % 12
        if (month - first) % 12 <= span:
            return first, last
    return None


def next_season_start(months: Iterable[int], month: int) -> int | None:
    """The first month of the next run after `month` (None without months)."""
    starts = [first for first, _last in season_runs(months)]
    if not starts:
        return None
    return min(starts, key=lambda start: (start - month) % 12 or 12)
