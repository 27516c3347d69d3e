"""The image pipeline: untrusted bytes in, three WebP variants stored by content hash out.

Measured here: ``verify()`` passes a JPEG cut in half (only ``load()`` fails), and a
100-megapixel PNG merely warns. So the type comes from the content and a restricted set of
parsers, the whole image is decoded, Pillow's bomb warning is an error and we keep our own
pixel cap. EXIF orientation is applied, then every bit of metadata (GPS!) is dropped by
re-encoding; originals are never kept or served.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# Variant name -> longest side in pixels (also the `w` descriptor in srcset).
SIZES = {"thumb": 320, "medium": 800, "large": 1600}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# A modern phone photo is 12-50 megapixels; anything beyond is refused before decoding.
MAX_PIXELS = 50_000_000
WEBP_QUALITY = 80
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message is shown to the user."""


@dataclass(frozen=True)
class StoredImage:
    digest: str
    width: int
    height: int


def read_limited(source: IO[bytes] | bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read at most max_bytes (+1 to detect overflow) so a huge body is never held whole."""
    data = bytes(source) if isinstance(source, bytes | bytearray) else source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRejected(f"Ảnh quá lớn: tối đa {max_bytes // (1024 * 1024)} MB.")
    if not data:
        raise ImageRejected("Tệp ảnh rỗng.")
    return data


def decode(data: bytes, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open with the accepted parsers only, refuse bombs, decode fully, fix orientation."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
            if image.width * image.height > max_pixels:
                raise ImageRejected("Ảnh có độ phân giải quá lớn.")
            if image.format == "JPEG":
                # Decode at reduced scale when the largest variant needs no more.
                image.draft("RGB", (SIZES["large"], SIZES["large"]))
            image.load()
        except ImageRejected:
            raise
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as exc:
            raise ImageRejected(
                "Không đọc được ảnh. Chỉ nhận ảnh JPEG, PNG hoặc WebP còn nguyên vẹn."
            ) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageRejected("Tệp ảnh bị hỏng hoặc không đầy đủ.") from exc
    image = ImageOps.exif_transpose(image)
    return _to_rgb(image)


def _to_rgb(image: Image.Image) -> Image.Image:
    """WebP takes RGB(A) 8-bit: convert CMYK, palette, 16-bit and greyscale images."""
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("P", "PA", "LA") or "transparency" in image.info:
        return image.convert("RGBA")
    if image.mode.startswith("I;16") or image.mode == "I":
        image = image.point(lambda v: v / 256).convert("L")
    return image.convert("RGB")


def variant_path(uploads_dir: Path, digest: str, size: str) -> Path:
    """Where a variant lives; ValueError for anything that is not a digest and a size."""
    if not _DIGEST.match(digest) or size not in SIZES:
        raise ValueError("not an image variant")
    return Path(uploads_dir) / digest[:2] / f"{digest}-{size}.webp"


def store_image(
    source: IO[bytes] | bytes,
    uploads_dir: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> StoredImage:
    """Validate, normalise and store an upload; the same picture is stored once."""
    data = read_limited(source, max_bytes)
    image = decode(data, max_pixels)
    # Hash the decoded pixels, not the file: the same photo re-saved with other metadata
    # is the same image.
    hasher = hashlib.sha256()
    hasher.update(f"{image.mode}:{image.width}x{image.height}:".encode())
    hasher.update(image.tobytes())
    digest = hasher.hexdigest()
    width, height = image.size
    encoded: dict[tuple[int, int], bytes] = {}  # a small image's variants may coincide
    for name, longest in SIZES.items():
        target = variant_path(uploads_dir, digest, name)
        if target.exists():
            continue
        variant = image.copy()
        variant.thumbnail((longest, longest), Image.Resampling.LANCZOS)
        if variant.size not in encoded:
            encoded[variant.size] = _encode_webp(variant)
        _atomic_write(target, encoded[variant.size])
    return StoredImage(digest=digest, width=width, height=height)


def _encode_webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # A fresh encode writes no EXIF, XMP or ICC chunk unless asked: metadata is gone.
    image.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def _atomic_write(target: Path, payload: bytes) -> None:
    """Write beside the target and rename, so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".webp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
