"""SQL pieces the report's figures and its exported lists share: months in Vietnam's time,
the certificate state on a day, and what the public could see before a moment.

Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed "+7 hours" shift in
SQL is exact and works the same in SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal

from catalog.extensions import db
from catalog.models import CERTIFICATE_MONTHS, Product
from catalog.models.certificates import EXPIRY_WARNING_DAYS
from catalog.models.visibility import product_is_public
from catalog.reports.report_periods import Period, Scope, local_today

UTC_OFFSET_HOURS = 7


def local_month(column: Any) -> Any:
    """SQL: the "YYYY-MM" of a UTC timestamp in Vietnam's time (fixed UTC+7)."""
    if db.session.get_bind().dialect.name == "postgresql":
        shifted = column + func.make_interval(0, 0, 0, 0, UTC_OFFSET_HOURS)
        return func.to_char(shifted, "YYYY-MM")
    return func.strftime("%Y-%m", column, f"+{UTC_OFFSET_HOURS} hours")


def judged_on(period: Period, today: date | None = None) -> date:
    """The day certificates are judged on: the period's end, or today if that is earlier."""
    return min(period.end, today or local_today())


def certificate_state_expr(day: date) -> Any:
    """SQL twin of Product.certificate_status (valid/expiring/expired/revoked) on `day`,
    for products with stars."""
    last_year = Product.certificate_year + CERTIFICATE_MONTHS // 12
    warn = day + timedelta(days=EXPIRY_WARNING_DAYS)
    return case(
        (Product.certificate_revoked.is_(True), literal("revoked")),
        (Product.certificate_expires_on <= day, literal("expired")),
        (Product.certificate_expires_on <= warn, literal("expiring")),
        (Product.certificate_expires_on.is_not(None), literal("valid")),
        (last_year < day.year, literal("expired")),
        (last_year == day.year, literal("expiring")),
        else_=literal("valid"),
    )


def public_products_where(scope: Scope, before: datetime) -> Any:
    """Listed publicly (published by an active producer), created before `before`."""
    return and_(
        product_is_public(),
        Product.created_at < before,
        scope.where(Product.province_id),
    )


def grouped(stmt: Any) -> dict[Any, Any]:
    """A two-column (key, count) query as a dict."""
    return {key: count for key, count in db.session.execute(stmt)}
