"""Form fields and validators that parse Vietnamese input and answer in Vietnamese.

WTForms' own messages are English, so every field that could produce one (select coercion,
numbers, dates) parses its input here instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from wtforms import Field, RadioField, SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, StopValidation

from catalog.platform.dates import parse_day
from catalog.platform.numbers import whole_number
from catalog.platform.vietnamese import ZALO_HOSTS, normalize_phone
from catalog.web.i18n import DEFAULT_LOCALE, current_locale
from catalog.web.templating import format_date

MAX_PRICE = 1_000_000_000  # one billion đồng: beyond that it is a typo
FIRST_OCOP_YEAR = 2018  # the OCOP programme started in 2018
INVALID_CHOICE = "Vui lòng chọn một mục trong danh sách."


def options(pairs: Any, empty: str | None = None, *, data: bool = False) -> list[SelectChoice]:
    """Select options from (value, label) pairs, with an empty first option if given.
    `data`: the labels are Vietnamese data (province and ward names), marked lang="vi" on
    pages in another language (see i18n.lang_vi)."""
    result = [SelectChoice("", empty)] if empty is not None else []
    marked = {"lang": "vi"} if data and current_locale() != DEFAULT_LOCALE else {}
    return result + [SelectChoice(str(value), label, dict(marked)) for value, label in pairs]


def int_or_none(value: Any) -> int | None:
    """Coerce a select's value or a posted id; garbage becomes None (then refused in
    Vietnamese). The app's one rule for numbers: ASCII digits, never past the database's
    integers (catalog.platform.numbers), so "١٢" or 2**63 names nothing instead of a 500."""
    return whole_number(value)


def in_choices(
    message: str = INVALID_CHOICE, *, allow_empty: bool = True
) -> Callable[[Any, SelectField], None]:
    """The selected value must be one of the field's choices (which the view sets)."""

    def check(_form: Any, field: SelectField) -> None:
        if field.data in (None, ""):
            if field.raw_data and field.raw_data[0] not in ("", None):
                raise StopValidation(message)
            if not allow_empty:
                raise StopValidation(message)
            return
        allowed = {field.coerce(value) for value, *_ in field.choices}
        if field.data not in allowed:
            raise StopValidation(message)

    return check


def radio_choice(label: Any, pairs: Iterable[tuple[Any, Any]], missing: Any, **options: Any) -> Any:
    """Radio buttons (declared on a form class), one per (value, label); choosing none is
    refused with `missing`."""
    return RadioField(
        label,
        choices=[SelectChoice(value, text) for value, text in pairs],
        validators=[InputRequired(message=missing)],
        **options,
    )


def parse_price(text: str) -> int | None:
    """'150.000', '150 000', '150,000 đ', '150000' → 150000; None when empty."""
    value = (text or "").strip().lower()
    value = re.sub(r"\s*(₫|đ|đồng|vnd|vnđ)$", "", value)
    if not value:
        return None
    compact = re.sub(r"[\s.,]", "", value)
    # ASCII digits only: isdigit() and \d also take "²" and "١٢" (catalog.platform.numbers)
    if not (compact.isascii() and compact.isdigit()) or not re.fullmatch(
        r"[0-9]{1,3}([.,\s]?[0-9]{3})*", value
    ):
        if value.startswith("-"):
            raise ValueError("Giá bán không được âm.")
        raise ValueError("Giá bán chỉ gồm chữ số, ví dụ 150.000.")
    amount = int(compact)
    if amount > MAX_PRICE:
        raise ValueError("Giá bán quá lớn; vui lòng kiểm tra lại (đơn vị: đồng).")
    return amount


def format_price(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", ".")


class TypedField(StringField):
    """Text parsed into a value (`parse`; its ValueError becomes the field's error, in
    Vietnamese). What was typed is shown back, cut to `shown_max`, so a mistake can be fixed
    where it was made; otherwise the value as `shown` writes it."""

    shown_max = 40

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        text = str(valuelist[0]).strip() if valuelist else ""
        if text:
            self.data = self.parse(text)

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def shown(self) -> str:
        raise NotImplementedError

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])[: self.shown_max]
        return self.shown()


class PriceField(TypedField):
    """Integer VND typed the Vietnamese way ("150.000"), shown back the same way."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist:
            self.data = parse_price(str(valuelist[0])[: self.shown_max])

    def shown(self) -> str:
        return format_price(self.data)


class YearField(TypedField):
    shown_max = 10

    def parse(self, text: str) -> int:
        year = whole_number(text) if len(text) == 4 else None
        if year is None:  # "²⁰²⁴" and "٢٠٢٤" are no year either
            raise ValueError("Năm gồm 4 chữ số, ví dụ 2024.")
        if not FIRST_OCOP_YEAR <= year <= date.today().year:
            raise ValueError(f"Năm công nhận từ {FIRST_OCOP_YEAR} đến {date.today().year}.")
        return year

    def shown(self) -> str:
        return "" if self.data is None else str(self.data)


DATE_PLACEHOLDER = "dd/mm/yyyy"
DATE_HINT = "Ngày/tháng/năm, ví dụ 01/05/2028."


class DayField(TypedField):
    """The one date field of the forms: typed as dd/mm/yyyy (see parse_day), shown back as
    dd/mm/yyyy (like the pages' date_vn filter: templating.format_date), in a text input with
    a numeric keypad and a "dd/mm/yyyy" placeholder, so no browser shows its own locale's
    date format. Text that is not a date is shown back as
    typed, next to its error."""

    shown_max = 20
    # A date, or None when nothing (or nothing valid) was typed: forms with InputRequired
    # read it only after validating, as with WTForms' own DateField.
    data: Any

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("description", DATE_HINT)
        render_kw = {"inputmode": "numeric", "placeholder": DATE_PLACEHOLDER}
        kwargs["render_kw"] = {**render_kw, **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)

    def parse(self, text: str) -> date:
        return parse_day(text[: self.shown_max])

    def shown(self) -> str:
        return format_date(self.data)

    def _value(self) -> str:
        if isinstance(self.data, date):
            return format_date(self.data)
        return super()._value()


def web_address(text: str) -> tuple[str, str]:
    """A typed web address with its scheme ("https://" when none was typed) and its host."""
    value = text.strip()
    if not value.lower().startswith(("http://", "https://")):
        value = "https://" + value
    return value, value.split("://", 1)[1].split("/", 1)[0]


def facebook_link(_form: Any, field: Field) -> None:
    if not field.data:
        return
    value, host = web_address(field.data)
    host = host.lower()
    known = any(host == d or host.endswith("." + d) for d in ("facebook.com", "fb.com", "fb.me"))
    if " " in value or len(value) > 300 or not known:
        raise ValidationError("Vui lòng nhập đường dẫn trang Facebook, ví dụ facebook.com/htxabc.")
    field.data = value


def zalo_contact(_form: Any, field: Field) -> None:
    """A Zalo number (stored as digits) or a zalo.me link."""
    if not field.data:
        return
    number = normalize_phone(field.data)
    if number is not None:
        field.data = number
        return
    value, host = web_address(field.data)
    host = host.lower()
    if " " in value or len(value) > 300 or host not in ZALO_HOSTS:
        raise ValidationError("Nhập số điện thoại dùng Zalo hoặc đường dẫn zalo.me.")
    field.data = value
