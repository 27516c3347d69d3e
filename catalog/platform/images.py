"""The image pipeline: untrusted bytes in, WebP variants (SIZES) stored by content hash out.

Measured here: ``verify()`` passes a JPEG cut in half (only ``load()`` fails), and a
100-megapixel PNG merely warns. So the type comes from the content and a restricted set of
parsers, the whole image is decoded, Pillow's bomb warning is an error and we keep our own
pixel cap. EXIF orientation is applied, then every bit of metadata (GPS!) is dropped by
re-encoding; originals are never kept or served.

What a picture must be (pixels, shortest side, aspect) is decided here once, as ImageLimits:
PHOTO_LIMITS for every picture shown on the site (product photos, logos, campaign banners,
story covers) and SCAN_LIMITS for certificate scans, which are documents kept as sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

from catalog.platform.number_format import VIETNAMESE, format_decimal
from catalog.platform.private_files import read_upload
from catalog.storage import LocalStorage, Storage, StorageError

# Registering the three parsers here keeps Image.open(formats=[..."WEBP"]) from calling
# Image.init(), which imports every Pillow plugin on a process's first upload (~40 ms).
from PIL import JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401  # isort: skip

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# Variant name -> longest side in pixels (also the `w` descriptor in srcset). "card" is for
# product cards on a phone: two cards a row at 390 px and DPR 2 want ~380 device pixels, which
# 320 cannot give and 800 gives at three times the bytes (issue 14, point 5). Pictures stored
# before a size existed get it on first request (ensure_variant).
SIZES = {"thumb": 320, "card": 480, "medium": 800, "large": 1600}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
WEBP_QUALITY = 80
# libwebp's effort, 0-6 (Pillow's default is 4). Measured on a 1600x1200 photo: method 4
# takes about twice the time of 2 for 4 % fewer bytes and +0.1-0.2 dB PSNR; the large
# variant's encode was the biggest cost of an upload (bench/images_bench.py).
WEBP_METHOD = 2
HASH_STRIP_ROWS = 256
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message is shown to the user."""


@dataclass(frozen=True)
class ImageLimits:
    """What a picture must be, judged from its header before anything is decoded: at most
    `max_pixels`, no side under `min_side` px, the longest side at most `max_aspect` times
    the shortest. `noun` starts the refusal ("Ảnh", "Bản chụp")."""

    max_pixels: int
    min_side: int
    max_aspect: int
    noun: str = "Ảnh"

    def check(self, width: int, height: int) -> None:
        """ImageRejected, naming the limit, for a picture of that size outside them."""
        short, long = sorted((width, height))
        size = f"{width} × {height} px"
        if width * height > self.max_pixels:
            raise ImageRejected(
                f"{self.noun} có độ phân giải quá lớn: {size} "
                f"({_above(width * height / 1e6)} megapixel); "
                f"tối đa {format_decimal(self.max_pixels / 1e6, 0, VIETNAMESE)} megapixel."
            )
        if short < self.min_side:
            raise ImageRejected(
                f"{self.noun} có cạnh ngắn nhất {short} px ({size}); "
                f"cần ít nhất {self.min_side} px."
            )
        if long > self.max_aspect * short:
            raise ImageRejected(
                f"{self.noun} quá dài và hẹp: {size}, tỉ lệ 1:{_above(long / short)}; "
                f"tỉ lệ tối đa là 1:{self.max_aspect} (dọc hoặc ngang)."
            )


def _above(value: float) -> str:
    """Rounded up to two decimals, so a value just over a limit never reads as the limit."""
    return format_decimal(math.ceil(value * 100) / 100, 2, VIETNAMESE)  # Vietnamese text


