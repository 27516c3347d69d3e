"""Form fields and validators that parse Vietnamese input and answer in Vietnamese.

WTForms' own messages are English, so every field that could produce one (select coercion,
numbers, dates) parses its input here instead.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from wtforms import Field, SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from catalog.platform.vietnamese import normalize_phone

MAX_PRICE = 1_000_000_000  # one billion đồng: beyond that it is a typo
FIRST_OCOP_YEAR = 2018  # the OCOP programme started in 2018
INVALID_CHOICE = "Vui lòng chọn một mục trong danh sách."


def options(pairs: Any, empty: str | None = None) -> list[SelectChoice]:
    """Select options from (value, label) pairs, with an empty first option if given."""
    result = [SelectChoice("", empty)] if empty is not None else []
    return result + [SelectChoice(str(value), label) for value, label in pairs]


def int_or_none(value: Any) -> int | None:
    """Coerce a select's value; garbage becomes None (then refused in Vietnamese)."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def in_choices(message: str = INVALID_CHOICE, *, allow_empty: bool = True):  # type: ignore[no-untyped-def]
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


def parse_price(text: str) -> int | None:
    """'150.000', '150 000', '150,000 đ', '150000' → 150000; None when empty."""
    value = (text or "").strip().lower()
    value = re.sub(r"\s*(₫|đ|đồng|vnd|vnđ)$", "", value)
    if not value:
        return None
    compact = re.sub(r"[\s.,]", "", value)
    if not compact.isdigit() or not re.fullmatch(r"\d{1,3}([.,\s]?\d{3})*", value):
        if value.startswith("-"):
            raise ValueError("Giá bán không được âm.")
        raise ValueError("Giá bán chỉ gồm chữ số, ví dụ 150.000.")
    amount = int(compact)
    if amount > MAX_PRICE:
        raise ValueError("Giá bán quá lớn; vui lòng kiểm tra lại (đơn vị: đồng).")
    return amount


def format_price(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", ".")


class PriceField(StringField):
    """Integer VND typed the Vietnamese way ("150.000"), shown back the same way."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist:
            self.data = parse_price(str(valuelist[0])[:40])

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])[:40]
        return format_price(self.data)


class YearField(StringField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        text = str(valuelist[0]).strip() if valuelist else ""
        if not text:
            return
        if not text.isdigit() or len(text) != 4:
            raise ValueError("Năm gồm 4 chữ số, ví dụ 2024.")
        year = int(text)
        if not FIRST_OCOP_YEAR <= year <= date.today().year:
            raise ValueError(f"Năm công nhận từ {FIRST_OCOP_YEAR} đến {date.today().year}.")
        self.data = year

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])[:10]
        return "" if self.data is None else str(self.data)


class DateTextField(StringField):
    """A date from <input type=date> (2028-05-01) or typed as 01/05/2028."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        text = str(valuelist[0]).strip() if valuelist else ""
        if not text:
            return
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                self.data = datetime.strptime(text[:10], fmt).date()
                break
            except ValueError:
                continue
        if self.data is None or len(text) > 10:
            self.data = None
            raise ValueError("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/05/2028.")

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])[:20]
        return self.data.isoformat() if isinstance(self.data, date) else ""


def facebook_link(_form: Any, field: Field) -> None:
    if not field.data:
        return
    value = field.data.strip()
    if not value.lower().startswith(("http://", "https://")):
        value = "https://" + value
    host = value.split("://", 1)[1].split("/", 1)[0].lower()
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
    value = field.data.strip()
    if not value.lower().startswith(("http://", "https://")):
        value = "https://" + value
    host = value.split("://", 1)[1].split("/", 1)[0].lower()
    if " " in value or len(value) > 300 or host not in ("zalo.me", "oa.zalo.me", "zalo.vn"):
        raise ValidationError("Nhập số điện thoại dùng Zalo hoặc đường dẫn zalo.me.")
    field.data = value
