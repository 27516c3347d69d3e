"""The image pipeline's limits mean something: over 25 megapixels, a side under 200 px or an
aspect beyond 1:6 (either way) is refused before decoding, with a Vietnamese message naming
the limit; certificate scans keep their own rule; the stored size is the stored picture's.

Big pictures are crafted as a PNG header only (the size is in IHDR), so no test decodes them:
a refusal before decoding is exactly what is checked, and memory stays low.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from catalog.platform.images import (
    PHOTO_LIMITS,
    SCAN_LIMITS,
    SIZES,
    ImageRejected,
    decode,
    store_image,
    variant_path,
)
from tests.platform.crafted_images import png_header

CATALOG = Path(__file__).resolve().parents[2] / "catalog"


def png(size: tuple[int, int], colour: tuple[int, int, int] = (200, 60, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("size", "message"),
    [
        # 25 000 001 pixels: one more than the limit.
        ((4901, 5101), "quá lớn: 4901 × 5101 px (25,01 megapixel); tối đa 25 megapixel"),
        ((6928, 4619), "(32,01 megapixel); tối đa 25 megapixel"),  # a 32-MP camera picture
        ((1, 100_000), "cạnh ngắn nhất 1 px (1 × 100000 px); cần ít nhất 200 px"),
        ((100_000, 1), "cạnh ngắn nhất 1 px"),
    ],
)
def test_pictures_outside_the_limits_are_refused_before_decoding(
    tmp_path: Path, size: tuple[int, int], message: str
):
    with pytest.raises(ImageRejected) as refused:
        store_image(png_header(*size), tmp_path)
    assert message in str(refused.value)
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ((1, 1), "Ảnh có cạnh ngắn nhất 1 px (1 × 1 px); cần ít nhất 200 px."),
        ((199, 400), "Ảnh có cạnh ngắn nhất 199 px (199 × 400 px); cần ít nhất 200 px."),
        ((400, 199), "cạnh ngắn nhất 199 px"),
        ((201, 1207), "Ảnh quá dài và hẹp: 201 × 1207 px, tỉ lệ 1:6,01; tỉ lệ tối đa là 1:6"),
        ((1207, 201), "tỉ lệ tối đa là 1:6 (dọc hoặc ngang)"),
    ],
)
def test_small_and_thin_photos_are_refused_naming_the_limit(
    tmp_path: Path, size: tuple[int, int], message: str
):
    with pytest.raises(ImageRejected) as refused:
        store_image(png(size), tmp_path)
    assert message in str(refused.value)
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize("size", [(200, 1200), (1200, 200), (200, 200)])
def test_photos_exactly_at_the_limits_are_accepted(tmp_path: Path, size: tuple[int, int]):
    stored = store_image(png(size), tmp_path)
    assert (stored.width, stored.height) == size  # small enough to be stored as it is
    for name in SIZES:
        assert variant_path(tmp_path, stored.digest, name).is_file()


def test_exactly_25_megapixels_passes_the_check_and_one_more_does_not():
    PHOTO_LIMITS.check(5000, 5000)  # 25 000 000: no refusal
    with pytest.raises(ImageRejected, match="tối đa 25 megapixel"):
        PHOTO_LIMITS.check(4901, 5101)  # 25 000 001


def test_the_stored_size_is_the_largest_variant_turned_upright(tmp_path: Path):
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned 90° clockwise: a 2400x1800 file is an 1800x2400 picture
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (20, 120, 200)).save(out, format="JPEG", exif=exif.tobytes())
    stored = store_image(out.getvalue(), tmp_path)
    with Image.open(variant_path(tmp_path, stored.digest, "large")) as large:
        assert large.size == (stored.width, stored.height) == (1200, 1600)
    # Stored again (all variants present): the same size and bytes, nothing rewritten.
    again = store_image(out.getvalue(), tmp_path)
    assert again == stored and stored.stored_bytes > 0


def test_admit_hears_the_bytes_first_and_can_refuse_before_anything_is_written(tmp_path: Path):
    heard: list[tuple[str, int]] = []

    def refuse(digest: str, stored_bytes: int) -> None:
        heard.append((digest, stored_bytes))
        raise RuntimeError("over quota")

    with pytest.raises(RuntimeError):
        store_image(png((640, 480)), tmp_path, admit=refuse)
    assert stored_files(tmp_path) == []
    stored = store_image(png((640, 480)), tmp_path, admit=lambda digest, size: None)
    assert heard == [(stored.digest, stored.stored_bytes)]


def test_certificate_scans_have_their_own_rule():
    decode(png((300, 500)), PHOTO_LIMITS)  # a fine product photo...
    with pytest.raises(ImageRejected) as refused:
        decode(png((300, 500)), SCAN_LIMITS)  # ...is no readable certificate
    assert str(refused.value) == (
        "Bản chụp có cạnh ngắn nhất 300 px (300 × 500 px); cần ít nhất 400 px."
    )
    SCAN_LIMITS.check(5100, 6600)  # an A4 page scanned at 600 dpi: 33,7 MP
    with pytest.raises(ImageRejected, match="tối đa 50 megapixel"):
        SCAN_LIMITS.check(7100, 7100)


def test_every_upload_path_goes_through_the_one_set_of_limits():
    """Only the pipeline's own helpers call store_image (photo_uploads for every form, the
    demo for its drawn cards); no module keeps pixel rules of its own."""
    callers = {
        str(path.relative_to(CATALOG))
        for path in CATALOG.rglob("*.py")
        if re.search(r"\bstore_image\(", path.read_text(encoding="utf-8"))
    }
    assert callers == {"platform/images.py", "platform/photo_uploads.py", "demo/demo.py"}
    for path in CATALOG.rglob("*.py"):
        if path.name != "images.py":
            assert "ImageLimits(" not in path.read_text(encoding="utf-8"), path
