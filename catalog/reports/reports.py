"""Figures for the periodic report an official sends upward (issue 5, point 8).

Two kinds of figure, on purpose:

* flows ("what happened in the period"): registrations, submissions, approvals (from the
  audit log), complaints received and closed, campaigns running. They count entries whose
  date falls in the period.
* stock ("what the catalogue holds"): public products by province, OCOP group and stars,
  producers by type and status, trusted producers, certificate states. They count the
  entries created before the end of the period in their *current* state (the database keeps
  no history of statuses), and judge certificates on the period's last day (or today, if the
  period runs into the future), so a report for the first half of the year run in December
  does not count products added in the autumn.

Every figure is one grouped SQL query; nothing loads whole tables into Python. The stock
figures are here, the flows in report_flows.py, their shapes in report_figures.py, the period
and the scope in report_periods.py.

Times are stored in UTC. Periods are calendar dates in Vietnam, and figures are grouped by
month in Asia/Ho_Chi_Minh time (report_queries.local_month).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from catalog.extensions import db
from catalog.models import (
    PRODUCER_TYPES,
    Category,
    Producer,
    Product,
    Province,
)
from catalog.models.certificates import CERTIFICATE_STATES
from catalog.models.visibility import producer_is_public
from catalog.reports import report_flows
from catalog.reports.report_figures import Breakdown, Count, KeyNumbers, Report
from catalog.reports.report_periods import Period, Scope
from catalog.reports.report_queries import (
    certificate_state_expr,
    grouped,
    judged_on,
    public_products_where,
)
from catalog.review.moderation import PRODUCER_STATES

NO_STARS = "Chưa xếp hạng / hết hạn"
NO_GROUP = "Chưa phân nhóm"
NO_TYPE = "Chưa rõ loại hình"


# -- stock figures ---------------------------------------------------------------------------


def _public_counts(scope: Scope, before: datetime, key: Any) -> dict[Any, int]:
    stmt = (
        select(key, func.count(Product.id))
        .select_from(Product)
        .join(Producer, Product.producer_id == Producer.id)
        .where(public_products_where(scope, before))
        .group_by(key)
    )
    return grouped(stmt)


def _by_province(scope: Scope, before: datetime) -> Breakdown:
    counts = _public_counts(scope, before, Product.province_id)
    ids = list(counts) if scope.province_ids is None else list(scope.province_ids)
    names = grouped(select(Province.id, Province.name).where(Province.id.in_(ids)))
    rows = [Count(str(i), names.get(i, str(i)), counts.get(i, 0)) for i in ids]
    rows.sort(key=lambda row: (-row.value, row.label))
    return Breakdown("Sản phẩm đang hiển thị theo tỉnh, thành phố", tuple(rows))


def _by_group(scope: Scope, before: datetime) -> Breakdown:
    counts = _public_counts(scope, before, Product.category_id)
    categories = db.session.execute(
        select(Category.id, Category.slug, Category.name).order_by(Category.position)
    )
    rows = [Count(slug, name, counts.get(cid, 0)) for cid, slug, name in categories]
    if counts.get(None):
        rows.append(Count("", NO_GROUP, counts[None]))
    return Breakdown("Sản phẩm đang hiển thị theo nhóm OCOP", tuple(rows))


def _by_stars(scope: Scope, before: datetime, day: date) -> Breakdown:
    counts = _public_counts(scope, before, Product.public_stars_expr(day))
    rows = [Count(str(s), f"{s} sao", counts.get(s, 0)) for s in (5, 4, 3)]
    rows.append(Count("", NO_STARS, sum(v for k, v in counts.items() if k not in (3, 4, 5))))
    return Breakdown("Sản phẩm đang hiển thị theo hạng sao OCOP (còn hiệu lực)", tuple(rows))


def _producer_counts(scope: Scope, before: datetime, key: Any, *extra: Any) -> dict[Any, int]:
    stmt = (
        select(key, func.count(Producer.id))
        .where(Producer.created_at < before, scope.where(Producer.province_id), *extra)
        .group_by(key)
    )
    return grouped(stmt)


def _producers(scope: Scope, before: datetime) -> tuple[Breakdown, Breakdown]:
    types = _producer_counts(scope, before, Producer.type, producer_is_public())
    type_rows = [Count(k, label, types.get(k, 0)) for k, label in PRODUCER_TYPES.items()]
    unknown = sum(v for k, v in types.items() if k not in PRODUCER_TYPES)
    if unknown:
        type_rows.append(Count("", NO_TYPE, unknown))
    states = _producer_counts(scope, before, Producer.status)
    state_rows = [
        Count(k, label.capitalize(), states.get(k, 0)) for k, label in PRODUCER_STATES.items()
    ]
    return (
        Breakdown("Cơ sở đang hoạt động theo loại hình", tuple(type_rows)),
        Breakdown("Cơ sở theo trạng thái hồ sơ", tuple(state_rows)),
    )


def _certificates(scope: Scope, before: datetime, day: date) -> Breakdown:
    state = certificate_state_expr(day)
    stmt = (
        select(state, func.count(Product.id))
        .select_from(Product)
        .join(Producer, Product.producer_id == Producer.id)
        .where(public_products_where(scope, before), Product.ocop_stars.is_not(None))
        .group_by(state)
    )
    counts = grouped(stmt)
    rows = [Count(k, label, counts.get(k, 0)) for k, label in CERTIFICATE_STATES.items()]
    return Breakdown(
        f"Chứng nhận OCOP của sản phẩm đang hiển thị (ngày {day:%d/%m/%Y})", tuple(rows)
    )


def build_report(period: Period, scope: Scope, today: date | None = None) -> Report:
    """Every figure of the report for that period and scope."""
    begin, stop = period.bounds()
    day = judged_on(period, today)
    by_province = _by_province(scope, stop)
    by_stars = _by_stars(scope, stop, day)
    by_type, by_status = _producers(scope, stop)
    by_complaint_state, by_kind = report_flows.complaint_breakdowns(scope, begin, stop)
    registrations, approvals = report_flows.timelines(scope, period)
    campaigns = report_flows.campaign_figures(scope, period)
    trusted = _producer_counts(
        scope, stop, Producer.trusted, producer_is_public(), Producer.trusted.is_(True)
    )
    key = KeyNumbers(
        public_products=by_province.total,
        starred_products=by_stars.total - by_stars.value(""),
        producers=by_status.value("active"),
        trusted_producers=sum(trusted.values()),
        new_producers=registrations.totals()[0],
        new_products=registrations.totals()[1],
        approvals=sum(approvals.totals()),
        complaints_received=by_complaint_state.total,
        complaints_closed=report_flows.complaints_closed(scope, begin, stop),
        campaigns=len(campaigns),
        campaign_products=sum(c.products for c in campaigns),
    )
    return Report(
        period=period,
        scope=scope,
        generated_at=datetime.now(UTC),
        key=key,
        by_province=by_province,
        by_group=_by_group(scope, stop),
        by_stars=by_stars,
        producers_by_type=by_type,
        producers_by_status=by_status,
        certificates=_certificates(scope, stop, day),
        complaints_by_status=by_complaint_state,
        complaints_by_kind=by_kind,
        registrations=registrations,
        approvals=approvals,
        campaigns=campaigns,
    )
