"""Open data: the published catalogue, or one search result or listing, as CSV and JSON with
exactly the importer's columns (import_rows.COLUMNS), so a provincial portal can republish
it and our own importer reads it back unchanged.

Only what the public pages show: published products of active producers, their producer's
public contact details, and OCOP stars (with the certificate number and year) only while the
certificate is valid, as the badges do. The file is streamed in batches and capped: a listing
at the importer's own row limit, a free-text search lower because the index answers in pages
of 100. CSV cells a spreadsheet would run as a formula get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import chain, islice
from typing import Any

from catalog.catalogue import browse, search
from catalog.imports.import_files import MAX_ROWS
from catalog.imports.import_rows import COLUMNS
from catalog.models import Product
from catalog.reports.report_exports import safe_cell
from search_index import SearchQuery

MAX_LISTING_ROWS = MAX_ROWS
MAX_SEARCH_ROWS = 5_000
BATCH = 500
SEARCH_BATCH = 100  # the most the search index returns per page
Value = str | int | None


@dataclass(frozen=True)
class Selection:
    """What to export: a free-text search (as on /tim-kiem) or a listing (as on /san-pham);
    neither means the whole catalogue."""

    search: SearchQuery | None = None
    listing: browse.BrowseFilters | None = None


@dataclass
class Export:
    total: int  # rows the file holds (after the cap)
    matched: int  # rows the selection matched
    products: Iterator[Product]

    @property
    def truncated(self) -> bool:
        return self.matched > self.total


def row(product: Product) -> dict[str, Value]:
    """One product as an import row, public fields only."""
    stars = product.public_stars
    producer = product.producer
    return {
        "product_name": product.name,
        "category": product.category.name if product.category else None,
        "description": product.description or None,
        "ocop_stars": stars,
        "certificate_no": (product.certificate_no or None) if stars else None,
        "certificate_year": product.certificate_year if stars else None,
        "price_vnd": product.price_vnd,
        "unit": product.unit or None,
        "producer_name": producer.name,
        "producer_type": producer.type_label or None,
        "tax_code": producer.tax_code or None,
        "province": product.province.name,
        "ward": producer.ward_name or None,
        "address": producer.address or None,
        "phone": producer.phone or None,
        "website": producer.website or None,
    }


def export(selection: Selection) -> Export:
    """The rows to write, fetched lazily batch by batch (the first batch now, for the count)."""
    if selection.search is not None:
        return _search_export(selection.search)
    filters = selection.listing or browse.BrowseFilters()
    first = browse.list_products(replace(filters, page=1, per_page=BATCH))
    total = min(first.total, MAX_LISTING_ROWS)

    def rest() -> Iterator[Product]:
        for number in range(2, -(-total // BATCH) + 1):
            yield from browse.list_products(replace(filters, page=number, per_page=BATCH)).items

    products = islice(chain(first.items, rest()), total)
    return Export(total=total, matched=first.total, products=products)


def _search_export(query: SearchQuery) -> Export:
    query = replace(query, page=1, per_page=SEARCH_BATCH)
    first = search.run_search(query)
    total = min(first.total, MAX_SEARCH_ROWS)

    def rest() -> Iterator[Product]:
        for number in range(2, -(-total // SEARCH_BATCH) + 1):
            yield from search.run_search(replace(query, page=number)).products

    products = islice(chain(first.products, rest()), total)
    return Export(total=total, matched=first.total, products=products)


def _csv_line(values: Iterable[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()


def csv_chunks(data: Export) -> Iterator[bytes]:
    """UTF-8 with a BOM (Excel otherwise guesses the encoding), header = COLUMNS."""
    yield ("\ufeff" + _csv_line(COLUMNS)).encode("utf-8")
    buffer: list[str] = []
    for product in data.products:
        values = row(product)
        buffer.append(_csv_line("" if v is None else safe_cell(v) for v in values.values()))
        if len(buffer) >= 100:
            yield "".join(buffer).encode("utf-8")
            buffer.clear()
    if buffer:
        yield "".join(buffer).encode("utf-8")


def json_chunks(data: Export, source: str) -> Iterator[bytes]:
    """{"columns", "total", "truncated", "generated_at", "source", "items": [row, …]}."""
    head = {
        "columns": list(COLUMNS),
        "total": data.total,
        "truncated": data.truncated,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source,
    }
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
    yield opening.encode("utf-8")
    for index, product in enumerate(data.products):
        prefix = "," if index else ""
        yield (prefix + json.dumps(row(product), ensure_ascii=False)).encode("utf-8")
    yield b"]}"
