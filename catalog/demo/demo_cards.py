"""Product cards drawn with Pillow for the demo catalogue, which ships no real photos.

A card must read as a deliberate illustration, not a missing image: the OCOP group's colour,
the product's name in a typeface made for Vietnamese diacritics and its province. It carries
no trust data (no stars, no badges): an image cannot change when a certificate expires or
is revoked, the page around it does (issue 14.1).
"""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
WIDTH, HEIGHT = 1000, 750  # drawing units
# Stored at 800 px: the medium and large variants coincide, so seeding encodes less.
OUTPUT_SIZE = (800, 600)

# Per OCOP group: (deep colour, light colour, label). Deep colours keep white text ≥ 4.5:1.
PALETTE: dict[str | None, tuple[tuple[int, int, int], tuple[int, int, int], str]] = {
    "thuc-pham": ((150, 62, 20), (250, 226, 200), "Thực phẩm"),
    "do-uong": ((20, 96, 120), (205, 236, 242), "Đồ uống"),
    "thao-duoc": ((36, 104, 58), (214, 240, 214), "Thảo dược"),
    "thu-cong-my-nghe": ((112, 60, 130), (236, 222, 242), "Thủ công mỹ nghệ"),
    "sinh-vat-canh": ((46, 112, 96), (212, 240, 230), "Sinh vật cảnh"),
    "du-lich": ((28, 78, 140), (214, 228, 248), "Du lịch cộng đồng"),
    None: ((80, 86, 96), (230, 232, 236), "Hàng Việt Nam"),
}
# (font size, characters per line): the largest that fits the name in three lines wins.
TITLE_FITS = ((84, 18), (70, 22), (58, 27), (48, 33))


@lru_cache(maxsize=16)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS_DIR / f"BeVietnamPro-{weight}.ttf"), size)


def render_card(name: str, category_slug: str | None, province: str) -> bytes:
    """A PNG card for one product."""
    deep, light, label = PALETTE.get(category_slug, PALETTE[None])
    image = Image.new("RGB", (WIDTH, HEIGHT), light)
    draw = ImageDraw.Draw(image)
    _backdrop(draw, deep, light)
    draw.text((60, 56), label.upper(), font=_font("SemiBold", 30), fill=deep)
    _title(draw, name, deep)
    draw.rectangle((0, HEIGHT - 120, WIDTH, HEIGHT), fill=deep)
    draw.text((60, HEIGHT - 88), province, font=_font("SemiBold", 40), fill=(255, 255, 255))
    draw.text(
        (WIDTH - 60, HEIGHT - 80),
        "Chợ Việt · hàng Việt",
        font=_font("Regular", 28),
        fill=(255, 255, 255),
        anchor="ra",
    )
    image = image.resize(OUTPUT_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=1)
    return out.getvalue()


def _backdrop(draw: ImageDraw.ImageDraw, deep: tuple[int, ...], light: tuple[int, ...]) -> None:
    """Soft concentric rings bottom-right: a quiet motif that differs by group colour."""
    tint = tuple(int(l_ * 0.82 + d * 0.18) for l_, d in zip(light, deep, strict=True))
    for i, radius in enumerate(range(520, 120, -80)):
        colour = tint if i % 2 == 0 else light
        draw.ellipse(
            (
                WIDTH - radius + 80,
                HEIGHT - 120 - radius,
                WIDTH + radius + 80,
                HEIGHT - 120 + radius,
            ),
            fill=colour,
        )


def _title(draw: ImageDraw.ImageDraw, name: str, colour: tuple[int, ...]) -> None:
    """The name, as large as fits in three lines."""
    options = [(size, textwrap.wrap(name, width=w)) for size, w in TITLE_FITS]
    size, lines = next(((s, ls) for s, ls in options if len(ls) <= 3), options[-1])
    lines = lines[:3]
    font = _font("SemiBold", size)
    line_height = int(size * 1.32)
    top = (HEIGHT - 120) // 2 - line_height * len(lines) // 2 + 20
    for i, line in enumerate(lines):
        draw.text((60, top + i * line_height), line, font=font, fill=colour)
