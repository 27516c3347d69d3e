"""The report's flows, "what happened in the period": complaints received and closed,
registrations and approvals month by month (approvals from the audit log), and the
campaigns that ran. They count entries whose date falls in the period."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select

from catalog.extensions import db
from catalog.models import (
    COMPLAINT_KINDS,
    COMPLAINT_STATES,
    AuditEntry,
    Campaign,
    Complaint,
    Producer,
    Product,
    Province,
    campaign_products,
)
from catalog.models.visibility import campaign_is_public
from catalog.reports.report_figures import Breakdown, CampaignFigure, Count, Timeline, month_label
from catalog.reports.report_periods import Period, Scope
from catalog.reports.report_queries import grouped, local_month

CLOSED_COMPLAINTS = ("resolved", "dismissed")
# The audit actions moderation.py records when an official approves a registration.
APPROVAL_ACTIONS = {"producer": "producer.approve", "product": "product.approve"}


def complaint_breakdowns(
    scope: Scope, begin: datetime, stop: datetime
) -> tuple[Breakdown, Breakdown]:
    where = (
        Complaint.created_at >= begin,
        Complaint.created_at < stop,
        scope.where(Complaint.province_id),
    )
    states = grouped(
        select(Complaint.status, func.count()).where(*where).group_by(Complaint.status)
    )
    kinds = grouped(select(Complaint.kind, func.count()).where(*where).group_by(Complaint.kind))
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


def complaints_closed(scope: Scope, begin: datetime, stop: datetime) -> int:
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
    return grouped(stmt.where(*where).group_by(month))


def timelines(scope: Scope, period: Period) -> tuple[Timeline, Timeline]:
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
            campaign_is_public(),
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
