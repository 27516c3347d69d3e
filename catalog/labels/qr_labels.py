"""QR codes to the public pages, and printable label sheets for packaging and market stalls.

A QR code leads to the product's (or producer's) public page with `?nguon=qr` appended, so
visits from printed labels can be counted later. The absolute address comes from the caller
(PUBLIC_BASE_URL, or the request's host when that is unset): this module never reads
flask.request, so the CLI and tests build the same codes.

The matrix is drawn as one SVG path of dark runs per row (`M x y h n v1 h -n z`, in module
units inside a 4-module quiet zone), the same for the stand-alone QR and for every label on a
sheet: simple to parse back, so tests can check each code against a re-encode and a decoder.

A sheet is one A4 page (viewBox 210×297, in millimetres); the PDF twin (qr_labels_pdf) lays
the same grid out over as many pages as needed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import segno
from PIL import ImageFont
from sqlalchemy import select

from catalog.demo.demo_cards import FONTS_DIR
from catalog.errors import Invalid
from catalog.extensions import db
from catalog.models import Producer, Product
from catalog.models.statuses import ProducerStatus, ProductStatus

PRODUCT_PATH = "/san-pham/{slug}"
PRODUCER_PATH = "/co-so/{slug}"
SOURCE_QUERY = "nguon=qr"
# Error correction M (segno raises it when the version leaves room): survives a scuffed label.
QR_ERROR = "m"
QUIET_ZONE = 4
PAGE_W, PAGE_H = 210.0, 297.0
PAGE_MARGIN = 10.0
GAP = 4.0
# A label is as tall as its QR plus five lines of text: 1.6 times its width.
HEIGHT_RATIO = 1.6
MAX_COPIES = 200
MAX_LABELS = 500
FONT_FAMILY = "'Be Vietnam Pro', Arial, sans-serif"


@dataclass(frozen=True)
class LabelSize:
    key: str
    label: str
    width_mm: float

    @property
    def height_mm(self) -> float:
        return self.width_mm * HEIGHT_RATIO

    @property
    def columns(self) -> int:
        return int((PAGE_W - 2 * PAGE_MARGIN + GAP) // (self.width_mm + GAP))

    @property
    def rows(self) -> int:
        return int((PAGE_H - 2 * PAGE_MARGIN + GAP) // (self.height_mm + GAP))

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


SIZES = {
    s.key: s
    for s in (LabelSize("nho", "Nhỏ", 30), LabelSize("vua", "Vừa", 50), LabelSize("lon", "Lớn", 70))
}


class LabelError(Invalid):
    """A request for labels the service refuses; the message is shown to the producer."""


@dataclass(frozen=True)
class Label:
    """What one label shows: plain data, so the SVG and PDF writers need no ORM rows."""

    url: str
    short_url: str
    name: str
    producer: str
    province: str
    stars: int | None


# -- addresses and codes --------------------------------------------------------------------


def public_url(base_url: str, path: str) -> str:
    """The page's absolute address without the QR marker (shown on the label)."""
    return base_url.rstrip("/") + path


def qr_url(base_url: str, path: str) -> str:
    """What the code encodes: the page's address plus the marker counting QR visits."""
    return f"{public_url(base_url, path)}?{SOURCE_QUERY}"


def product_path(product: Product) -> str:
    return PRODUCT_PATH.format(slug=product.slug)


def producer_path(producer: Producer) -> str:
    return PRODUCER_PATH.format(slug=producer.slug)


