"""Validators and fields shared by the forms, with Vietnamese messages."""

from __future__ import annotations

from typing import Any

from wtforms import Field, ValidationError
from wtforms.validators import DataRequired, Email, Length, Optional, StopValidation

from .vietnamese import clean_text, normalize_phone, normalize_tax_code

REQUIRED = "Vui lòng điền mục này."


def required() -> DataRequired:
    return DataRequired(message=REQUIRED)


def optional() -> Optional:
    return Optional()


def max_len(n: int) -> Length:
    return Length(max=n, message=f"Tối đa {n} ký tự.")


def email() -> Email:
    return Email(message="Địa chỉ e-mail không hợp lệ.", check_deliverability=False)


def strip_filter(value: Any) -> Any:
    """NFC, trimmed, control characters removed: what every text field stores."""
    return clean_text(value) if isinstance(value, str) else value


def multiline_filter(value: Any) -> Any:
    """Like strip_filter but keeps line breaks (descriptions)."""
    if not isinstance(value, str):
        return value
    from .vietnamese import nfc

    lines = [clean_text(line) for line in nfc(value).replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def tax_code(_form: Any, field: Field) -> None:
    if not field.data:
        return
    normalized = normalize_tax_code(field.data)
    if normalized is None:
        raise StopValidation(
            "Mã số thuế không hợp lệ: cần 10 số (có số kiểm tra), 13 số cho chi nhánh, "
            "hoặc 12 số định danh cá nhân của hộ kinh doanh."
        )
    field.data = normalized


def phone(_form: Any, field: Field) -> None:
    if not field.data:
        return
    normalized = normalize_phone(field.data)
    if normalized is None:
        raise StopValidation(
            "Số điện thoại không đúng: di động 10 số (ví dụ 0912 345 678) hoặc cố định 11 số "
            "bắt đầu bằng 02."
        )
    field.data = normalized


def web_url(_form: Any, field: Field) -> None:
    if not field.data:
        return
    value = field.data.strip()
    if not value.lower().startswith(("http://", "https://")):
        value = "https://" + value
    host = value.split("://", 1)[1].split("/", 1)[0]
    if "." not in host or " " in value or len(value) > 300:
        raise ValidationError("Địa chỉ trang web không hợp lệ.")
    field.data = value


def password_rules(_form: Any, field: Field) -> None:
    value = field.data or ""
    if len(value) < 8:
        raise ValidationError("Mật khẩu cần ít nhất 8 ký tự.")
    if len(value) > 200:
        raise ValidationError("Mật khẩu quá dài.")
    if value.isdigit() or value.lower() in ("password", "matkhau123", "12345678"):
        raise ValidationError("Mật khẩu quá dễ đoán; hãy dùng cả chữ và số.")
