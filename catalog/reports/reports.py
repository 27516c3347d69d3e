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

Every figure is one grouped SQL query; nothing loads whole tables into Python. The period
and the scope live in report_periods.py (re-exported here).

Times are stored in UTC. Periods are calendar dates in Vietnam, and figures are grouped by
month in Asia/Ho_Chi_Minh time: Vietnam has kept UTC+7 without daylight saving since 1975, so
a fixed "+7 hours" shift in SQL is exact and works the same in SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select

from catalog.extensions import db
from catalog.models import (
    CERTIFICATE_MONTHS,
    COMPLAINT_KINDS,
    COMPLAINT_STATES,
    PRODUCER_TYPES,
    AuditEntry,
    Campaign,
    Category,
    Complaint,
    Producer,
    Product,
    Province,
    campaign_products,
)
from catalog.models.certificates import CERTIFICATE_STATES, EXPIRY_WARNING_DAYS
from catalog.reports.report_periods import (  # noqa: F401  (re-exported: callers use reports.<name>)
    LOCAL_TZ,
    PRESETS,
    Period,
    ReportError,
    Scope,
    custom_period,
    local_today,
    preset_period,
    provinces_for,
    scope_for,
)
from catalog.review.moderation import PRODUCER_STATES

UTC_OFFSET_HOURS = 7
NO_STARS = "Chưa xếp hạng / hết hạn"
NO_GROUP = "Chưa phân nhóm"
NO_TYPE = "Chưa rõ loại hình"
CLOSED_COMPLAINTS = ("resolved", "dismissed")
# The audit actions moderation.py records when an official approves a registration.
APPROVAL_ACTIONS = {"producer": "producer.approve", "product": "product.approve"}


# -- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: tuple[Count, ...]

    @property
    def total(self) -> int:
        return sum(row.value for row in self.rows)

    def value(self, key: str) -> int:
        return next((row.value for row in self.rows if row.key == key), 0)


@dataclass(frozen=True)
class Timeline:
    title: str
    months: tuple[str, ...]  # "01/2026"
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (name, one value per month)

    def totals(self) -> tuple[int, ...]:
        return tuple(sum(values) for _, values in self.series)


@dataclass(frozen=True)
class CampaignFigure:
    id: int
    title: str
    starts_on: date
    ends_on: date
    province: str
    products: int


@dataclass(frozen=True)
class KeyNumbers:
    public_products: int
    starred_products: int
    producers: int
    trusted_producers: int
    new_producers: int
    new_products: int
    approvals: int
    complaints_received: int
    complaints_closed: int
    campaigns: int
    campaign_products: int


@dataclass(frozen=True)
class Report:
    period: Period
    scope: Scope
    generated_at: datetime
    key: KeyNumbers
    by_province: Breakdown
    by_group: Breakdown
    by_stars: Breakdown
    producers_by_type: Breakdown
    producers_by_status: Breakdown
    certificates: Breakdown
    complaints_by_status: Breakdown
    complaints_by_kind: Breakdown
    registrations: Timeline
    approvals: Timeline
    campaigns: tuple[CampaignFigure, ...]

    @property
    def generated_text(self) -> str:
        """When it was drawn up, in Vietnam's time: "14:05 23/11/2026"."""
        return self.generated_at.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")

    def breakdowns(self) -> tuple[Breakdown, ...]:
        """The tables in the order the page, the summary sheet and the CSV show them."""
        return (
            self.by_province,
            self.by_group,
            self.by_stars,
            self.producers_by_type,
            self.producers_by_status,
            self.certificates,
            self.complaints_by_status,
            self.complaints_by_kind,
        )


def month_label(key: str) -> str:
    """ "2026-01" → "01/2026"."""
    year, month = key.split("-")
    return f"{month}/{year}"


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
        Product.status == "published",
        Producer.status == "active",
        Product.created_at < before,
        scope.where(Product.province_id),
    )


def _grouped(stmt: Any) -> dict[Any, Any]:
    return {key: count for key, count in db.session.execute(stmt)}


def _public_counts(scope: Scope, before: datetime, key: Any) -> dict[Any, int]:
    stmt = (
        select(key, func.count(Product.id))
        .select_from(Product)
        .join(Producer, Product.producer_id == Producer.id)
        .where(public_products_where(scope, before))
        .group_by(key)
    )
    return _grouped(stmt)


def _by_province(scope: Scope, before: datetime) -> Breakdown:
    counts = _public_counts(scope, before, Product.province_id)
    ids = list(counts) if scope.province_ids is None else list(scope.province_ids)
    names = _grouped(select(Province.id, Province.name).where(Province.id.in_(ids)))
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
    return _grouped(stmt)


def _producers(scope: Scope, before: datetime) -> tuple[Breakdown, Breakdown]:
    types = _producer_counts(scope, before, Producer.type, Producer.status == "active")
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
    counts = _grouped(stmt)
    rows = [Count(k, label, counts.get(k, 0)) for k, label in CERTIFICATE_STATES.items()]
    return Breakdown(
        f"Chứng nhận OCOP của sản phẩm đang hiển thị (ngày {day:%d/%m/%Y})", tuple(rows)
    )


