"""The image pipeline takes only whole, reasonably sized JPEG/PNG/WebP images and keeps no
metadata; hostile files are refused with a Vietnamese message, never a crash."""

from __future__ import annotations

import inspect
import io
from pathlib import Path

import pytest
from PIL import Image

from catalog.demo.demo_cards import render_card
from catalog.platform.images import SIZES, ImageLimits, ImageRejected, store_image, variant_path
from tests.platform.crafted_images import png_header


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def photo(size: tuple[int, int] = (2400, 1800), mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, size, "white" if mode != "CMYK" else (0, 0, 0, 0))
    for x in range(0, size[0], 200):
        image.paste((200, 30, 30) if mode == "RGB" else 128, (x, 0, x + 100, size[1]))
    return image


def test_jpeg_becomes_three_webp_variants_by_content_hash(tmp_path: Path):
    stored = store_image(encode(photo(), "JPEG", quality=90), tmp_path)
    assert (stored.width, stored.height) == (1600, 1200)  # the largest variant, as stored
    total = 0
    for name, longest in SIZES.items():
        path = variant_path(tmp_path, stored.digest, name)
        total += path.stat().st_size
        with Image.open(path) as variant:
            assert variant.format == "WEBP"
            assert max(variant.size) == longest
    assert stored.stored_bytes == total
    again = store_image(encode(photo(), "JPEG", quality=90), tmp_path)
    assert again.digest == stored.digest


def test_gps_and_other_metadata_are_stripped_and_orientation_applied(tmp_path: Path):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}  # GPS IFD
    data = encode(photo((400, 200)), "JPEG", exif=exif.tobytes())
    stored = store_image(data, tmp_path)
    assert (stored.width, stored.height) == (200, 400)  # turned upright
    raw = variant_path(tmp_path, stored.digest, "thumb").read_bytes()
    assert b"EXIF" not in raw and b"Exif" not in raw and b"XMP" not in raw
    with Image.open(io.BytesIO(raw)) as variant:
        assert not variant.getexif()


@pytest.mark.parametrize("mode", ["CMYK", "P", "LA", "I;16"])
def test_unusual_colour_modes_are_converted(tmp_path: Path, mode: str):
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    image = Image.new(mode, (240, 200))
    stored = store_image(encode(image, fmt), tmp_path)
    assert variant_path(tmp_path, stored.digest, "large").is_file()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "rỗng"),
        (b"not an image at all", "Không đọc được"),
        (b"GIF89a" + b"\x00" * 100, "Không đọc được"),
        (b"%PDF-1.7\n" + b"x" * 100, "Không đọc được"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "Không đọc được"),
    ],
)
def test_non_images_and_other_types_are_refused(tmp_path: Path, payload: bytes, message: str):
    with pytest.raises(ImageRejected, match=message):
        store_image(payload, tmp_path)
    assert not any(tmp_path.rglob("*.webp"))


def test_gif_is_refused_even_when_named_jpg(tmp_path: Path):
    gif = encode(Image.new("P", (10, 10)), "GIF")
    with pytest.raises(ImageRejected):
        store_image(io.BytesIO(gif), tmp_path)


def test_truncated_jpeg_is_refused(tmp_path: Path):
    data = encode(photo((800, 600)), "JPEG")
    with pytest.raises(ImageRejected, match="hỏng"):
        store_image(data[: len(data) // 2], tmp_path)


def test_oversized_upload_is_refused_before_reading_it_all(tmp_path: Path):
    class Endless(io.RawIOBase):
        read_total = 0

        def readable(self) -> bool:
            return True

        def read(self, n: int = -1) -> bytes:
            n = 1 << 30 if n is None or n < 0 else n
            Endless.read_total += n
            return b"\xff" * n

    with pytest.raises(ImageRejected, match="quá lớn"):
        store_image(Endless(), tmp_path, max_bytes=1024)
    assert Endless.read_total <= 1025


@pytest.mark.parametrize("side", [10_000, 20_000])  # 100 MP (Pillow only warns) and 400 MP
def test_decompression_bombs_are_refused(tmp_path: Path, side: int):
    with pytest.raises(ImageRejected):
        store_image(png_header(side, side), tmp_path)


def test_our_own_pixel_cap_applies_below_pillows(tmp_path: Path):
    data = encode(Image.new("RGB", (300, 300)), "PNG")
    with pytest.raises(ImageRejected, match="độ phân giải"):
        store_image(data, tmp_path, limits=ImageLimits(max_pixels=50_000, min_side=1, max_aspect=6))


def test_variant_path_refuses_traversal(tmp_path: Path):
    for digest, size in [
        ("../../etc/passwd", "thumb"),
        ("a" * 64, "original"),
        ("A" * 64, "thumb"),
    ]:
        with pytest.raises(ValueError):
            variant_path(tmp_path, digest, size)


def test_demo_card_is_a_real_picture(tmp_path: Path):
    png = render_card("Vải thiều Lục Ngạn", "thuc-pham", "Bắc Ninh")
    with Image.open(io.BytesIO(png)) as card:
        assert card.size == (800, 600)
        colours = card.convert("RGB").getcolors(maxcolors=100_000)
    assert colours is not None and len(colours) > 50  # text and motif, not a blank box
    assert render_card("Vải thiều Lục Ngạn", "do-uong", "Bắc Ninh") != png  # the group's colour


def test_demo_cards_carry_no_trust_data():
    """Stars or badges baked into an image would outlive an expired or revoked certificate:
    the card is drawn from the name, the group and the province only."""
    assert list(inspect.signature(render_card).parameters) == ["name", "category_slug", "province"]
    png = render_card("Vải thiều Lục Ngạn", "thuc-pham", "Bắc Ninh")
    with Image.open(io.BytesIO(png)) as card:
        colours = card.convert("RGB").getcolors(maxcolors=100_000) or []
    gold = [c for n, c in colours if c[0] > 170 and 110 < c[1] < 170 and c[2] < 60 and n > 200]
    assert gold == []  # the former OCOP seal's gold


def test_animated_webp_keeps_its_first_frame_and_animated_gif_is_refused(tmp_path: Path):
    frames = [Image.new("RGB", (240, 200), colour) for colour in ("red", "green", "blue")]
    animated = io.BytesIO()
    frames[0].save(animated, format="WEBP", save_all=True, append_images=frames[1:], duration=100)
    stored = store_image(animated.getvalue(), tmp_path)
    with Image.open(variant_path(tmp_path, stored.digest, "large")) as variant:
        assert getattr(variant, "n_frames", 1) == 1  # a still picture, not an animation
        assert variant.convert("RGB").getpixel((60, 45))[0] > 200  # the first (red) frame
    gif = io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(ImageRejected):
        store_image(gif.getvalue(), tmp_path / "gif")
