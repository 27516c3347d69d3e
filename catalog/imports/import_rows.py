"""Reading and validating rows of an OCOP list (UTF-8 CSV or XLSX, through the same checks).

Real provincial lists are sparse and messy: only the product, producer and province are
required; whatever else is present must be valid. Every problem is reported with its line
and column so an official can fix the sheet.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from catalog.errors import Invalid
from catalog.models import PRODUCER_TYPES, Category, Province
from catalog.platform import geo
from catalog.platform.vietnamese import (
    clean_text,
    fold,
    infer_producer_type,
    normalize_phone,
    normalize_tax_code,
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
# Rows read from one file at most (the command line; the web import passes a lower cap).
MAX_ROWS = 50_000
# An XLSX is a zip: refuse one that would inflate past this (declared sizes; zipfile never
# inflates an entry beyond its declared size), so a "zip bomb" never reaches the parser.
MAX_XLSX_INFLATED = 60 * 1024 * 1024
MAX_XLSX_ENTRIES = 500

ErrFn = Callable[[str, str], None]


class ImportFileError(Invalid):
    """The file as a whole cannot be read (encoding, header)."""


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


def read_rows(
    source: Path | bytes, file_format: str = "csv", *, max_rows: int = MAX_ROWS
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, raw row) from a CSV or XLSX file; the format decides the reader."""
    if file_format == "xlsx":
        return read_xlsx(source, max_rows=max_rows)
    return read_csv(source, max_rows=max_rows)


def _too_many(max_rows: int) -> ImportFileError:
    return ImportFileError(
        f"Tệp có quá {max_rows} dòng dữ liệu. Vui lòng chia thành nhiều tệp nhỏ hơn."
    )


def read_csv(
    source: Path | bytes, *, max_rows: int = MAX_ROWS
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, raw row) from a UTF-8 CSV whose header is exactly COLUMNS."""
    raw = source.read_bytes() if isinstance(source, Path) else source
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("Tệp không phải văn bản UTF-8.") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportFileError("Tệp CSV bị lỗi định dạng.") from exc
    if header is None:
        raise ImportFileError("Tệp trống.")
    check_header(header)
    count = 0
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            count += 1
            if count > max_rows:
                raise _too_many(max_rows)
            yield reader.line_num, _as_raw(row)
    except csv.Error as exc:
        raise ImportFileError(f"Tệp CSV bị lỗi định dạng gần dòng {reader.line_num}.") from exc


def _as_raw(row: list[str]) -> dict[str, str]:
    if len(row) != len(COLUMNS):
        return {"__width__": str(len(row))}
    return dict(zip(COLUMNS, (_unguarded(cell) for cell in row), strict=True))


# Exports (open data, reports) put an apostrophe before text a spreadsheet would run as a
# formula; reading such a file back takes it off, so export → import is exact.
_GUARDED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def _unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith(_GUARDED) else cell


def read_xlsx(
    source: Path | bytes, *, max_rows: int = MAX_ROWS
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, raw row) from the first sheet of an XLSX workbook whose first row
    holds exactly COLUMNS. Cells of any type become text (see cell_text); formulas are not
    evaluated: the value Excel saved with the file is used."""
    raw = source.read_bytes() if isinstance(source, Path) else source
    workbook = _open_workbook(raw)
    try:
        with warnings.catch_warnings():
            # Unsupported extensions, missing styles…: not the official's problem.
            warnings.simplefilter("ignore")
            yield from _xlsx_rows(workbook, max_rows)
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet deep inside the file
        raise ImportFileError(_NOT_XLSX) from exc
    finally:
        workbook.close()


_NOT_XLSX = "Tệp không phải bảng tính Excel (.xlsx) hợp lệ. Hãy lưu lại dưới dạng .xlsx hoặc CSV."


def _open_workbook(raw: bytes):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = archive.infolist()
            inflated = sum(entry.file_size for entry in entries)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(_NOT_XLSX) from exc
    if len(entries) > MAX_XLSX_ENTRIES or inflated > MAX_XLSX_INFLATED:
        raise ImportFileError("Bảng tính quá lớn khi giải nén. Vui lòng chia thành tệp nhỏ hơn.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
        raise ImportFileError(_NOT_XLSX) from exc


def _xlsx_rows(workbook, max_rows: int) -> Iterator[tuple[int, dict[str, str]]]:  # type: ignore[no-untyped-def]
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise ImportFileError("Bảng tính không có trang nào.")
    sheet.reset_dimensions()  # never trust the size the file declares
    width = len(COLUMNS) + 1  # one more column is enough to notice extra data
    rows = sheet.iter_rows(max_col=width, values_only=True)
    header = next(rows, None)
    if header is None:
        raise ImportFileError("Tệp trống.")
    check_header(_trimmed([cell_text(value) for value in header]))
    count = 0
    for number, values in enumerate(rows, start=2):
        names = (*COLUMNS, "")
        cells = _trimmed([cell_text(v, c) for v, c in zip(values, names, strict=False)])
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > max_rows:
            raise _too_many(max_rows)
        if len(cells) < len(COLUMNS):
            cells += [""] * (len(COLUMNS) - len(cells))
        yield number, _as_raw(cells)


def _trimmed(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def cell_text(value: object, column: str = "") -> str:
    """A spreadsheet cell as the text a person sees: whole numbers without ".0" (tax codes,
    years, prices), dates as 23/11/2026 (a year column keeps only the year)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, datetime | date):
        if column == "certificate_year":
            return str(value.year)
        if isinstance(value, datetime) and value.time() != time(0, 0):
            return value.strftime("%d/%m/%Y %H:%M")
        return value.strftime("%d/%m/%Y")
    return str(value)


def check_header(header: list[str]) -> None:
    cleaned = [clean_text(h).lower() for h in header]
    if tuple(cleaned) != COLUMNS:
        raise ImportFileError("Dòng tiêu đề phải có đúng các cột: " + ",".join(COLUMNS) + ".")


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
