"""The officials' list of complaints: those of their provinces (all for admins), counted by
status, filtered by status and kind, paged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select

from catalog.extensions import db
from catalog.models import COMPLAINT_KINDS, COMPLAINT_STATES, Complaint, User


@dataclass(frozen=True)
class ComplaintList:
    items: list[Complaint]
    total: int
    counts: dict[str, int]  # per status, within the official's scope (and the kind filter)
    page: int
    pages: int


def list_for(
    official: User,
    *,
    status: str = "",
    kind: str = "",
    oldest_first: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> ComplaintList:
    """Complaints in the official's provinces (all for admins), filtered and paged."""
    scope: list[ColumnElement[bool]] = []
    if official.role != "admin":
        scope.append(Complaint.province_id.in_([p.id for p in official.provinces]))
    if kind in COMPLAINT_KINDS:
        scope.append(Complaint.kind == kind)
    counts = dict.fromkeys(COMPLAINT_STATES, 0)
    rows = db.session.execute(
        select(Complaint.status, func.count()).where(*scope).group_by(Complaint.status)
    )
    for key, n in rows:
        counts[key] = n
    where = [*scope, Complaint.status == status] if status in COMPLAINT_STATES else scope
    total = counts[status] if status in COMPLAINT_STATES else sum(counts.values())
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    order = Complaint.id.asc() if oldest_first else Complaint.id.desc()
    stmt = select(Complaint).where(*where).order_by(order)
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return ComplaintList(items, total, counts, page, pages)
