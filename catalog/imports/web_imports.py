"""Officials' web import: upload a CSV or XLSX list, read its dry-run preview, confirm it.

The uploaded file is stored by content hash as ``imports/<sha256>.<ext>`` in the private
storage (no route serves it; the name the user gave is only shown back), so confirming applies
exactly the file that was previewed, through the same importer as the command line. An
official imports only rows of the provinces they cover: other rows become row errors.
A batch is confirmed once; the confirmation is one transaction with its audit entry.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from flask import current_app
from openpyxl import Workbook
from sqlalchemy import select

from catalog.database import write_transaction
from catalog.errors import Forbidden, Invalid, NotFound
from catalog.extensions import db
from catalog.imports.import_files import ImportFileError
from catalog.imports.import_rows import COLUMNS, ImportRow, RowError
from catalog.imports.imports import (
    ImportReport,
    RowCheck,
    apply_rows,
    dry_apply,
    read_and_validate,
)
from catalog.models import ImportBatch, User
from catalog.platform import audit
from catalog.platform.clock import utcnow
from catalog.platform.private_files import FileChanged, PrivateFolder, read_upload
from catalog.platform.vietnamese import clean_text
from catalog.storage import StorageError, refusal_message

MAX_BYTES = 5 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5000
# Preview lists kept in the batch (the counts are always complete).
MAX_LISTED = 2000
ZIP_MAGIC = b"PK\x03\x04"
IMPORT_FILES = PrivateFolder("imports", {"csv": "text/csv", "xlsx": XLSX_TYPE})
HISTORY_LIMIT = 50


class UploadRejected(Invalid):
    """The file cannot be imported at all; the message is shown next to the file field."""


class BatchError(Invalid):
    """A polite reason a batch action was refused (already confirmed, discarded…)."""


class BatchNotFound(NotFound):
    """No such import batch."""


# -- files ----------------------------------------------------------------------------------


def imports_dir() -> Path:
    """Where import files live with the local private storage (tests, operators)."""
    return Path(current_app.config["PRIVATE_DIR"]) / "imports"


def stored_key(name: str) -> str:
    """A stored import file's key in the private storage; ValueError for anything else."""
    return IMPORT_FILES.key(name)


def sniff(data: bytes, filename: str) -> str:
    """'csv' or 'xlsx', judged from the name's extension AND the content."""
    extension = Path(filename or "").suffix.lower()
    if extension not in (".csv", ".xlsx"):
        raise UploadRejected("Chỉ nhận tệp .csv (UTF-8) hoặc .xlsx (Excel).")
    zipped = data.startswith(ZIP_MAGIC)
    if extension == ".xlsx":
        if not zipped:
            raise UploadRejected(
                "Tệp có đuôi .xlsx nhưng không phải bảng tính Excel. Hãy mở tệp trong Excel "
                "và lưu lại dạng “Excel Workbook (.xlsx)”."
            )
        return "xlsx"
    if zipped:
        raise UploadRejected("Tệp có đuôi .csv nhưng là tệp nén hoặc Excel. Hãy đổi đuôi .xlsx.")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadRejected(
            "Tệp CSV phải dùng bảng mã UTF-8. Trong Excel chọn “Lưu thành” → “CSV UTF-8”."
        ) from exc
    return "csv"


def _store(data: bytes, file_format: str) -> str:
    try:
        return IMPORT_FILES.store(data, file_format)
    except StorageError as exc:  # full disk: the form comes back (507), nothing half-stored
        raise UploadRejected(refusal_message(exc)) from exc


def _stored_bytes(batch: ImportBatch) -> bytes:
    """The stored file, checked against the hash in its name (never a changed file)."""
    try:
        return IMPORT_FILES.read_checked(batch.stored_name)
    except StorageError:
        raise  # the storage is unreachable, the file is not lost: a 503 page, try again
    except FileChanged as exc:
        raise BatchError("Tệp đã lưu không còn nguyên vẹn. Vui lòng tải tệp lên lại.") from exc
    except (ValueError, OSError) as exc:
        raise BatchError("Không tìm thấy tệp đã tải lên. Vui lòng tải tệp lên lại.") from exc


# -- scope ----------------------------------------------------------------------------------


def scope_check(user: User) -> RowCheck:
    """A row check refusing rows of provinces the official does not cover."""

    def check(row: ImportRow) -> RowError | None:
        if user.covers(row.province.id):
            return None
        return RowError(
            row.line, "province", f"Bạn không phụ trách tỉnh/thành phố {row.province.name}."
        )

    return check


def _may_see(user: User, batch: ImportBatch) -> bool:
    if user.role == "admin" or batch.uploaded_by_id == user.id:
        return True
    province_ids = (batch.preview or {}).get("province_ids") or []
    return user.role == "official" and any(user.covers(pid) for pid in province_ids)


def may_confirm(user: User, batch: ImportBatch) -> bool:
    return user.role == "admin" or batch.uploaded_by_id == user.id


