"""Reading an OCOP list file, UTF-8 CSV or XLSX, into raw rows (line number, column → text)
with the same header check, so both formats reach the same row validation (import_rows.py).

A file that cannot be read as a whole (encoding, header, a damaged or oversized workbook) is
refused with one message; problems within a row are the validator's.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from catalog.errors import Invalid
from catalog.imports.import_rows import COLUMNS
from catalog.platform.vietnamese import clean_text

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook


# Rows read from one file at most (the command line; the web import passes a lower cap).
MAX_ROWS = 50_000
# An XLSX is a zip: refuse one that would inflate past this (declared sizes; zipfile never
# inflates an entry beyond its declared size), so a "zip bomb" never reaches the parser.
MAX_XLSX_INFLATED = 60 * 1024 * 1024
MAX_XLSX_ENTRIES = 500


class ImportFileError(Invalid):
    """The file as a whole cannot be read (encoding, header)."""


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


def _open_workbook(raw: bytes) -> Workbook:
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


def _xlsx_rows(workbook: Workbook, max_rows: int) -> Iterator[tuple[int, dict[str, str]]]:
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
