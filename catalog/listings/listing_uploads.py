"""Files a producer sends with a listing (photos, the certificate scan), stored before any
transaction opens so a slow or refused upload never holds the write lock, within the
producer's quotas (quotas.py) and the image pipeline's limits (platform/images.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalog.certificates.certificate_scans import ScanRejected, store_scan
from catalog.listings.listing_values import MAX_ALT, MAX_PHOTOS, ListingError
from catalog.listings.quotas import Ledger, QuotaExceeded
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


@dataclass(frozen=True)
class PhotoBatch:
    """The photos of one upload that were stored (entries for the listing), and the ones
    left out, each named with why ("Ảnh “x.jpg”: …")."""

    entries: list[dict]
    left_out: list[str]

    def notice(self) -> str:
        """For the page after the save: which photos were not added, and why."""
        if not self.left_out:
            return ""
        head = f"Đã thêm {len(self.entries)} ảnh; chưa thêm {len(self.left_out)} ảnh."
        return " ".join([head, *self.left_out])


def store_photos(
    ledger: Ledger, photos: Sequence[Upload], current: int, default_alt: str
) -> PhotoBatch:
    """Process uploads through the image pipeline (before any transaction), keeping what
    fits: in order, each photo the pipeline and the producer's quota accept, until the
    listing holds MAX_PHOTOS; the others are left out and named. On 3G, sending the whole
    batch again for one bad file is the worst answer. ListingError (QuotaExceeded when the
    quota was the reason) only when photos were sent and none could be kept."""
    room = MAX_PHOTOS - current
    if photos and room <= 0:
        names = ", ".join(f"“{upload.label}”" for upload in photos)
        raise ListingError(
            f"Mỗi sản phẩm có tối đa {MAX_PHOTOS} ảnh; hãy xóa bớt ảnh trước. Chưa thêm: {names}.",
            field="photos",
        )
    entries: list[dict] = []
    left_out: list[str] = []
    quota_hit = False
    storage_refusal: str | None = None
    for upload in photos:
        if len(entries) >= room:
            why = f"chưa thêm vì mỗi sản phẩm có tối đa {MAX_PHOTOS} ảnh."
        elif storage_refusal is not None:
            why = storage_refusal
        elif ledger.photos_full:
            why, quota_hit = ledger.photo_refusal(), True
        else:
            try:
                stored = store_photo(
                    upload.stream,
                    lambda message: ListingError(message, field="photos"),
                    admit=ledger.admit_photo,
                )
            except QuotaExceeded as exc:
                why, quota_hit = str(exc), True
            except ListingError as exc:
                why = str(exc)
                if isinstance(exc.__cause__, StorageError):  # full disk: the rest would fail
                    storage_refusal = why
            else:
                ledger.took_photo(stored.digest, stored.stored_bytes)
                entries.append(
                    {
                        "digest": stored.digest,
                        "alt": default_alt[:MAX_ALT],
                        "width": stored.width,
                        "height": stored.height,
                    }
                )
                continue
        left_out.append(f"Ảnh “{upload.label}”: {why}")
    if left_out and not entries:
        error = QuotaExceeded if quota_hit else ListingError
        raise error(" ".join(left_out), field="photos")
    return PhotoBatch(entries, left_out)


def store_certificate_scan(ledger: Ledger, scan: Upload | None) -> str | None:
    """The scan stored privately (its stored name), counted against the producer's quota."""
    if scan is None:
        return None
    ledger.check_scan()
    try:
        stored = store_scan(scan.stream)
    except ScanRejected as exc:
        raise ListingError(str(exc), field="certificate_scan") from exc
    except StorageError as exc:
        raise ListingError(refusal_message(exc), field="certificate_scan") from exc
    ledger.took_scan(stored.name, stored.size)
    return stored.name


def merge_photos(existing: list[dict], added: list[dict]) -> list[dict]:
    seen = {entry["digest"] for entry in existing}
    merged = list(existing)
    for entry in added:
        if entry["digest"] not in seen:
            seen.add(entry["digest"])
            merged.append(entry)
    return merged
