"""Validators and fields shared by the forms, with Vietnamese messages (English through the
catalogue for visitors who chose it: lazy_gettext at class level, gettext when validating)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Email, Length, Optional, StopValidation

from catalog.accounts.accounts import password_problem
from catalog.platform.vietnamese import (
    clean_multiline,
    clean_text,
    normalize_phone,
    normalize_tax_code,
)
from catalog.web.fields import INVALID_CHOICE, in_choices, int_or_none, web_address

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
    return clean_multiline(value) if isinstance(value, str) else value


def _rules(
    *validators: Any,
    required: bool = False,
    optional: bool = False,
    max_length: int | None = None,
) -> list[Any]:
    """A field's validators in the usual order: must it be filled (`required`) or may it stay
    empty, skipping the others (`optional`); its longest length; then its own checks."""
    presence = [DataRequired(message=REQUIRED)] if required else []
    presence += [Optional()] if optional else []
    length = [max_len(max_length)] if max_length is not None else []
    return [*presence, *length, *validators]


def text_field(
    label: Any,
    *validators: Any,
    required: bool = False,
    optional: bool = False,
    max_length: int | None = None,
    kind: Any = StringField,
    **options: Any,
) -> Any:
    """A one-line text field (declared on a form class) that stores what strip_filter makes
    of the input; `kind` picks the input (EmailField, TelField…)."""
    rules = _rules(*validators, required=required, optional=optional, max_length=max_length)
    return kind(label, rules, filters=[strip_filter], **options)


def email_field(label: Any, max_length: int, *, required: bool = False, **options: Any) -> Any:
    """An e-mail address (declared on a form class), checked; optional unless `required`."""
    return text_field(
        label, email(), required=required, optional=not required, max_length=max_length, **options
    )


def phone_field(label: Any, *, required: bool = False, **options: Any) -> Any:
    """A Vietnamese phone number (declared on a form class), stored in its one written
    form; optional unless `required`."""
    return text_field(label, phone, required=required, optional=not required, **options)


def paragraph_field(
    label: Any,
    *validators: Any,
    required: bool = False,
    optional: bool = False,
    max_length: int | None = None,
    **options: Any,
) -> Any:
    """A text area (declared on a form class) that keeps line breaks: descriptions, messages,
    notes."""
    rules = _rules(*validators, required=required, optional=optional, max_length=max_length)
    return TextAreaField(label, rules, filters=[multiline_filter], **options)


def _normalized(field: Field, normalize: Callable[[str], str | None], refusal: str) -> None:
    """Store the field's value in its one written form, or refuse it (empty stays empty)."""
    if not field.data:
        return
    normalized = normalize(field.data)
    if normalized is None:
        raise StopValidation(refusal)
    field.data = normalized


def id_select(
    label: Any, *, required: bool = False, invalid: str = INVALID_CHOICE, **options: Any
) -> Any:
    """A select of ids (declared on a form class; the view sets its choices), which must be
    chosen when `required`: garbage and values not offered are refused with `invalid`, in
    Vietnamese."""
    presence = [DataRequired(message=REQUIRED)] if required else []
    return SelectField(
        label,
        coerce=int_or_none,
        validators=[*presence, in_choices(invalid)],
        validate_choice=False,
        **options,
    )


def tax_code(_form: Any, field: Field) -> None:
    _normalized(
        field,
        normalize_tax_code,
        _(
            "Mã số thuế không hợp lệ: cần 10 số (có số kiểm tra), 13 số cho chi nhánh, "
            "hoặc 12 số định danh cá nhân của hộ kinh doanh."
        ),
    )


def phone(_form: Any, field: Field) -> None:
    _normalized(
        field,
        normalize_phone,
        _(
            "Số điện thoại không đúng: di động 10 số (ví dụ 0912 345 678) hoặc cố định 11 "
            "số bắt đầu bằng 02."
        ),
    )


def web_url(_form: Any, field: Field) -> None:
    if not field.data:
        return
    value, host = web_address(field.data)
    if "." not in host or " " in value or len(value) > 300:
        raise ValidationError(_("Địa chỉ trang web không hợp lệ."))
    field.data = value


def password_rules(_form: Any, field: Field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


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

    def texts(self, *names: str) -> dict[str, str]:
        """These fields' text ("" for an empty one), as the services take it."""
        return {name: self[name].data or "" for name in names}