def get_batch(user: User, batch_id: int) -> ImportBatch:
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        raise BatchNotFound()
    if not _may_see(user, batch):
        raise Forbidden()
    return batch


def history(user: User) -> list[ImportBatch]:
    """Recent batches this user may open, newest first."""
    stmt = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(HISTORY_LIMIT * 4)
    return [b for b in db.session.scalars(stmt) if _may_see(user, b)][:HISTORY_LIMIT]


# -- preview, confirm, discard ------------------------------------------------------------


def _summary(report: ImportReport, rows: list[ImportRow] | None = None) -> dict[str, Any]:
    errors = [asdict(e) for e in report.errors]
    outcomes = [asdict(o) for o in report.outcomes]
    return {
        "rows": report.rows,
        "rejected_rows": len(report.rejected_lines),
        "counts": {
            "producers_created": report.producers_created,
            "producers_updated": report.producers_updated,
            "products_created": report.products_created,
            "products_updated": report.products_updated,
            "products_unchanged": report.products_unchanged,
        },
        "error_count": len(errors),
        "errors": errors[:MAX_LISTED],
        "outcomes": outcomes[:MAX_LISTED],
        "province_ids": sorted({row.province.id for row in rows or ()}),
    }


def upload(user: User, stream: IO[bytes] | bytes, filename: str) -> ImportBatch:
    """Store the file and its dry-run preview as a new batch."""
    data = read_upload(stream, MAX_BYTES, UploadRejected)
    file_format = sniff(data, filename)
    check = scope_check(user)
    try:
        rows, report = read_and_validate(data, file_format, max_rows=MAX_ROWS, row_check=check)
    except ImportFileError as exc:
        raise UploadRejected(str(exc)) from exc
    dry_apply(rows, report)
    name = _store(data, file_format)
    with write_transaction():
        batch = ImportBatch(
            uploaded_by_id=user.id,
            original_name=clean_text(Path(filename).name)[:255] or f"danh-sach.{file_format}",
            file_format=file_format,
            stored_name=name,
            status="previewed",
            preview=_summary(report, rows),
        )
        db.session.add(batch)
    return batch


def _locked(user: User, batch_id: int) -> ImportBatch:
    """The batch inside the write transaction (re-read: another request may have acted)."""
    batch = db.session.get(ImportBatch, batch_id, populate_existing=True)
    if batch is None:
        raise BatchNotFound()
    if not _may_see(user, batch):
        raise Forbidden()
    if not may_confirm(user, batch):
        raise Forbidden()
    if batch.status == "confirmed":
        raise BatchError("Danh sách này đã được nhập trước đó; không nhập lại lần nữa.")
    if batch.status == "discarded":
        raise BatchError("Danh sách này đã được hủy. Vui lòng tải tệp lên lại nếu cần nhập.")
    return batch


def confirm(user: User, batch_id: int) -> ImportBatch:
    """Apply exactly the stored file in one transaction, with its audit entry."""
    with write_transaction():
        batch = _locked(user, batch_id)
        data = _stored_bytes(batch)
        try:
            rows, report = read_and_validate(
                data, batch.file_format, max_rows=MAX_ROWS, row_check=scope_check(user)
            )
        except ImportFileError as exc:
            raise BatchError(str(exc)) from exc
        apply_rows(rows, report)
        summary = _summary(report, rows)
        batch.status = "confirmed"
        batch.confirmed_at = utcnow()
        batch.result = summary
        provinces = summary["province_ids"]
        audit.record(
            user,
            "import_confirmed",
            "import",  # the audit log's name for an ImportBatch
            batch.id,
            after={"file": batch.original_name, "batch": batch.id, **summary["counts"]},
            province_id=provinces[0] if len(provinces) == 1 else None,
        )
    return batch


def discard(user: User, batch_id: int) -> ImportBatch:
    with write_transaction():
        batch = _locked(user, batch_id)
        batch.status = "discarded"
        audit.record(
            user, "import_discarded", "import", batch.id, after={"file": batch.original_name}
        )
    return batch


# -- templates ------------------------------------------------------------------------------

EXAMPLE = {
    "product_name": "Hạt dẻ Trùng Khánh",
    "category": "Thực phẩm",
    "description": "Hạt dẻ rang củi, bùi thơm.",
    "ocop_stars": "4",
    "certificate_no": "",
    "certificate_year": "2024",
    "price_vnd": "180000",
    "unit": "kg",
    "producer_name": "HTX Nông nghiệp Trùng Khánh",
    "producer_type": "Hợp tác xã",
    "tax_code": "",
    "province": "Cao Bằng",
    "ward": "",
    "address": "",
    "phone": "0912345678",
    "website": "",
}


def template_csv() -> bytes:
    """A template with the right header and one example row (UTF-8 with BOM, for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE[name] for name in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách OCOP"
    sheet.append(list(COLUMNS))
    sheet.append([EXAMPLE[name] for name in COLUMNS])
    for cell in sheet[2]:
        cell.number_format = "@"  # text: tax codes and phones keep their leading zero
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
