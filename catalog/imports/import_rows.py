"""Validating the rows of an OCOP list (read from CSV or XLSX by import_files.py).

Real provincial lists are sparse and messy: only the product, producer and province are
required; whatever else is present must be valid. Every problem is reported with its line
and column so an official can fix the sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from catalog.models import PRODUCER_TYPES, Category, Province
from catalog.platform import geo
from catalog.platform.vietnamese import (
    clean_text,
    fold,
    infer_producer_type,
    normalize_phone,
    normalize_tax_code,
)

# Columns the importer copies onto the product as they are (imports.PRODUCT_FIELDS); the
# stars and certificate become a certificate record instead (certificates/claims.py).
COPIED_PRODUCT_COLUMNS = (
    "description",
    "price_vnd",
    "unit",
)
COLUMNS = (
    "product_name",
    "category",
    "description",
    "ocop_stars",
    "certificate_no",
    "certificate_year",
    "price_vnd",
    "unit",
    "producer_name",
    "producer_type",
    "tax_code",
    "province",
    "ward",
    "address",
    "phone",
    "website",
)
REQUIRED = ("product_name", "producer_name", "province")
MAX_FIELD = {"description": 5000, "product_name": 200, "producer_name": 200, "address": 300}
MAX_PRICE = 10_000_000_000

ErrFn = Callable[[str, str], None]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


@dataclass
class ImportRow:
    """A validated row: text cleaned, references resolved."""

    line: int
    product_name: str
    producer_name: str
    province: Province
    province_recorded_as: str | None
    category: Category | None
    description: str
    ocop_stars: int | None
    certificate_no: str
    certificate_year: int | None
    price_vnd: int | None
    unit: str
    producer_type: str | None
    tax_code: str | None
    ward_code: int | None
    ward_name: str
    address: str
    phone: str | None
    website: str
    errors: list[RowError] = field(default_factory=list)


def validate(line: int, raw: dict[str, str]) -> ImportRow | list[RowError]:
    """Turn a raw row into an ImportRow, or return every error found in it."""
    if "__width__" in raw:
        return [RowError(line, "*", f"Dòng có {raw['__width__']} cột, cần {len(COLUMNS)}.")]
    values = {name: clean_text(raw.get(name, "")) for name in COLUMNS}
    errors: list[RowError] = []

    def err(column: str, reason: str) -> None:
        errors.append(RowError(line, column, reason))

    for name in REQUIRED:
        if not values[name]:
            err(name, "Bắt buộc, không được để trống.")
    for name, limit in MAX_FIELD.items():
        if len(values[name]) > limit:
            err(name, f"Dài quá {limit} ký tự.")
    province = geo.resolve_province(values["province"]) if values["province"] else None
    if values["province"] and province is None:
        err("province", f"Không nhận ra tỉnh/thành phố “{values['province']}”.")
    category = None
    if values["category"]:
        category = geo.resolve_category(values["category"])
        if category is None:
            err("category", "Không phải một trong sáu nhóm sản phẩm OCOP.")
    stars = _parse_int(
        values["ocop_stars"],
        "ocop_stars",
        err,
        low=3,
        high=5,
        message="Số sao OCOP phải là 3, 4 hoặc 5 (để trống nếu chưa được chứng nhận).",
    )
    year = _parse_int(
        values["certificate_year"],
        "certificate_year",
        err,
        low=2013,
        high=date.today().year + 1,
        message="Năm chứng nhận không hợp lệ.",
    )
    price = _parse_price(values["price_vnd"], err)
    producer_type = _parse_producer_type(values["producer_type"], values["producer_name"], err)
    tax_code = None
    if values["tax_code"]:
        tax_code = normalize_tax_code(values["tax_code"])
        if tax_code is None:
            err(
                "tax_code",
                "Mã số thuế không hợp lệ (10 số có số kiểm tra, 13 số cho chi nhánh, "
                "hoặc 12 số định danh cá nhân).",
            )
    phone = None
    if values["phone"]:
        phone = normalize_phone(values["phone"])
        if phone is None:
            err("phone", "Số điện thoại không đúng định dạng Việt Nam.")
    website = values["website"]
    if website and not website.lower().startswith(("http://", "https://")):
        if "." in website and " " not in website:
            website = "https://" + website
        else:
            err("website", "Địa chỉ trang web không hợp lệ.")
    if errors:
        return errors
    assert province is not None
    ward_code, ward_name = _resolve_ward(values["ward"], province)
    recorded = values["province"]
    return ImportRow(
        line=line,
        product_name=values["product_name"],
        producer_name=values["producer_name"],
        province=province,
        province_recorded_as=recorded if geo.is_legacy_name(recorded, province) else None,
        category=category,
        description=values["description"],
        ocop_stars=stars,
        certificate_no=values["certificate_no"] if stars else "",
        certificate_year=year if stars else None,
        price_vnd=price,
        unit=values["unit"],
        producer_type=producer_type,
        tax_code=tax_code,
        ward_code=ward_code,
        ward_name=ward_name,
        address=values["address"],
        phone=phone,
        website=website,
    )


def _parse_int(
    value: str, column: str, err: ErrFn, *, low: int, high: int, message: str
) -> int | None:
    if not value:
        return None
    try:
        number = int(value.replace("★", "").replace("sao", "").strip())
    except ValueError:
        err(column, message)
        return None
    if not low <= number <= high:
        err(column, message)
        return None
    return number


def _parse_price(value: str, err: ErrFn) -> int | None:
    if not value:
        return None
    digits = value.replace(".", "").replace(",", "").replace(" ", "").replace("₫", "")
    digits = digits.removesuffix("đ").removesuffix("vnd").removesuffix("VND")
    if not digits.isdigit() or int(digits) > MAX_PRICE:
        err("price_vnd", "Giá phải là số tiền VND không âm, ví dụ 150000.")
        return None
    return int(digits)


def _parse_producer_type(value: str, name: str, err: ErrFn) -> str | None:
    if not value:
        return infer_producer_type(name)
    wanted = fold(value).replace("_", " ")
    for key, label in PRODUCER_TYPES.items():
        if wanted in (fold(label), key.replace("_", " ")):
            return key
    inferred = infer_producer_type(value)
    if inferred:
        return inferred
    err(
        "producer_type",
        "Loại chủ thể phải là doanh nghiệp, hợp tác xã, hộ kinh doanh hoặc tổ hợp tác.",
    )
    return None


def _resolve_ward(name: str, province: Province) -> tuple[int | None, str]:
    """Match a commune/ward name to the province's current wards; keep the text anyway,
    since lists often still use pre-2025 commune names."""
    if not name:
        return None, ""
    from catalog.platform.reference import wards_of

    wanted = fold(name)
    for code, ward in wards_of(province.id):
        folded = fold(ward)
        if wanted == folded or folded.split(" ", 1)[-1] == wanted:
            return code, ward
    return None, name
