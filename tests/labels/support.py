"""Reading QR codes back for the QR tests: the dark runs of our SVG path turned into a matrix,
compared with a re-encode by segno with the same parameters, and decoded independently by
zxing-cpp from a rendered image (no system library needed)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from typing import Any

import zxingcpp
from PIL import Image

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.labels import qr_labels
from catalog.models import Producer, Product
from tests.factories import create_producer, create_published_product, create_user

SVG = "{http://www.w3.org/2000/svg}"
RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\d+z")


def dark_cells(path_data: str) -> set[tuple[int, int]]:
    cells: set[tuple[int, int]] = set()
    runs = RUN.findall(path_data)
    assert "".join(f"M{x} {y}h{n}v1h-{n}z" for x, y, n in runs) == path_data, "unexpected path"
    for x, y, n in runs:
        cells.update((int(x) + i, int(y)) for i in range(int(n)))
    return cells


def expected_cells(url: str) -> set[tuple[int, int]]:
    """A re-encode of `url` with the service's parameters, quiet zone included."""
    rows = qr_labels.make_qr(url).matrix_iter(border=qr_labels.QUIET_ZONE)
    return {(x, y) for y, row in enumerate(rows) for x, cell in enumerate(row) if cell}


def decode(cells: set[tuple[int, int]]) -> list[str]:
    """What a QR reader finds in the drawn modules (rendered 8 px per module)."""
    size = max(max(x, y) for x, y in cells) + 1 + qr_labels.QUIET_ZONE
    image = Image.new("L", (size, size), 255)
    for cell in cells:
        image.putpixel(cell, 0)
    image = image.resize((size * 8, size * 8), Image.Resampling.NEAREST)
    return [result.text for result in zxingcpp.read_barcodes(image)]


def assert_qr(path_data: str, url: str) -> None:
    cells = dark_cells(path_data)
    assert cells == expected_cells(url)
    assert decode(cells) == [url]


def parse_svg(data: bytes | str) -> ET.Element:
    return ET.fromstring(data.encode() if isinstance(data, str) else data)


def label_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "label"]


def label_texts(group: ET.Element) -> list[str]:
    return [t.text or "" for t in group.iter(f"{SVG}text")]


def seller(**values: Any) -> tuple[Producer, Any]:
    """An active producer with a signed-in-able owner account."""
    producer = create_producer(ward_name="Xã Trùng Khánh", **values)
    return producer, create_user("producer", producer=producer)


def product(producer: Producer, name: str | None = None, **values: Any) -> Product:
    item = create_published_product(name, producer=producer)
    if values:
        with write_transaction():
            for key, value in values.items():
                setattr(db.session.get(Product, item.id), key, value)
    return item


def certified(years_left: int) -> dict[str, Any]:
    """Certificate columns: valid for `years_left` more years (negative: expired)."""
    expires = date.today() + timedelta(days=365 * years_left)
    return {
        "ocop_stars": 4,
        "certificate_year": expires.year - 3,
        "certificate_expires_on": expires,
        "certificate_decision": "123/QĐ-UBND",
    }
