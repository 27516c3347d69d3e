"""What a buyer reads about stock and seasons (issue 14.6), one wording for the product
page, the API and the producer's form; the rule itself is catalog/models/seasons.py."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext

from catalog.models import Product
from catalog.models.seasons import next_season_start, run_containing, season_runs, seasonal_months
from catalog.models.statuses import Availability

AVAILABILITY_LABELS: dict[str, Any] = {
    Availability.IN_STOCK: lazy_gettext("Còn hàng"),
    Availability.OUT_OF_STOCK: lazy_gettext("Hết hàng"),
    Availability.SEASONAL: lazy_gettext("Theo mùa"),
}


def month_span(first: int, last: int) -> str:
    if first == last:
        return _("tháng %(month)d", month=first)
    if (first, last) == (1, 12):
        return _("quanh năm")
    return _("tháng %(first)d–%(last)d", first=first, last=last)


def harvest_text(product: Product) -> str:
    """'tháng 5–7, tháng 11' for a seasonal product, '' otherwise."""
    return ", ".join(month_span(a, b) for a, b in season_runs(seasonal_months(product)))


def availability_text(product: Product, month: int) -> tuple[str, bool]:
    """The line the product page shows and whether it is available in `month`."""
    if product.availability == Availability.IN_STOCK:
        return _("Còn hàng"), True
    if product.availability == Availability.OUT_OF_STOCK:
        return _("Tạm hết hàng"), False
    months = seasonal_months(product)
    run = run_containing(months, month)
    if run is not None:
        return _("Đang vào mùa (%(span)s)", span=month_span(*run)), True
    start = next_season_start(months, month)
    if start is None:
        return _("Theo mùa"), False
    return _(
        "Hết mùa; mùa tới từ tháng %(month)d (mùa vụ: %(months)s)",
        month=start,
        months=harvest_text(product),
    ), False
