"""Bulk import of OCOP lists (CSV or XLSX): the same code loads the demo catalogue, the
command line import and the officials' web import (services/web_imports.py).

Producers are matched by tax code, or by normalised name and province when there is none;
products by producer and normalised name. Present values overwrite, empty cells never wipe
what is already known, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from catalog.certificates import claims
from catalog.database import OUTBOX_FLAG, write_transaction
from catalog.extensions import db
from catalog.imports.import_files import MAX_ROWS, read_rows
from catalog.imports.import_rows import COPIED_PRODUCT_COLUMNS, ImportRow, RowError, validate
from catalog.models import Producer, Product
from catalog.platform import outbox
from catalog.platform.slugs import unique_slug
from catalog.platform.vietnamese import normalize_key

PRODUCER_FIELDS = ("type", "tax_code", "ward_code", "ward_name", "address", "phone", "website")
PRODUCT_FIELDS = ("category_id", *COPIED_PRODUCT_COLUMNS, "province_id", "province_recorded_as")


# Entries the importer creates say where they came from.
SOURCE = "import"
RowCheck = Callable[[ImportRow], "RowError | None"]


@dataclass(frozen=True)
class RowOutcome:
    """What one good row did (or would do): created / updated / unchanged."""

    line: int
    product: str
    producer: str
    province: str
    product_action: str
    producer_action: str


@dataclass
class ImportReport:
    rows: int = 0
    producers_created: int = 0
    producers_updated: int = 0
    products_created: int = 0
    products_updated: int = 0
    products_unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    product_ids: list[int] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    @property
    def ok(self) -> bool:
        return not self.errors


def import_csv(source: Path | bytes, *, dry_run: bool = False) -> ImportReport:
    """Validate every row, load the good ones (unless dry_run) in one transaction."""
    return import_file(source, "csv", dry_run=dry_run)


def import_file(
    source: Path | bytes,
    file_format: str = "csv",
    *,
    dry_run: bool = False,
    max_rows: int = MAX_ROWS,
    row_check: RowCheck | None = None,
) -> ImportReport:
    """Import a CSV or XLSX list; dry_run applies it and rolls back, to tell what it would
    do (ImportFileError when the file as a whole cannot be read)."""
    rows, report = read_and_validate(source, file_format, max_rows=max_rows, row_check=row_check)
    if dry_run:
        dry_apply(rows, report)
        return report
    with write_transaction():
        apply_rows(rows, report)
    return report


def read_and_validate(
    source: Path | bytes,
    file_format: str = "csv",
    *,
    max_rows: int = MAX_ROWS,
    row_check: RowCheck | None = None,
) -> tuple[list[ImportRow], ImportReport]:
    """The good rows and a report holding every row error; row_check may refuse a valid
    row (the web import: a province the official does not cover)."""
    report = ImportReport()
    rows: list[ImportRow] = []
    for line, raw in read_rows(source, file_format, max_rows=max_rows):
        report.rows += 1
        result = validate(line, raw)
        if not isinstance(result, list) and row_check is not None:
            refused = row_check(result)
            result = [refused] if refused is not None else result
        if isinstance(result, list):
            report.errors.extend(result)
        else:
            rows.append(result)
    return rows, report


def dry_apply(rows: list[ImportRow], report: ImportReport) -> None:
    """Apply the rows and roll back: the report tells what a real import would do."""
    try:
        apply_rows(rows, report)
    finally:
        db.session.rollback()
        db.session.info.pop(OUTBOX_FLAG, None)
    report.product_ids = []


def apply_rows(rows: list[ImportRow], report: ImportReport) -> None:
    """Upsert the rows inside the caller's transaction; counts go into the report."""
    producers: dict[tuple, Producer] = {}
    first_action: dict[int, str] = {}  # a producer on several rows reads the same on each
    touched: list[int] = []
    for row in rows:
        before = report.producers_created, report.producers_updated
        producer = _upsert_producer(row, report, producers)
        product, changed, action = _upsert_product(row, producer, report)
        report.product_ids.append(product.id)
        producer_action = first_action.setdefault(producer.id, _producer_action(before, report))
        report.outcomes.append(
            RowOutcome(
                line=row.line,
                product=product.name,
                producer=producer.name,
                province=row.province.name,
                product_action=action,
                producer_action=producer_action,
            )
        )
        if changed:
            touched.append(product.id)
    outbox.record(touched, "import")


