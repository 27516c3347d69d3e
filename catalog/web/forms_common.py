"""Validators and fields shared by the forms, with Vietnamese messages (English through the
catalogue for visitors who chose it: lazy_gettext at class level, gettext when validating)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import Field, ValidationError
from wtforms.validators import DataRequired, Email, Length, Optional, StopValidation

from catalog.platform.vietnamese import clean_text, normalize_phone, normalize_tax_code

REQUIRED = lazy_gettext("Vui lòng điền mục này.")


def required() -> DataRequired:
    return DataRequired(message=REQUIRED)


def optional() -> Optional:
    return Optional()


def max_len(n: int) -> Length:
    return Length(max=n, message=lazy_gettext("Tối đa %(n)s ký tự.", n=n))


def email() -> Email:
    return Email(message=lazy_gettext("Địa chỉ e-mail không hợp lệ."), check_deliverability=False)


def strip_filter(value: Any) -> Any:
    """NFC, trimmed, control characters removed: what every text field stores."""
    return clean_text(value) if isinstance(value, str) else value


def multiline_filter(value: Any) -> Any:
    """Like strip_filter but keeps line breaks (descriptions)."""
    if not isinstance(value, str):
        return value
    from catalog.platform.vietnamese import nfc

    lines = [clean_text(line) for line in nfc(value).replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def tax_code(_form: Any, field: Field) -> None:
    if not field.data:
        return
    normalized = normalize_tax_code(field.data)
    if normalized is None:
        raise StopValidation(
            _(
                "Mã số thuế không hợp lệ: cần 10 số (có số kiểm tra), 13 số cho chi nhánh, "
                "hoặc 12 số định danh cá nhân của hộ kinh doanh."
            )
        )
    field.data = normalized


def phone(_form: Any, field: Field) -> None:
    if not field.data:
        return
    normalized = normalize_phone(field.data)
    if normalized is None:
        raise StopValidation(
            _(
                "Số điện thoại không đúng: di động 10 số (ví dụ 0912 345 678) hoặc cố định 11 "
                "số bắt đầu bằng 02."
            )
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
        raise ValidationError(_("Địa chỉ trang web không hợp lệ."))
    field.data = value


def password_rules(_form: Any, field: Field) -> None:
    value = field.data or ""
    if len(value) < 8:
        raise ValidationError("Mật khẩu cần ít nhất 8 ký tự.")
    if len(value) > 200:
        raise ValidationError("Mật khẩu quá dài.")
    if value.isdigit() or value.lower() in ("password", "matkhau123", "12345678"):
        raise ValidationError("Mật khẩu quá dễ đoán; hãy dùng cả chữ và số.")


# WTForms ships no Vietnamese catalogue: its built-in messages (a choice that is not in the
# list, a number that is not a number…) would otherwise reach people in English.
_WTFORMS_VI = {
    "This field is required.": REQUIRED,
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid email address.": "Địa chỉ e-mail không hợp lệ.",
    "Invalid URL.": "Địa chỉ trang web không hợp lệ.",
    "Field must be equal to %(other_name)s.": "Giá trị không khớp.",
    "Field must be at least %(min)d character long.": "Cần ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Cần ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Tối đa %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Tối đa %(max)d ký tự.",
    "Field must be exactly %(max)d character long.": "Cần đúng %(max)d ký tự.",
    "Field must be exactly %(max)d characters long.": "Cần đúng %(max)d ký tự.",
    "Field must be between %(min)d and %(max)d characters long.": (
        "Cần từ %(min)d đến %(max)d ký tự."
    ),
    "Number must be at least %(min)s.": "Số phải từ %(min)s trở lên.",
    "Number must be at most %(max)s.": "Số phải không quá %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải trong khoảng %(min)s đến %(max)s.",
    "Invalid Choice: could not coerce.": "Vui lòng chọn một mục trong danh sách.",
    "Not a valid choice.": "Vui lòng chọn một mục trong danh sách.",
    "Invalid choice(s): one or more data inputs could not be coerced.": (
        "Vui lòng chọn các mục trong danh sách."
    ),
    "'%(value)s' is not a valid choice for this field.": "Vui lòng chọn một mục trong danh sách.",
    "'%(value)s' are not valid choices for this field.": "Vui lòng chọn các mục trong danh sách.",
    "Not a valid integer value.": "Vui lòng nhập một số nguyên.",
    "Not a valid decimal value.": "Vui lòng nhập một số.",
    "Not a valid float value.": "Vui lòng nhập một số.",
    "Not a valid date value.": "Ngày không hợp lệ (ngày/tháng/năm).",
    "Not a valid datetime value.": "Thời điểm không hợp lệ.",
    "Not a valid time value.": "Giờ không hợp lệ.",
    "Invalid CSRF Token.": "Biểu mẫu đã hết hạn. Vui lòng gửi lại.",
    "CSRF token missing.": "Biểu mẫu đã hết hạn. Vui lòng gửi lại.",
    "CSRF failed.": "Biểu mẫu đã hết hạn. Vui lòng gửi lại.",
    "CSRF token expired.": "Biểu mẫu đã hết hạn. Vui lòng gửi lại.",
    "This field cannot be edited.": "Không thể sửa mục này.",
    "This field is disabled and cannot have a value.": "Không thể sửa mục này.",
}


class _VietnameseTranslations:
    """WTForms' messages in Vietnamese; its own English for visitors who chose English."""

    def gettext(self, string: str) -> str:
        from catalog.web.i18n import current_locale

        if current_locale() == "en":
            return string
        return _WTFORMS_VI.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class Form(FlaskForm):
    """Base for every form: CSRF (Flask-WTF) and WTForms' own messages in Vietnamese.
    Put a form-wide error (not tied to one field) in `form.form_errors`."""

    class Meta:
        def get_translations(self, form: Any) -> _VietnameseTranslations:
            return _VietnameseTranslations()
