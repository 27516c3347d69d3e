"""Reading the audit log: filters, province scope, labels and the export files.

Officials see entries about entities in their provinces (AuditEntry.province_id, set when
the entry is written); admins see everything. Nothing here writes: entries are never edited
or deleted through the application (the model refuses it, see models/curation.py).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import joinedload

from catalog.extensions import db
from catalog.models import AuditEntry, User
from catalog.platform.vietnamese import clean_text

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE_SIZE = 50
MAX_EXPORT = 50_000
ACTION_LABELS = {
    "producer.approve": "Duyệt cơ sở",
    "producer.reject": "Từ chối cơ sở",
    "producer.request_changes": "Yêu cầu cơ sở bổ sung",
    "producer.suspend": "Tạm ngừng cơ sở",
    "producer.reinstate": "Hiển thị lại cơ sở",
    "producer.complete": "Bổ sung thông tin cơ sở",
    "product.approve": "Duyệt sản phẩm",
    "product.reject": "Từ chối sản phẩm",
    "product.request_changes": "Yêu cầu sửa sản phẩm",
    "product.change_approve": "Duyệt thay đổi sản phẩm",
    "product.change_reject": "Từ chối thay đổi sản phẩm",
    "product.change_request_changes": "Yêu cầu sửa thay đổi sản phẩm",
    "product.hide": "Ẩn sản phẩm",
    "product.restore": "Hiển thị lại sản phẩm",
    "product.complete": "Bổ sung nhóm sản phẩm",
    "product.feature": "Đưa vào sản phẩm nổi bật",
    "product.unfeature": "Bỏ khỏi sản phẩm nổi bật",
    "claim.create": "Yêu cầu nhận quản lý",
    "claim.approved": "Chấp nhận yêu cầu nhận quản lý",
    "claim.rejected": "Từ chối yêu cầu nhận quản lý",
    "listing.create": "Tạo sản phẩm",
    "listing.submit": "Gửi duyệt sản phẩm",
    "listing.delete": "Xoá sản phẩm",
    "listing.unpublish": "Cơ sở tạm ẩn sản phẩm",
    "listing.republish": "Cơ sở đăng lại sản phẩm",
    "listing.change_discard": "Huỷ thay đổi sản phẩm",
    "profile.update": "Cập nhật hồ sơ cơ sở",
    "account.register": "Đăng ký tài khoản",
    "account.verify_email": "Xác nhận e-mail",
    "account.reset_password": "Đặt lại mật khẩu",
    "account.change_password": "Đổi mật khẩu",
    "account.set_password": "Đặt mật khẩu (dòng lệnh)",
    "account.sign_out_everywhere": "Đăng xuất khỏi mọi thiết bị",
    "account.invite": "Mời đồng nghiệp",
    "account.accept_invitation": "Nhận lời mời",
    "account.accept_handover": "Nhận bàn giao hồ sơ",
    "onboard.producer": "Cán bộ đăng ký cơ sở",
    "onboard.product": "Cán bộ đăng ký sản phẩm",
    "onboard.handover_issued": "Tạo liên kết bàn giao",
    "complaint.filed": "Nhận phản ánh",
    "complaint.hide_listing": "Ẩn sản phẩm theo phản ánh",
    "campaign.create": "Tạo chương trình",
    "campaign.update": "Sửa chương trình",
    "campaign.add_product": "Thêm sản phẩm vào chương trình",
    "campaign.remove_product": "Bỏ sản phẩm khỏi chương trình",
    "campaign.reorder": "Sắp xếp sản phẩm chương trình",
    "story.create": "Tạo bài viết",
    "story.update": "Sửa bài viết",
    "user.create_staff": "Tạo tài khoản cán bộ",
    "user.update_staff": "Cập nhật tài khoản cán bộ",
    "user.update": "Cập nhật tài khoản",
    # Issue 5's actions (officials' workspace): shown in Vietnamese, not as their codes.
    "producer.trust": "Đánh dấu địa chỉ tin cậy",
    "producer.untrust": "Bỏ đánh dấu địa chỉ tin cậy",
    "certificate.record": "Ghi nhận chứng nhận OCOP",
    "certificate.verify": "Xác minh chứng nhận OCOP",
    "certificate.revoke": "Thu hồi chứng nhận OCOP",
    "campaign.publish": "Đăng chương trình",
    "campaign.unpublish": "Gỡ chương trình",
    "story.publish": "Đăng bài viết",
    "story.unpublish": "Gỡ bài viết",
    "story.link_producer": "Gắn cơ sở vào bài viết",
    "story.unlink_producer": "Bỏ cơ sở khỏi bài viết",
    "story.link_product": "Gắn sản phẩm vào bài viết",
    "story.unlink_product": "Bỏ sản phẩm khỏi bài viết",
    "complaint.investigating": "Chuyển phản ánh sang xác minh",
    "complaint.resolved": "Xử lý xong phản ánh",
    "complaint.dismissed": "Kết luận phản ánh không có cơ sở",
    "complaint.reopen": "Mở lại phản ánh",
    "complaint.reply": "Trả lời phản ánh",
    "import_confirmed": "Nhập danh sách",
    "import_discarded": "Huỷ danh sách nhập",
}
ENTITY_LABELS = {
    "producer": "Cơ sở",
    "product": "Sản phẩm",
    "user": "Tài khoản",
    "complaint": "Phản ánh",
    "campaign": "Chương trình",
    "story": "Bài viết",
    "certificate": "Giấy chứng nhận",
    "import": "Lần nhập",
    "order": "Yêu cầu đặt hàng",
}


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
    """A date from the form: ISO (the date input) or dd/mm/yyyy; anything else is dropped."""
    raw = (raw or "").strip()[:10]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
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


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def local_time(value: datetime) -> str:
    """dd/mm/yyyy HH:MM in Vietnam's time zone."""
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def _short(value: Any, limit: int = 80) -> str:
    if value is None or value == "" or value == []:
        return "—"
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field the entry records, changed ones only when both
    sides are known; nested values are shown as short text."""
    before, after = entry.before or {}, entry.after or {}
    rows = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        rows.append(
            (key, _short(old) if key in before else "", _short(new) if key in after else "")
        )
    return rows


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
