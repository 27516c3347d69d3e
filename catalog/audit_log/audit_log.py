"""Reading the audit log: filters, province scope, labels and the export files.

Officials see entries about entities in their provinces (AuditEntry.province_id, set when
the entry is written); admins see everything. Nothing here writes: entries are never edited
or deleted through the application (the model refuses it, see models/curation.py).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import joinedload

from catalog.audit_log.audit_labels import ENTITY_LABELS, action_label, change_rows
from catalog.extensions import db
from catalog.models import AuditEntry, User
from catalog.platform.dates import parse_day
from catalog.platform.vietnamese import clean_text

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE_SIZE = 50
MAX_EXPORT = 50_000


@dataclass(frozen=True)
class AuditFilters:
    text: str = ""
    action: str = ""
    actor: str = ""  # e-mail, or part of it
    entity_type: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def is_empty(self) -> bool:
        return self == AuditFilters()


def _day(raw: str | None) -> date | None:
    """A date from the filter: dd/mm/yyyy or ISO (fields.parse_day); anything else is
    dropped."""
    try:
        return parse_day((raw or "")[:20])
    except ValueError:
        return None


def filters_from(args: Mapping[str, str]) -> AuditFilters:
    """Lenient parsing of the query string: bad values are dropped, never reach a query."""

    def text(name: str, limit: int = 200) -> str:
        return clean_text(args.get(name) or "")[:limit]

    return AuditFilters(
        text=text("q"),
        action=text("hanh_dong", 60),
        actor=text("nguoi", 254).lower(),
        entity_type=text("doi_tuong", 40),
        date_from=_day(args.get("tu_ngay")),
        date_to=_day(args.get("den_ngay")),
    )


def _utc(day: date) -> datetime:
    return datetime.combine(day, time.min, LOCAL_TZ).astimezone(ZoneInfo("UTC"))


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def scoped_query(viewer: User, filters: AuditFilters) -> Select[AuditEntry]:
    """Entries this viewer may read that match the filters, newest first."""
    stmt = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if viewer.role != "admin":
        stmt = stmt.where(AuditEntry.province_id.in_([p.id for p in viewer.provinces]))
    if filters.text:
        pattern = _like(filters.text)
        stmt = stmt.where(
            or_(
                AuditEntry.reason.ilike(pattern, escape="\\"),
                AuditEntry.action.ilike(pattern, escape="\\"),
                AuditEntry.entity_type.ilike(pattern, escape="\\"),
                cast(AuditEntry.entity_id, String) == filters.text,
            )
        )
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.entity_type:
        stmt = stmt.where(AuditEntry.entity_type == filters.entity_type)
    if filters.actor:
        actors = select(User.id).where(User.email.ilike(_like(filters.actor), escape="\\"))
        stmt = stmt.where(AuditEntry.actor_id.in_(actors))
    if filters.date_from:
        stmt = stmt.where(AuditEntry.created_at >= _utc(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(AuditEntry.created_at < _utc(filters.date_to + timedelta(days=1)))
    return stmt


def page_of(
    viewer: User, filters: AuditFilters, page: int = 1, page_size: int = PAGE_SIZE
) -> tuple[list[AuditEntry], int, int, int]:
    """(entries, total, page, pages) of one page of the log."""
    stmt = scoped_query(viewer, filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, math.ceil((total or 0) / page_size))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        stmt.options(joinedload(AuditEntry.actor)).limit(page_size).offset((page - 1) * page_size)
    )
    return list(rows), total or 0, page, pages


def known_actions(viewer: User) -> list[str]:
    """Actions that occur in what the viewer may see (for the filter's list)."""
    stmt = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    if viewer.role != "admin":
        stmt = stmt.where(AuditEntry.province_id.in_([p.id for p in viewer.provinces]))
    return list(db.session.scalars(stmt))


def local_time(value: datetime) -> str:
    """dd/mm/yyyy HH:MM in Vietnam's time zone."""
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) in plain Vietnamese (see audit_labels.change_rows)."""
    return change_rows(entry.before or {}, entry.after or {})


def _compact(entry: AuditEntry) -> str:
    parts = []
    for key, old, new in changes(entry):
        parts.append(f"{key}: {old} → {new}" if old and new else f"{key}: {old or new}")
    return "; ".join(parts)


HEADERS = (
    "Mã",
    "Thời gian",
    "Người thực hiện",
    "Hành động",
    "Mã hành động",
    "Đối tượng",
    "Mã đối tượng",
    "Thay đổi",
    "Lý do",
    "Thay đổi (dữ liệu gốc)",
)


def _raw(entry: AuditEntry) -> str:
    """The stored before/after as JSON, for whoever re-processes the export."""
    return json.dumps(
        {"before": entry.before, "after": entry.after}, ensure_ascii=False, sort_keys=True
    )


def export_rows(viewer: User, filters: AuditFilters) -> list[list[Any]]:
    stmt = scoped_query(viewer, filters).options(joinedload(AuditEntry.actor)).limit(MAX_EXPORT)
    return [
        [
            _safe_cell(value)
            for value in (
                e.id,
                local_time(e.created_at),
                e.actor.email if e.actor else "Hệ thống",
                action_label(e.action),
                e.action,
                ENTITY_LABELS.get(e.entity_type, e.entity_type),
                e.entity_id,
                _compact(e),
                e.reason or "",
                _raw(e),
            )
        ]
        for e in db.session.scalars(stmt)
    ]


def export_csv(viewer: User, filters: AuditFilters) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Vietnamese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(export_rows(viewer, filters))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(viewer: User, filters: AuditFilters) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Nhật ký"
    sheet.append(HEADERS)
    for row in export_rows(viewer, filters):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
