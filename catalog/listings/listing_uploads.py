"""Files a producer sends with a listing (photos, the certificate scan), stored before any
transaction opens so a slow or refused upload never holds the write lock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalog.certificates.certificate_scans import ScanRejected, store_scan
from catalog.listings.listing_values import MAX_ALT, MAX_PHOTOS, ListingError
from catalog.platform.photo_uploads import store_photo
from catalog.platform.vietnamese import clean_text
from catalog.storage import StorageError, refusal_message


@dataclass(frozen=True)
class Upload:
    """A file from a form: its stream and the name the user gave (for messages only)."""

    stream: Any
    filename: str = ""

    @property
    def label(self) -> str:
        return clean_text(self.filename)[:80] or "không tên"


def upload_of(file: Any) -> Upload | None:
    """A form's file (a FileStorage) as an Upload; None when the field was left empty."""
    return Upload(file.stream, file.filename or "") if file and file.filename else None


def store_photos(photos: Sequence[Upload], current: int, default_alt: str) -> list[dict]:
    """Process uploads through the image pipeline (before any transaction)."""
    if current + len(photos) > MAX_PHOTOS:
        room = MAX_PHOTOS - current
        more = f"bạn chỉ thêm được {room} ảnh nữa" if room else "hãy xoá bớt ảnh trước"
        raise ListingError(f"Mỗi sản phẩm có tối đa {MAX_PHOTOS} ảnh; {more}.", field="photos")
    entries = []
    for upload in photos:
        stored = store_photo(
            upload.stream,
            lambda message: ListingError(message, field="photos"),
            label=f"Ảnh “{upload.label}”",
        )
        entries.append(
            {
                "digest": stored.digest,
                "alt": default_alt[:MAX_ALT],
                "width": stored.width,
                "height": stored.height,
            }
        )
    return entries


def store_certificate_scan(scan: Upload | None) -> str | None:
    if scan is None:
        return None
    try:
        return store_scan(scan.stream)
    except ScanRejected as exc:
        raise ListingError(str(exc), field="certificate_scan") from exc
    except StorageError as exc:
        raise ListingError(refusal_message(exc), field="certificate_scan") from exc


def merge_photos(existing: list[dict], added: list[dict]) -> list[dict]:
    seen = {entry["digest"] for entry in existing}
    merged = list(existing)
    for entry in added:
        if entry["digest"] not in seen:
            seen.add(entry["digest"])
            merged.append(entry)
    return merged
