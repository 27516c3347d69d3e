"""The audit log in plain Vietnamese: what each recorded action, entity and field is called,
and how stored values read (có/không, dd/mm/yyyy, province and producer names instead of
ids). The log stores codes and raw values; only what people read is translated here.

tests/audit_log/test_audit_labels.py checks that every action the code records has a label.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from catalog.extensions import db
from catalog.models import Category, Producer, Product, Province, User
from catalog.platform.numbers import row_id

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
    "listing.delete": "Xóa sản phẩm",
    "listing.unpublish": "Cơ sở tạm ẩn sản phẩm",
    "listing.republish": "Cơ sở đăng lại sản phẩm",
    "listing.change_discard": "Hủy thay đổi sản phẩm",
    "listing.edit": "Cơ sở sửa sản phẩm",
    "listing.photos": "Cơ sở cập nhật ảnh sản phẩm",
    "listing.change_edit": "Cơ sở sửa sản phẩm đang đăng (chờ duyệt)",
    "listing.change_photos": "Cơ sở đổi ảnh sản phẩm đang đăng (chờ duyệt)",
    "listing.live_edit": "Cơ sở đổi giá, đơn vị hoặc tình trạng hàng (áp dụng ngay)",
    "product.live_revert": "Cán bộ hoàn tác thay đổi giá, đơn vị hoặc tình trạng hàng",
    "order.confirmed": "Cơ sở xác nhận yêu cầu đặt hàng",
    "order.delivered": "Cơ sở báo đã giao hàng",
    "order.cancelled": "Cơ sở hủy yêu cầu đặt hàng",
    "order.new": "Yêu cầu đặt hàng trở về mới",
    "order.block_phone": "Chặn số điện thoại người mua",
    "order.unblock_phone": "Bỏ chặn số điện thoại người mua",
    "producer.verify": "Xác minh cơ sở",
    "producer.unverify": "Bỏ xác minh cơ sở",
    "profile.update": "Cập nhật hồ sơ cơ sở",
    "account.register": "Đăng ký tài khoản",
    "account.verify_email": "Xác nhận e-mail",
    "account.reset_password": "Đặt lại mật khẩu",
    "account.change_password": "Đổi mật khẩu",
    "account.set_password": "Đặt mật khẩu (dòng lệnh)",
    "account.sign_out_everywhere": "Đăng xuất khỏi mọi thiết bị",
    "account.invite": "Mời đồng nghiệp",
    "account.accept_invitation": "Nhận lời mời",
    "account.accept_staff_invitation": "Nhận lời mời làm cán bộ, tạo mật khẩu",
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
    "import_discarded": "Hủy danh sách nhập",
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
FIELD_LABELS = {
    "name": "Tên",
    "category_id": "Nhóm sản phẩm",
    "province_id": "Tỉnh",
    "province_recorded_as": "Tỉnh ghi trong nguồn",
    "description": "Mô tả",
    "price_vnd": "Giá (đồng)",
    "unit": "Đơn vị tính",
    "ocop_stars": "Số sao OCOP",
    "stars": "Số sao OCOP",
    "certificate_no": "Số giấy chứng nhận",
    "certificate_decision": "Quyết định công nhận",
    "certificate_year": "Năm công nhận",
    "certificate_expires_on": "Hết hạn chứng nhận",
    "certificate_scan": "Bản chụp giấy chứng nhận",
    "certificate": "Giấy chứng nhận",
    "images": "Ảnh",
    "status": "Trạng thái",
    "review_state": "Trạng thái duyệt",
    "review_note": "Ghi chú duyệt",
    "values": "Nội dung",
    "pending": "Thay đổi chờ duyệt",
    "pending_changes": "Thay đổi chờ duyệt",
    "featured": "Nổi bật",
    "trusted": "Địa chỉ tin cậy",
    "trusted_note": "Căn cứ tin cậy",
    "trusted_at": "Ngày đánh dấu tin cậy",
    "trusted_by_id": "Người đánh dấu tin cậy",
    "verified": "Đã xác minh",
    "verified_at": "Ngày xác minh",
    "verified_by_id": "Người xác minh",
    "verification_note": "Căn cứ xác minh",
    "role": "Vai trò",
    "provinces": "Tỉnh phụ trách",
    "active": "Đang hoạt động",
    "email": "E-mail",
    "phone": "Điện thoại",
    "address": "Địa chỉ",
    "website": "Trang web",
    "type": "Loại hình",
    "tax_code": "Mã số thuế",
    "ward_code": "Mã phường, xã",
    "ward_name": "Phường, xã",
    "producer_id": "Cơ sở",
    "product_id": "Sản phẩm",
    "product_ids": "Sản phẩm",
    "user_id": "Tài khoản",
    "claim": "Yêu cầu nhận quản lý",
    "title": "Tiêu đề",
    "summary": "Tóm tắt",
    "body": "Nội dung",
    "kind": "Loại bài",
    "starts_on": "Ngày bắt đầu",
    "ends_on": "Ngày kết thúc",
    "published": "Đã đăng",
    "published_at": "Ngày đăng",
    "banner": "Ảnh băng rôn",
    "cover": "Ảnh bìa",
    "alt": "Mô tả ảnh",
    "file": "Tệp",
    "decision_no": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "issued_by": "Hội đồng công nhận",
    "expires_on": "Ngày hết hạn",
    "revoked": "Đã thu hồi",
    "evaluation": "Hình thức đánh giá",
    "product": "Sản phẩm",
    "note": "Ghi chú",
    "reply": "Trả lời",
    "availability": "Tình trạng hàng",
    "harvest_months": "Tháng thu hoạch",
}
STATUS_LABELS = {
    "draft": "bản nháp",
    "submitted": "chờ duyệt",
    "published": "đang đăng",
    "rejected": "bị từ chối",
    "changes_requested": "cần bổ sung",
    "hidden": "đang ẩn",
    "suspended": "tạm ngừng",
    "approved": "đã duyệt",
    "pending": "chờ duyệt",
    "new": "mới",
    "investigating": "đang xác minh",
    "resolved": "đã xử lý",
    "dismissed": "không có cơ sở",
    "confirmed": "đã xác nhận",
    "delivered": "đã giao",
    "cancelled": "đã hủy",
    "official": "cán bộ",
    "admin": "quản trị",
    "producer": "cơ sở",
}
# Fields whose value is a row id, shown by the row's name (one primary-key look-up each).
_NAMED: dict[str, tuple[type, Callable[[Any], str]]] = {
    "province_id": (Province, lambda row: row.name),
    "category_id": (Category, lambda row: row.name),
    "producer_id": (Producer, lambda row: row.name),
    "product_id": (Product, lambda row: row.name),
    "user_id": (User, lambda row: row.email),
    "trusted_by_id": (User, lambda row: row.email),
    "verified_by_id": (User, lambda row: row.email),
}
MAX_TEXT = 80


def action_label(action: str) -> str:
    """The action in Vietnamese; an unknown code is shown as a generic phrase, never raw."""
    return ACTION_LABELS.get(action, "Thao tác khác")


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, "Thông tin khác")


def _named(key: str, value: Any) -> str | None:
    model, name = _NAMED[key]
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    # An id no row can have (beyond the column's range) is not looked up: PostgreSQL would
    # refuse the query; it reads like any id naming no row.
    row = db.session.get(model, value) if row_id(value) is not None else None
    return name(row) if row is not None else f"(đã xóa, mã {value})"


def _day(value: str) -> str | None:
    try:
        if len(value) == 10:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        if len(value) >= 19 and value[10] == "T":
            return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return None
    return None


def value_text(key: str, value: Any) -> str:
    """One stored value as people read it: có/không, dd/mm/yyyy, names for ids, short text."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if key in _NAMED:
        named = _named(key, value)
        if named is not None:
            return _cut(named)
    if key == "product_ids" and isinstance(value, list):
        return f"{len(value)} sản phẩm"
    if key == "images" and isinstance(value, list):
        return f"{len(value)} ảnh"
    if isinstance(value, str):
        if key in ("status", "review_state", "role") and value in STATUS_LABELS:
            return STATUS_LABELS[value]
        return _cut(_day(value) or value)
    if isinstance(value, int | float):
        return f"{value:,}".replace(",", ".") if key == "price_vnd" else str(value)
    if isinstance(value, list):
        return _cut(", ".join(value_text(key, v) for v in value))
    if isinstance(value, dict):
        parts = [f"{field_label(k)}: {value_text(k, v)}" for k, v in value.items()]
        return _cut("; ".join(parts))
    return _cut(str(value))


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def change_rows(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each field the entry records, changed ones only when
    both sides are known; a nested group of values (a product's "values", a certificate) is
    opened one level so each changed field gets its own row."""
    rows: list[tuple[str, str, str]] = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            rows.extend(change_rows(old, new))
            continue
        rows.append(
            (
                field_label(key),
                value_text(key, old) if key in before else "",
                value_text(key, new) if key in after else "",
            )
        )
    return rows
