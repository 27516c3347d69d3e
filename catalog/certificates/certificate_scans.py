"""Scans of OCOP certificates: for officials only, stored privately and never served publicly.

A scan is a PDF (recognised by its `%PDF-` magic bytes, not by the name or the type the
browser claims) or a photo that decodes fully through the image pipeline's restricted
parsers and fits the image pipeline's SCAN_LIMITS (a readable document: at least 400 px on
its short side, at most 50 megapixels). It is stored by content hash as
``certificates/<sha256>.<ext>`` in the private storage (``instance/private/`` or the bucket's
``private/``), which no route serves except the officials' viewer; the name the user gave is
never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app

from catalog.platform.images import DEFAULT_MAX_BYTES, SCAN_LIMITS, ImageRejected, decode
from catalog.platform.private_files import PrivateFolder, read_upload
from catalog.storage import StoredObject

PDF_MAGIC = b"%PDF-"
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
MIN_PDF_BYTES = 64
SCAN_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
SCANS = PrivateFolder("certificates", SCAN_TYPES)


class ScanRejected(ValueError):
    """The upload is not a certificate scan we accept; the message is shown to the user."""


def scans_dir() -> Path:
    """Where scans live with the local private storage (tests, operators)."""
    return Path(current_app.config["PRIVATE_DIR"]) / "certificates"


def scan_key(name: str) -> str:
    """A stored scan's key in the private storage; ValueError for anything else."""
    return SCANS.key(name)


def open_scan(name: str) -> StoredObject:
    """The stored scan (for the officials' viewer); ValueError for a name that is not a
    stored scan's, FileNotFoundError when it is gone."""
    return SCANS.open(name)


def _kind(data: bytes) -> str:
    """'pdf', 'jpg', 'png' or 'webp' judged from the content; ScanRejected otherwise."""
    if data.startswith(PDF_MAGIC):
        if len(data) < MIN_PDF_BYTES:
            raise ScanRejected("Tệp PDF bị hỏng hoặc không đầy đủ.")
        return "pdf"
    kind = next((ext for magic, ext in _IMAGE_MAGIC if data.startswith(magic)), None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "webp"
    if kind is None:
        raise ScanRejected("Chỉ nhận bản chụp dạng PDF, JPEG, PNG hoặc WebP.")
    try:
        # The whole picture must decode (no truncated files, no bombs) and be a readable
        # document: SCAN_LIMITS, the scans' own rule in the image pipeline.
        decode(data, SCAN_LIMITS)
    except ImageRejected as exc:
        raise ScanRejected(str(exc)) from exc
    return kind


@dataclass(frozen=True)
class StoredScan:
    """A stored scan: its stored name ("<sha256>.<ext>") and its size in bytes."""

    name: str
    size: int


def store_scan(source: IO[bytes] | bytes, *, max_bytes: int | None = None) -> StoredScan:
    """Validate and store a scan (StorageError: nothing half-stored)."""
    limit = max_bytes or current_app.config.get("MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)
    data = read_upload(source, limit, ScanRejected)
    return StoredScan(SCANS.store(data, _kind(data)), len(data))
