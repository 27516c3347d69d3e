"""Files that are never served publicly (certificate scans, officials' import files), kept in
the private storage under the SHA-256 of their content: the name a person gave never
reaches a path, the same file is stored once, and a changed file is detected on reading."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from catalog.storage import StoredObject, current_private_storage


def read_upload(
    source: IO[bytes] | bytes,
    max_bytes: int,
    refuse: Callable[[str], Exception],
    *,
    too_large: str = "Tệp quá lớn",
    empty: str = "Tệp rỗng.",
) -> bytes:
    """Read at most max_bytes (+1 to detect overflow) so a huge body is never held whole;
    `refuse(message)` builds the polite error for a file too large or empty."""
    data = bytes(source) if isinstance(source, bytes | bytearray) else source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise refuse(f"{too_large}: tối đa {max_bytes // (1024 * 1024)} MB.")
    if not data:
        raise refuse(empty)
    return data


class FileChanged(ValueError):
    """The stored bytes no longer match the hash in their name."""


@dataclass(frozen=True)
class PrivateFolder:
    """One kind of private file: its folder in the storage and the extensions it holds
    (extension → content type)."""

    folder: str
    content_types: dict[str, str]
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kinds = "|".join(re.escape(ext) for ext in self.content_types)
        object.__setattr__(self, "_pattern", re.compile(rf"^[0-9a-f]{{64}}\.({kinds})$"))

    def key(self, name: str) -> str:
        """The stored file's key; ValueError for a name that is not one of ours."""
        if not self._pattern.match(name or ""):
            raise ValueError(f"not a stored {self.folder} file")
        return f"{self.folder}/{name}"

    def store(self, data: bytes, extension: str) -> str:
        """Store (once) and return the stored name "<sha256>.<ext>"; StorageError when the
        storage refuses (full disk, unreachable): nothing half-written."""
        name = f"{hashlib.sha256(data).hexdigest()}.{extension}"
        storage, key = current_private_storage(), self.key(name)
        if not storage.exists(key):
            storage.put(key, data, self.content_types[extension])  # atomic
        return name

    def open(self, name: str) -> StoredObject:
        """ValueError for a name that is not ours, FileNotFoundError when it is gone."""
        return current_private_storage().open(self.key(name))

    def read_checked(self, name: str) -> bytes:
        """The stored bytes, checked against the hash in the name: FileChanged when they
        differ, ValueError for a name that is not ours, OSError when the file is gone,
        StorageError when the storage is unreachable."""
        data = current_private_storage().get(self.key(name))
        if hashlib.sha256(data).hexdigest() != name.split(".", 1)[0]:
            raise FileChanged(name)
        return data
