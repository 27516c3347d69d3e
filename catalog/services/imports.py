"""Bulk import of OCOP lists: the same code loads the demo catalogue, the command line
import and (later) the officials' web import.

Producers are matched by tax code, or by normalised name and province when there is none;
products by producer and normalised name. Present values overwrite, empty cells never wipe
what is already known, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ..database import OUTBOX_FLAG, write_transaction
from ..extensions import db
from ..models import Producer, Product
from ..vietnamese import normalize_key
from . import outbox
from .import_rows import ImportRow, RowError, read_csv, validate
from .slugs import unique_slug

PRODUCER_FIELDS = ("type", "tax_code", "ward_code", "ward_name", "address", "phone", "website")
PRODUCT_FIELDS = (
    "category_id",
    "description",
    "ocop_stars",
    "certificate_no",
    "certificate_year",
    "price_vnd",
    "unit",
    "province_id",
    "province_recorded_as",
)


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

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    @property
    def ok(self) -> bool:
        return not self.errors


def import_csv(source: Path | bytes, *, dry_run: bool = False) -> ImportReport:
    """Validate every row, load the good ones (unless dry_run) in one transaction."""
    report = ImportReport()
    rows: list[ImportRow] = []
    for line, raw in read_csv(source):
        report.rows += 1
        result = validate(line, raw)
        if isinstance(result, list):
            report.errors.extend(result)
        else:
            rows.append(result)
    if dry_run:
        _apply(rows, report)
        db.session.rollback()
        db.session.info.pop(OUTBOX_FLAG, None)
        report.product_ids = []
        return report
    with write_transaction():
        _apply(rows, report)
    return report


def _apply(rows: list[ImportRow], report: ImportReport) -> None:
    producers: dict[tuple, Producer] = {}
    touched: list[int] = []
    for row in rows:
        producer = _upsert_producer(row, report, producers)
        product, changed = _upsert_product(row, producer, report)
        report.product_ids.append(product.id)
        if changed:
            touched.append(product.id)
    outbox.record(touched, "import")


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
) -> tuple[Product, bool]:
    name_key = normalize_key(row.product_name)
    product = db.session.scalar(
        select(Product).where(Product.producer_id == producer.id, Product.name_key == name_key)
    )
    values = {
        "category_id": row.category.id if row.category else None,
        "description": row.description,
        "ocop_stars": row.ocop_stars,
        "certificate_no": row.certificate_no,
        "certificate_year": row.certificate_year,
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
        )
        _assign(product, row, PRODUCT_FIELDS, values)
        product.published_at = product.created_at
        db.session.add(product)
        db.session.flush()
        report.products_created += 1
        return product, True
    if _assign(product, row, PRODUCT_FIELDS, values):
        report.products_updated += 1
        return product, True
    report.products_unchanged += 1
    return product, False


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
