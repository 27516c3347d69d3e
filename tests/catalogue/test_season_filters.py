"""Harvest months and "Đang có hàng" on the database side (issue 14.6): the month bitmask
refuses anything but months 1–12, the SQL filter of the listings and the search fallback
agrees with the row rule, and "this month" is Vietnam's month, decided when asked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask

from catalog.catalogue import browse
from catalog.database import write_transaction
from catalog.models import Product
from catalog.models.seasons import (
    available_expr,
    is_available,
    mask_to_months,
    months_to_mask,
    next_season_start,
    run_containing,
    season_runs,
)
from catalog.models.statuses import Availability
from catalog.platform.clock import local_month
from tests.factories import create_published_product


@pytest.mark.parametrize("bad", [[0], [13], ["x"], [5, "5"], [True], [1.5], [-1], [2**40]])
def test_months_mask_refuses_what_is_not_a_month(bad):
    with pytest.raises(ValueError):
        months_to_mask(bad)


def test_months_mask_round_trip_ignores_repeats_and_high_bits():
    assert mask_to_months(months_to_mask([7, 5, 6, 5] * 12)) == (5, 6, 7)
    assert mask_to_months(1 << 20 | 1) == (1,)


def test_season_runs_wrap_over_the_new_year():
    assert season_runs([11, 12, 1, 2]) == [(11, 2)]
    assert season_runs([5, 6, 7, 9]) == [(5, 7), (9, 9)]
    assert run_containing([11, 12, 1, 2], 1) == (11, 2)
    assert run_containing([5, 6, 7], 8) is None
    assert next_season_start([5, 6, 7, 9], 8) == 9
    assert next_season_start([5, 6, 7], 7) == 5


def test_vietnam_month_starts_seven_hours_before_utc():
    assert local_month(datetime(2026, 4, 30, 17, 30, tzinfo=UTC)) == 5
    assert local_month(datetime(2026, 4, 30, 16, 30, tzinfo=UTC)) == 4


def _set(product: Product, availability: Availability, months: list[int]) -> None:
    with write_transaction():
        product.availability = availability
        product.harvest_months = months_to_mask(months)


def test_listing_filter_matches_the_row_rule(app: Flask):
    lychee = create_published_product("Vải thiều thử")
    sauce = create_published_product("Nước mắm thử")
    sold = create_published_product("Miến dong thử")
    _set(lychee, Availability.SEASONAL, [5, 6, 7])
    _set(sold, Availability.OUT_OF_STOCK, [5])  # months of a sold-out product count for nothing
    for month in range(1, 13):
        page = browse.list_products(browse.BrowseFilters(available_month=month, per_page=50))
        ids = {p.id for p in page.items}
        for product in (lychee, sauce, sold):
            assert (product.id in ids) == is_available(product, month)
    assert str(available_expr(5).compile()).count("&") == 1