def short_url(url: str) -> str:
    """The address people can type: no scheme, no trailing slash."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


def make_qr(data: str) -> segno.QRCode:
    """The one place codes are made: tests re-encode with the same parameters."""
    return segno.make(data, error=QR_ERROR, micro=False)


def _rows(qr: segno.QRCode) -> list[list[bool]]:
    return [[bool(cell) for cell in row] for row in qr.matrix_iter(border=QUIET_ZONE)]


def _runs(row: Sequence[bool]) -> Iterator[tuple[int, int]]:
    """(start, length) of each dark run in a row."""
    start = None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            yield start, x - start
            start = None


def qr_path_runs(qr: segno.QRCode) -> tuple[int, list[tuple[int, int, int]]]:
    """(size in modules with the quiet zone, (x, y, length) of each dark run)."""
    rows = _rows(qr)
    return len(rows), [(x, y, n) for y, row in enumerate(rows) for x, n in _runs(row)]


def qr_path(qr: segno.QRCode) -> tuple[int, str]:
    """(size in modules with the quiet zone, the SVG path data of the dark modules)."""
    size, runs = qr_path_runs(qr)
    return size, "".join(f"M{x} {y}h{n}v1h-{n}z" for x, y, n in runs)


@lru_cache(maxsize=256)
def url_runs(url: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """qr_path_runs for an address, remembered: a sheet repeats each code many times."""
    size, runs = qr_path_runs(make_qr(url))
    return size, tuple(runs)


def qr_svg(data: str, title: str) -> str:
    """A stand-alone SVG of the code for `data`, scalable, black on white."""
    size, path = qr_path(make_qr(data))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size * 4}" height="{size * 4}" shape-rendering="crispEdges" role="img">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{path}"/></svg>\n'
    )


# -- choosing what to print -----------------------------------------------------------------


def printable_products(producer_id: int) -> list[Product]:
    """The producer's published products: the only ones whose QR leads to a public page."""
    stmt = (
        select(Product)
        .where(Product.producer_id == producer_id, Product.status == ProductStatus.PUBLISHED)
        .order_by(Product.name, Product.id)
    )
    return list(db.session.scalars(stmt).unique())


def build_labels(
    producer: Producer,
    product_ids: Sequence[int],
    size_key: str,
    copies: int,
    base_url: str,
    *,
    one_page: bool = True,
) -> list[Label]:
    """The labels to print, in the order chosen, each repeated `copies` times.

    Refuses products of another producer or not published, an unknown size, and counts
    outside 1..MAX_COPIES; a single-page format also refuses more labels than fit a page.
    """
    size = SIZES.get(size_key)
    if size is None:
        raise LabelError("Vui lòng chọn một cỡ tem trong danh sách.", "co")
    if producer.status != ProducerStatus.ACTIVE:
        raise LabelError("Hồ sơ cơ sở cần được duyệt trước khi in tem có mã QR.")
    if not product_ids:
        raise LabelError("Vui lòng chọn ít nhất một sản phẩm.", "san_pham")
    if not 1 <= copies <= MAX_COPIES:
        raise LabelError(f"Số tem mỗi sản phẩm cần từ 1 đến {MAX_COPIES}.", "so_ban")
    own = {p.id: p for p in printable_products(producer.id)}
    if any(pid not in own for pid in product_ids):
        raise LabelError("Chỉ in được tem cho sản phẩm đang hiển thị của cơ sở.", "san_pham")
    chosen = [own[pid] for pid in dict.fromkeys(product_ids)]
    total = len(chosen) * copies
    limit = size.per_page if one_page else MAX_LABELS
    if total > limit:
        raise LabelError(
            f"Bạn chọn {total} tem; một tệp {'SVG là một tờ A4, chứa' if one_page else 'chứa'} "
            f"tối đa {limit} tem cỡ {size.label.lower()}. Hãy giảm số tem"
            f"{' hoặc chọn PDF để in nhiều trang' if one_page else ''}.",
            "so_ban",
        )
    labels = [_label(p, base_url) for p in chosen]
    return [label for label in labels for _ in range(copies)]


def _label(product: Product, base_url: str) -> Label:
    path = product_path(product)
    return Label(
        url=qr_url(base_url, path),
        short_url=short_url(public_url(base_url, path)),
        name=product.name,
        producer=product.producer.name,
        province=product.province.name,
        stars=product.public_stars,
    )


# -- laying labels out ------------------------------------------------------------------------


def positions(size: LabelSize, count: int) -> Iterator[tuple[int, float, float]]:
    """(page index, x, y) of each label's top-left corner, the grid centred on the page."""
    grid_w = size.columns * size.width_mm + (size.columns - 1) * GAP
    grid_h = size.rows * size.height_mm + (size.rows - 1) * GAP
    left, top = (PAGE_W - grid_w) / 2, (PAGE_H - grid_h) / 2
    for i in range(count):
        page, slot = divmod(i, size.per_page)
        row, col = divmod(slot, size.columns)
        yield page, left + col * (size.width_mm + GAP), top + row * (size.height_mm + GAP)


@lru_cache(maxsize=2)
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    name = "BeVietnamPro-SemiBold.ttf" if bold else "BeVietnamPro-Regular.ttf"
    return ImageFont.truetype(str(FONTS_DIR / name), 100)


