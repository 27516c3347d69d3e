"""The one small interface every place that keeps an uploaded file goes through.

Keys are relative, slash-separated names ("ab/ab12…-thumb.webp", "certificates/….pdf"): the
same names whether the bytes sit in a directory (possibly shared over NFS by several hosts) or
in an S3-compatible bucket. A write is all or nothing: a reader, on this host or another,
sees the old state or the whole new object, never half of it. A storage that has no room
raises StorageFull, one that cannot be reached StorageUnavailable, so the pages can answer
with a polite message and the right status instead of a 500.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol, runtime_checkable

# errno values meaning "no room for this write": the device is full, the user's quota is
# used up, or the file would exceed the file system's (or the process's) size limit.
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_SEGMENT = re.compile(r"^[A-Za-z0-9_.-]+$")
MAX_KEY_LENGTH = 512


class InvalidKey(ValueError):
    """A key that could leave the storage's root (``..``, absolute, backslash, NUL…)."""


class StorageError(OSError):
    """The storage refused or failed a write or read; the message is shown to the user.

    ``status`` is the HTTP status a page reporting it answers with.
    """

    status = 503
    message = (
        "Hệ thống lưu tệp đang tạm thời gặp sự cố nên chưa lưu được tệp của bạn. "
        "Thông tin bạn đã nhập vẫn còn nguyên; vui lòng thử lại sau ít phút."
    )

    def __init__(self, detail: str = "", errno_value: int | None = None) -> None:
        super().__init__(errno_value or 0, self.message)
        self.detail = detail  # for the log, never shown

    def __str__(self) -> str:
        return self.message


class StorageFull(StorageError):
    """No room left (ENOSPC, EDQUOT, EFBIG, or the S3 service's "storage full")."""

    status = 507  # Insufficient Storage
    message = (
        "Máy chủ tạm thời hết chỗ lưu tệp nên chưa lưu được tệp của bạn. "
        "Thông tin bạn đã nhập vẫn còn nguyên; vui lòng thử lại sau, "
        "hoặc báo cho quản trị viên nếu lỗi còn lặp lại."
    )


class StorageUnavailable(StorageError):
    """The storage could not be reached or answered with an error (→ 503)."""


@dataclass
class StoredObject:
    """An opened stored object: read ``stream`` (and close it), ``size`` bytes long."""

    stream: BinaryIO
    size: int
    modified: float | None = None  # POSIX time, when the storage knows it


@runtime_checkable
class Storage(Protocol):
    """Where uploads live. Missing keys raise FileNotFoundError (``delete`` ignores them)."""

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Store ``data`` under ``key`` atomically (replacing any previous object)."""

    def get(self, key: str) -> bytes: ...

    def open(self, key: str) -> StoredObject: ...

    def exists(self, key: str) -> bool: ...

    def size(self, key: str) -> int: ...

    def delete(self, key: str) -> None: ...

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        """Every stored key starting with ``prefix`` (in no particular order)."""


def check_key(key: str) -> str:
    """The key itself if it is a safe relative name; InvalidKey otherwise.

    Only plain segments of letters, digits, ``_ . -`` joined by single slashes: no ``..``,
    no absolute path, no backslash (a separator on Windows shares), no NUL, no empty segment,
    and no segment starting with a dot (``.tmp-…`` are a local storage's files being written).
    """
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidKey("empty or overlong storage key")
    for segment in key.split("/"):
        if segment.startswith(".") or not _SEGMENT.match(segment):
            raise InvalidKey(f"unsafe storage key {key!r}")
    return key


def check_prefix(prefix: str) -> str:
    """A listing prefix: "" or the start of a safe key (may end with a slash)."""
    if prefix == "":
        return prefix
    check_key(prefix[:-1] if prefix.endswith("/") else prefix)
    return prefix


def is_full(exc: OSError) -> bool:
    return exc.errno in FULL_ERRNOS
