"""Small builders shared by tests."""

from __future__ import annotations

import csv
import io

from catalog.imports.import_rows import COLUMNS


def csv_bytes(*rows: dict[str, str], header: tuple[str, ...] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in header})
    return out.getvalue().encode("utf-8")


def row(**values: str) -> dict[str, str]:
    base = {
        "product_name": "Vải thiều Lục Ngạn",
        "producer_name": "HTX Nông nghiệp Hồng Phúc",
        "province": "Bắc Giang",
        "category": "Thực phẩm",
        "ocop_stars": "4",
        "price_vnd": "45000",
        "unit": "kg",
    }
    base.update(values)
    return base