def text_width_mm(text: str, font_mm: float, bold: bool = False) -> float:
    """The text's width in the sheet's font (Be Vietnam Pro, measured with Pillow): a line
    wider than its label is squeezed to fit, never cut off."""
    return _font(bold).getlength(text) / 100 * font_mm


def wrap(
    text: str, font_mm: float, width_mm: float, lines: int = 2, bold: bool = True
) -> list[str]:
    """Words into at most `lines` lines; the last takes the rest (squeezed when drawn)."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and text_width_mm(f"{line} {words[0]}", font_mm, bold) <= width_mm:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words:
        out.append(" ".join(words))
    return out


@dataclass(frozen=True)
class Line:
    text: str
    y: float  # baseline, from the label's top
    font_mm: float
    bold: bool = False
    css: str = ""


def label_lines(label: Label, size: LabelSize) -> list[Line]:
    """The text lines under the QR: name (two lines at most), producer, province, OCOP
    stars while the certificate is valid, and the address."""
    w = size.width_mm
    pad, font, small = w * 0.06, w * 0.075, w * 0.055
    inner = w - 2 * pad
    y = pad + inner + pad * 0.4
    lines: list[Line] = []
    for part in wrap(label.name, font, inner):
        y += font * 1.2
        lines.append(Line(part, y, font, bold=True))
    rest = [label.producer, label.province]
    if label.stars:
        rest.append(f"{'★' * label.stars} OCOP {label.stars} sao")
    for text in rest:
        y += font * 1.2
        lines.append(Line(text, y, font, css="stars" if text.startswith("★") else ""))
    lines.append(Line(label.short_url, size.height_mm - pad, small, css="url"))
    return lines


# -- the SVG sheet ----------------------------------------------------------------------------

SHEET_STYLE = (
    f".cut{{fill:none;stroke:#999;stroke-width:.2;stroke-dasharray:1 1}}"
    f"text{{font-family:{FONT_FAMILY};fill:#000}}.b{{font-weight:600}}"
)


def _svg_text(line: Line, x: float, inner: float) -> str:
    attrs = f'x="{x:.2f}" y="{line.y:.2f}" font-size="{line.font_mm:.2f}"'
    if line.bold:
        attrs += ' class="b"'
    if text_width_mm(line.text, line.font_mm, line.bold) > inner:
        attrs += f' textLength="{inner:.2f}" lengthAdjust="spacingAndGlyphs"'
    return f"<text {attrs}>{escape(line.text)}</text>"


def _svg_label(label: Label, size: LabelSize, x: float, y: float, number: int) -> str:
    w, h = size.width_mm, size.height_mm
    pad = w * 0.06
    inner = w - 2 * pad
    modules, runs = url_runs(label.url)
    path = "".join(f"M{x} {y}h{n}v1h-{n}z" for x, y, n in runs)
    scale = inner / modules
    texts = "".join(_svg_text(line, pad, inner) for line in label_lines(label, size))
    return (
        f'<g class="label" id="tem-{number}" data-url={quoteattr(label.url)} '
        f'transform="translate({x:.2f} {y:.2f})">'
        f'<rect class="cut" width="{w:.2f}" height="{h:.2f}" rx="1.5"/>'
        f'<path class="qr" fill="#000" shape-rendering="crispEdges" '
        f'transform="translate({pad:.2f} {pad:.2f}) scale({scale:.5f})" d="{path}"/>'
        f"{texts}</g>"
    )


def sheet_svg(labels: Sequence[Label], size: LabelSize, title: str) -> str:
    """One A4 page of labels (the caller has checked they fit)."""
    body = "".join(
        _svg_label(label, size, x, y, i + 1)
        for i, (label, (_page, x, y)) in enumerate(
            zip(labels, positions(size, len(labels)), strict=True)
        )
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_W:g}mm" height="{PAGE_H:g}mm" '
        f'viewBox="0 0 {PAGE_W:g} {PAGE_H:g}">'
        f"<title>{escape(title)}</title><style>{SHEET_STYLE}</style>"
        f'<rect width="{PAGE_W:g}" height="{PAGE_H:g}" fill="#fff"/>{body}</svg>\n'
    )


def page_count(size: LabelSize, count: int) -> int:
    return max(1, math.ceil(count / size.per_page))