# Every picture the site shows. 25 megapixels: 12-24 MP phone photos pass, a 6000x4500
# camera picture (27 MP) is refused before decoding (its RGB decode alone is 81 MB). 200 px:
# below that a product photo is a blur even as the 320-px thumbnail. 1:6: a banner of 1:4
# passes; a 1x100000 strip does not.
PHOTO_LIMITS = ImageLimits(max_pixels=25_000_000, min_side=200, max_aspect=6)
# Certificate scans are kept as sent for officials to read, never resized: a 600-dpi A4 scan
# is 35 MP, and a certificate under 400 px on its short side cannot be read.
SCAN_LIMITS = ImageLimits(max_pixels=50_000_000, min_side=400, max_aspect=6, noun="Bản chụp")


@dataclass(frozen=True)
class StoredImage:
    """A stored picture: its digest, the size of the largest variant stored (upright, as the
    pages show it) and the bytes its variants take in the storage."""

    digest: str
    width: int
    height: int
    stored_bytes: int = 0


def read_limited(source: IO[bytes] | bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read at most max_bytes (+1 to detect overflow) so a huge body is never held whole."""
    return read_upload(
        source, max_bytes, ImageRejected, too_large="Ảnh quá lớn", empty="Tệp ảnh rỗng."
    )


def decode(data: bytes, limits: ImageLimits = PHOTO_LIMITS) -> Image.Image:
    """Open with the accepted parsers only, refuse bombs and pictures outside `limits`,
    decode fully, fix orientation: the upright RGB(A) picture.

    A JPEG larger than the largest variant is decoded at 1/2, 1/4 or 1/8 scale (libjpeg's
    DCT scaling: a quarter of the pixels at 1/2), never below the largest variant's size.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
            limits.check(image.width, image.height)  # before a single pixel is decoded
            if image.format == "JPEG":
                # draft() keeps each side >= the box's, so the box must have the picture's
                # aspect: (1600, 1600) would keep a 4000x3000 photo at full size.
                image.draft("RGB", fit_size(image.size, SIZES["large"]))
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
    ImageOps.exif_transpose(image, in_place=True)  # no full copy when nothing to turn
    return _to_rgb(image)


def fit_size(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """The size Image.thumbnail((longest, longest)) gives: aspect kept, never enlarged."""
    width, height = size
    if width <= longest and height <= longest:
        return size
    aspect = width / height

    def round_aspect(number: float, key: Callable[[int], float]) -> int:
        return max(min(math.floor(number), math.ceil(number), key=key), 1)

    if aspect <= 1:  # portrait or square: the height is the longest side
        return round_aspect(longest * aspect, lambda n: abs(aspect - n / longest)), longest
    return longest, round_aspect(
        longest / aspect, lambda n: 0 if n == 0 else abs(aspect - longest / n)
    )


def _to_rgb(image: Image.Image) -> Image.Image:
    """WebP takes RGB(A) 8-bit: convert CMYK, palette, 16-bit and greyscale images."""
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("P", "PA", "LA") or "transparency" in image.info:
        return image.convert("RGBA")
    if image.mode.startswith("I;16") or image.mode == "I":
        image = image.point(lambda v: v / 256).convert("L")
    return image.convert("RGB")


def variant_key(digest: str, size: str) -> str:
    """A variant's storage key; ValueError for anything that is not a digest and a size."""
    if not _DIGEST.match(digest) or size not in SIZES:
        raise ValueError("not an image variant")
    return f"{digest[:2]}/{digest}-{size}.webp"


def variant_path(uploads_dir: Path, digest: str, size: str) -> Path:
    """Where a variant lives in a local uploads directory (same ValueError)."""
    return Path(uploads_dir).joinpath(*variant_key(digest, size).split("/"))


def store_image(
    source: IO[bytes] | bytes,
    storage: Storage | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: ImageLimits = PHOTO_LIMITS,
    admit: Callable[[str, int], None] | None = None,
) -> StoredImage:
    """Validate, normalise and store an upload; the same picture is stored once.

    ``storage`` is the uploads storage (a directory is taken as a LocalStorage). ``admit``,
    when given, hears the picture's digest and the bytes its variants take before any is
    written, and may raise to refuse it (a producer's quota): nothing is stored then. If
    the storage refuses a variant (full disk…), the variants this call already wrote are
    removed again before StorageError propagates: no partial set of variants stays behind.
    """
    if isinstance(storage, str | Path):
        storage = LocalStorage(storage)
    data = read_limited(source, max_bytes)
    image = decode(data, limits)
    del data
    digest = _digest(image)
    width, height = fit_size(image.size, SIZES["large"])  # what the largest variant is
    targets = {name: variant_key(digest, name) for name in SIZES}
    present = {name for name, key in targets.items() if storage.exists(key)}
    encoded = _encode_variants(image, present)
    del image
    stored_bytes = sum(map(len, encoded.values()))
    stored_bytes += sum(_stored_size(storage, targets[name]) for name in present)
    if admit is not None:
        admit(digest, stored_bytes)
    written: list[str] = []
    try:
        for name, webp in encoded.items():
            storage.put(targets[name], webp, "image/webp")  # atomic
            written.append(targets[name])
    except StorageError:
        # A concurrent upload of the very same picture may have counted on one of these;
        # it then re-creates it on its next upload. Far rarer than a disk filling up.
        for key in written:
            with contextlib.suppress(OSError):  # the refusal is what the user must hear of
                storage.delete(key)
        raise
    return StoredImage(digest=digest, width=width, height=height, stored_bytes=stored_bytes)


def _encode_variants(image: Image.Image, present: set[str]) -> dict[str, bytes]:
    """The WebP bytes of each variant not yet `present` in the storage."""
    encoded: dict[str, bytes] = {}
    by_size: dict[tuple[int, int], bytes] = {}  # a small image's variants may coincide
    variant = image
    # Largest first, each variant reduced from the previous one: the full picture is
    # resampled once, the smaller variants come from a 1600-px one.
    for name, longest in sorted(SIZES.items(), key=lambda item: -item[1]):
        if len(present | encoded.keys()) == len(SIZES):
            break
        size = fit_size(image.size, longest)  # from the decoded size, as thumbnail() did
        if variant.size != size:
            variant = variant.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
        if name in present:
            continue
        if variant.size not in by_size:
            by_size[variant.size] = _encode_webp(variant)
        encoded[name] = by_size[variant.size]
    return encoded


def ensure_variant(storage: Storage, digest: str, size: str) -> bool:
    """Make the `size` variant of a stored picture if it is missing, from its largest variant
    (the same resampling and encoding as store_image): pictures uploaded before a size was
    added to SIZES get it without a migration. False when the picture is not stored at all.
    ValueError (variant_key's) for anything that is not a digest and a size."""
    key = variant_key(digest, size)
    if storage.exists(key):
        return True
    try:
        source = storage.get(variant_key(digest, "large"))
    except FileNotFoundError:
        return False
    with Image.open(io.BytesIO(source), formats=["WEBP"]) as webp:
        webp.load()
        image = webp.convert("RGBA" if webp.mode == "RGBA" else "RGB")
    target = fit_size(image.size, SIZES[size])
    if image.size != target:
        image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
    storage.put(key, _encode_webp(image), "image/webp")  # atomic; a racing twin writes the same
    return True


def _stored_size(storage: Storage, key: str) -> int:
    """The size of a variant already stored (0 if it went meanwhile: it is written again
    by the next upload of that picture)."""
    try:
        return storage.size(key)
    except FileNotFoundError:
        return 0


def _digest(image: Image.Image) -> str:
    """SHA-256 of the decoded pixels, not the file: the same photo re-saved with other
    metadata is the same image. Fed in strips of rows, so no second full-size copy."""
    hasher = hashlib.sha256()
    hasher.update(f"{image.mode}:{image.width}x{image.height}:".encode())
    for top in range(0, image.height, HASH_STRIP_ROWS):
        bottom = min(top + HASH_STRIP_ROWS, image.height)
        hasher.update(image.crop((0, top, image.width, bottom)).tobytes())
    return hasher.hexdigest()


def _encode_webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # A fresh encode writes no EXIF, XMP or ICC chunk unless asked: metadata is gone.
    image.save(out, format="WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return out.getvalue()
