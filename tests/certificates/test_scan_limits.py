"""Certificate scans keep their own rule from the image pipeline (SCAN_LIMITS): a photo of a
certificate must be readable (400 px on its short side, at most 50 megapixels, no strip
beyond 1:6); a PDF is judged by its content, not its pixels. The stored size is recorded."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from catalog.certificates.certificate_scans import ScanRejected, scans_dir, store_scan
from tests.listings.support import pdf
from tests.platform.crafted_images import png_header


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, 255).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (png((399, 800)), "Bản chụp có cạnh ngắn nhất 399 px (399 × 800 px); cần ít nhất 400 px."),
        (png((1, 1)), "cạnh ngắn nhất 1 px"),
        (png((400, 2401)), "Bản chụp quá dài và hẹp"),
        (png_header(7100, 7100), "tối đa 50 megapixel"),
        (png_header(1, 100_000), "cạnh ngắn nhất 1 px"),
    ],
)
def test_unreadable_or_hostile_scan_pictures_are_refused(app, data: bytes, message: str):
    with pytest.raises(ScanRejected) as refused:
        store_scan(data)
    assert message in str(refused.value)
    assert not scans_dir().exists() or not any(scans_dir().iterdir())


def test_a_readable_scan_and_a_pdf_are_stored_with_their_size(app):
    picture = png((400, 2400))  # exactly 1:6, exactly 400 px: accepted
    stored = store_scan(picture)
    assert stored.name.endswith(".png") and stored.size == len(picture)
    assert (scans_dir() / stored.name).read_bytes() == picture
    document = store_scan(pdf())
    assert document.name.endswith(".pdf") and document.size == len(pdf())
