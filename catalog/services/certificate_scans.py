"""Scans of OCOP certificates: for officials only, stored privately and never served publicly.

A scan is a PDF (recognised by its `%PDF-` magic bytes, not by the name or the type the
browser claims) or a photo that decodes fully through the image pipeline's restricted
parsers. It is stored by content hash under ``instance/private/certificates/``, which no
route serves; the name the user gave is never used.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import IO

from flask import current_app

from .images import DEFAULT_MAX_BYTES, ImageRejected, decode

PDF_MAGIC = b"%PDF-"
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
_STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(pdf|jpg|png|webp)$")
MIN_PDF_BYTES = 64


class ScanRejected(ValueError):
    """The upload is not a certificate scan we accept; the message is shown to the user."""


def scans_dir() -> Path:
    return Path(current_app.instance_path) / "private" / "certificates"


def scan_path(name: str) -> Path:
    """Where a stored scan lives (for the officials' viewer); ValueError for anything else."""
    if not _STORED_NAME.match(name or ""):
        raise ValueError("not a stored certificate scan")
    return scans_dir() / name


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
    target = scan_path(name)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return name