def _producer_action(before: tuple[int, int], report: ImportReport) -> str:
    if report.producers_created > before[0]:
        return "created"
    if report.producers_updated > before[1]:
        return "updated"
    return "unchanged"


def _find_producer(row: ImportRow) -> Producer | None:
    if row.tax_code:
        found = db.session.scalar(select(Producer).where(Producer.tax_code == row.tax_code))
        if found is not None:
            return found
    return db.session.scalar(
        select(Producer).where(
            Producer.name_key == normalize_key(row.producer_name),
            Producer.province_id == row.province.id,
        )
    )


def _upsert_producer(row: ImportRow, report: ImportReport, cache: dict) -> Producer:
    key = (row.tax_code or "", normalize_key(row.producer_name), row.province.id)
    producer = cache.get(key) or _find_producer(row)
    if producer is None:
        producer = Producer(
            name=row.producer_name,
            name_key=normalize_key(row.producer_name),
            slug=unique_slug(Producer, row.producer_name, hint=row.province.name),
            province_id=row.province.id,
            status="active",
            source=SOURCE,
        )
        _assign(producer, row, PRODUCER_FIELDS, _producer_values(row))
        db.session.add(producer)
        db.session.flush()
        report.producers_created += 1
    elif _assign(producer, row, PRODUCER_FIELDS, _producer_values(row)) and key not in cache:
        report.producers_updated += 1
    cache[key] = producer
    return producer


def _producer_values(row: ImportRow) -> dict[str, object]:
    return {
        "type": row.producer_type,
        "tax_code": row.tax_code,
        "ward_code": row.ward_code,
        "ward_name": row.ward_name,
        "address": row.address,
        "phone": row.phone,
        "website": row.website,
    }


def _upsert_product(
    row: ImportRow, producer: Producer, report: ImportReport
) -> tuple[Product, bool, str]:
    name_key = normalize_key(row.product_name)
    product = db.session.scalar(
        select(Product).where(Product.producer_id == producer.id, Product.name_key == name_key)
    )
    values = {
        "category_id": row.category.id if row.category else None,
        "description": row.description,
        "price_vnd": row.price_vnd,
        "unit": row.unit,
        "province_id": row.province.id,
        "province_recorded_as": row.province_recorded_as,
    }
    if product is None:
        product = Product(
            name=row.product_name,
            name_key=name_key,
            slug=unique_slug(Product, row.product_name, hint=row.province.name),
            producer_id=producer.id,
            status="published",
            source=SOURCE,
        )
        _assign(product, row, PRODUCT_FIELDS, values)
        product.published_at = product.created_at
        db.session.add(product)
        db.session.flush()
        _record_certificate(row, product)
        report.products_created += 1
        return product, True, "created"
    changed = _assign(product, row, PRODUCT_FIELDS, values)
    if _record_certificate(row, product) or changed:
        report.products_updated += 1
        return product, True, "updated"
    report.products_unchanged += 1
    return product, False, "unchanged"


def _record_certificate(row: ImportRow, product: Product) -> bool:
    """The list's stars become a certificate record (claims.record_imported), never the
    product's own columns: stars count only from records."""
    if not row.ocop_stars:
        return False
    return claims.record_imported(
        None,
        product,
        stars=row.ocop_stars,
        certificate_no=row.certificate_no or None,
        year=row.certificate_year,
    )


def _assign(obj: object, row: ImportRow, fields: tuple[str, ...], values: dict) -> bool:
    """Copy present values onto obj; return True when anything changed.

    province_recorded_as is the one field an empty value may clear: the province column is
    required, so an empty value means the row now uses the current name.
    """
    changed = False
    for name in fields:
        value = values[name]
        if value in (None, "") and name != "province_recorded_as":
            continue
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
