"""Scans of OCOP certificates: for officials only, stored privately and never served publicly.

A scan is a PDF (recognised by its `%PDF-` magic bytes, not by the name or the type the
browser claims) or a photo that decodes fully through the image pipeline's restricted
parsers. It is stored by content hash as ``certificates/<sha256>.<ext>`` in the private
storage (``instance/private/`` or the bucket's ``private/``), which no route serves except
the officials' viewer; the name the user gave is never used.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import IO

from flask import current_app

from catalog.platform.images import DEFAULT_MAX_BYTES, ImageRejected, decode
from catalog.storage import StoredObject, current_private_storage

PDF_MAGIC = b"%PDF-"
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
_STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(pdf|jpg|png|webp)$")
MIN_PDF_BYTES = 64
SCAN_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


class ScanRejected(ValueError):
    """The upload is not a certificate scan we accept; the message is shown to the user."""


def scans_dir() -> Path:
    """Where scans live with the local private storage (tests, operators)."""
    return Path(current_app.config["PRIVATE_DIR"]) / "certificates"


def scan_key(name: str) -> str:
    """A stored scan's key in the private storage; ValueError for anything else."""
    if not _STORED_NAME.match(name or ""):
        raise ValueError("not a stored certificate scan")
    return f"certificates/{name}"


def open_scan(name: str) -> StoredObject:
    """The stored scan (for the officials' viewer); ValueError for a name that is not a
    stored scan's, FileNotFoundError when it is gone."""
    return current_private_storage().open(scan_key(name))


def _read(source: IO[bytes] | bytes, max_bytes: int) -> bytes:
    data = bytes(source) if isinstance(source, bytes | bytearray) else source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ScanRejected(f"Tệp quá lớn: tối đa {max_bytes // (1024 * 1024)} MB.")
    if not data:
        raise ScanRejected("Tệp rỗng.")
    return data


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
        decode(data)  # the whole picture must decode: no truncated files, no bombs
    except ImageRejected as exc:
        raise ScanRejected(str(exc)) from exc
    return kind


def store_scan(source: IO[bytes] | bytes, *, max_bytes: int | None = None) -> str:
    """Validate and store a scan; returns its stored name ("<sha256>.<ext>")."""
    limit = max_bytes or current_app.config.get("MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)
    data = _read(source, limit)
    name = f"{hashlib.sha256(data).hexdigest()}.{_kind(data)}"
    storage, key = current_private_storage(), scan_key(name)
    if not storage.exists(key):
        storage.put(key, data, SCAN_TYPES[name.rsplit(".", 1)[1]])  # atomic; StorageError
    return name