def _complaints(scope: Scope, begin: datetime, stop: datetime) -> tuple[Breakdown, Breakdown]:
    where = (Complaint.created_at >= begin, Complaint.created_at < stop)
    where += (scope.where(Complaint.province_id),)
    states = _grouped(
        select(Complaint.status, func.count()).where(*where).group_by(Complaint.status)
    )
    kinds = _grouped(select(Complaint.kind, func.count()).where(*where).group_by(Complaint.kind))
    return (
        Breakdown(
            "Phản ánh nhận trong kỳ theo trạng thái",
            tuple(Count(k, label, states.get(k, 0)) for k, label in COMPLAINT_STATES.items()),
        ),
        Breakdown(
            "Phản ánh nhận trong kỳ theo loại",
            tuple(Count(k, label, kinds.get(k, 0)) for k, label in COMPLAINT_KINDS.items()),
        ),
    )


def _complaints_closed(scope: Scope, begin: datetime, stop: datetime) -> int:
    closed_at = func.coalesce(Complaint.closed_at, Complaint.updated_at)
    stmt = select(func.count(Complaint.id)).where(
        Complaint.status.in_(CLOSED_COMPLAINTS),
        closed_at >= begin,
        closed_at < stop,
        scope.where(Complaint.province_id),
    )
    return db.session.scalar(stmt) or 0


def _monthly(column: Any, *where: Any, join: Any = None, on: Any = None) -> dict[str, int]:
    month = local_month(column)
    stmt = select(month, func.count()).select_from(column.table)
    if join is not None:
        stmt = stmt.join(join, on)
    return _grouped(stmt.where(*where).group_by(month))


def _timelines(scope: Scope, period: Period) -> tuple[Timeline, Timeline]:
    begin, stop = period.bounds()

    def within(column: Any) -> tuple[Any, Any]:
        return column >= begin, column < stop

    producers = _monthly(
        Producer.created_at, *within(Producer.created_at), scope.where(Producer.province_id)
    )
    created = _monthly(
        Product.created_at, *within(Product.created_at), scope.where(Product.province_id)
    )
    submitted = _monthly(
        Product.submitted_at, *within(Product.submitted_at), scope.where(Product.province_id)
    )
    approvals: dict[str, dict[str, int]] = {}
    for kind, model in (("producer", Producer), ("product", Product)):
        approvals[kind] = _monthly(
            AuditEntry.created_at,
            AuditEntry.action == APPROVAL_ACTIONS[kind],
            AuditEntry.entity_type == kind,
            *within(AuditEntry.created_at),
            scope.where(model.province_id),
            join=model,
            on=AuditEntry.entity_id == model.id,
        )
    keys = period.months()
    labels = tuple(month_label(k) for k in keys)

    def values(counts: dict[str, int]) -> tuple[int, ...]:
        return tuple(counts.get(k, 0) for k in keys)

    registrations = Timeline(
        "Đăng ký mới theo tháng",
        labels,
        (
            ("Cơ sở đăng ký", values(producers)),
            ("Sản phẩm tạo mới", values(created)),
            ("Sản phẩm gửi duyệt", values(submitted)),
        ),
    )
    approved = Timeline(
        "Hồ sơ được duyệt theo tháng",
        labels,
        (
            ("Cơ sở được duyệt", values(approvals["producer"])),
            ("Sản phẩm được duyệt", values(approvals["product"])),
        ),
    )
    return registrations, approved


def campaign_figures(scope: Scope, period: Period) -> tuple[CampaignFigure, ...]:
    """Published campaigns overlapping the period, of the scope's provinces or nationwide,
    each with the number of its products in the scope (nationwide ones without any product
    in a limited scope are left out)."""
    in_scope = (
        select(func.count())
        .select_from(campaign_products.join(Product, campaign_products.c.product_id == Product.id))
        .where(campaign_products.c.campaign_id == Campaign.id, scope.where(Product.province_id))
        .scalar_subquery()
    )
    stmt = (
        select(
            Campaign.id,
            Campaign.title,
            Campaign.starts_on,
            Campaign.ends_on,
            Province.name,
            in_scope,
        )
        .select_from(Campaign)
        .outerjoin(Province, Campaign.province_id == Province.id)
        .where(
            Campaign.status == "published",
            Campaign.starts_on <= period.end,
            Campaign.ends_on >= period.start,
            or_(scope.where(Campaign.province_id), Campaign.province_id.is_(None)),
        )
        .order_by(Campaign.starts_on, Campaign.id)
    )
    figures = []
    for cid, title, starts_on, ends_on, province, count in db.session.execute(stmt):
        if province is None and scope.province_ids is not None and not count:
            continue
        figures.append(
            CampaignFigure(cid, title, starts_on, ends_on, province or "Toàn quốc", count or 0)
        )
    return tuple(figures)


def build_report(period: Period, scope: Scope, today: date | None = None) -> Report:
    """Every figure of the report for that period and scope."""
    begin, stop = period.bounds()
    day = judged_on(period, today)
    by_province = _by_province(scope, stop)
    by_stars = _by_stars(scope, stop, day)
    by_type, by_status = _producers(scope, stop)
    by_complaint_state, by_kind = _complaints(scope, begin, stop)
    registrations, approvals = _timelines(scope, period)
    campaigns = campaign_figures(scope, period)
    trusted = _producer_counts(
        scope, stop, Producer.trusted, Producer.status == "active", Producer.trusted.is_(True)
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
        complaints_closed=_complaints_closed(scope, begin, stop),
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
