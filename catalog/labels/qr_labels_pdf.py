"""The label sheet as PDF (reportlab, pure Python): the same grid and texts as the SVG, over
as many A4 pages as the labels need, with Be Vietnam Pro embedded so diacritics print right on
any printer, even where the font is not installed.

reportlab draws in points from the bottom-left corner; the layout (qr_labels) is in
millimetres from the top-left, hence `_y`.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Sequence
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from catalog.demo.demo_cards import FONTS_DIR
from catalog.labels.qr_labels import (
    PAGE_H,
    Label,
    LabelSize,
    Line,
    label_lines,
    positions,
    url_runs,
)

FONTS = {False: "ChoViet-Regular", True: "ChoViet-SemiBold"}


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONTS[False], str(FONTS_DIR / "BeVietnamPro-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(FONTS[True], str(FONTS_DIR / "BeVietnamPro-SemiBold.ttf")))


def _y(top_mm: float) -> float:
    return (PAGE_H - top_mm) * mm


def _star(canvas: Canvas, cx: float, cy: float, r: float) -> None:
    """A five-pointed star (the font has no ★ glyph)."""
    path = canvas.beginPath()
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        if i == 0:
            path.moveTo(x, y)
        else:
            path.lineTo(x, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _text(canvas: Canvas, line: Line, x_mm: float, inner_mm: float, stars: int | None) -> None:
    font, size = FONTS[line.bold], line.font_mm * mm
    text, x = line.text, x_mm * mm
    if line.css == "stars" and stars:
        for i in range(stars):
            _star(canvas, x + size * (0.5 + i), _y(line.y) + size * 0.35, size * 0.5)
        text, x = text.lstrip("★ "), x + size * (stars + 0.4)
    available = inner_mm * mm - (x - x_mm * mm)
    width = pdfmetrics.stringWidth(text, font, size)
    obj = canvas.beginText(x, _y(line.y))
    obj.setFont(font, size)
    # Always set: the scale is page state and would carry over to the next line.
    obj.setHorizScale(min(100.0, 100 * available / width))
    obj.textOut(text)
    canvas.drawText(obj)


def _label(canvas: Canvas, label: Label, size: LabelSize, x_mm: float, y_mm: float) -> None:
    w, h = size.width_mm, size.height_mm
    pad = w * 0.06
    inner = w - 2 * pad
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.2 * mm)
    canvas.setDash(1 * mm, 1 * mm)
    canvas.roundRect(x_mm * mm, _y(y_mm + h), w * mm, h * mm, 1.5 * mm, stroke=1, fill=0)
    modules, form = _qr_form(canvas, label.url)
    canvas.saveState()
    canvas.translate((x_mm + pad) * mm, _y(y_mm + pad))
    canvas.scale(inner * mm / modules, inner * mm / modules)
    canvas.doForm(form)
    canvas.restoreState()
    for line in label_lines(label, size):
        shifted = Line(line.text, y_mm + line.y, line.font_mm, line.bold, line.css)
        _text(canvas, shifted, x_mm + pad, inner, label.stars)


def _qr_form(canvas: Canvas, url: str) -> tuple[int, str]:
    """The code for `url` drawn once per document (a form XObject, one module = one unit,
    y downwards from the top-left corner) and placed on every label that repeats it."""
    name = "qr" + hashlib.sha256(url.encode()).hexdigest()[:16]
    modules, runs = url_runs(url)
    if not canvas.hasForm(name):
        canvas.beginForm(name, lowerx=0, lowery=-modules, upperx=modules, uppery=0)
        canvas.setFillGray(0)
        path = canvas.beginPath()
        for x, y, n in runs:
            path.rect(x, -(y + 1), n, 1)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.endForm()
    return modules, name


def sheet_pdf(labels: Sequence[Label], size: LabelSize, title: str) -> bytes:
    """All labels over as many A4 pages as they need."""
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("Chợ Việt")
    current = 0
    for label, (page, x, y) in zip(labels, positions(size, len(labels)), strict=True):
        if page != current:
            canvas.showPage()
            current = page
        _label(canvas, label, size, x, y)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
