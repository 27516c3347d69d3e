"""Uploads in a directory: this machine's disk, or a directory shared by several hosts (NFS).

A write goes to a temporary file in the target's own directory, is flushed to the disk
(fsync) and renamed over the target: rename within one directory is atomic on local file
systems and on NFS, so no reader on any host ever opens half a file, and a crash or a full
disk leaves at most a ``.tmp-`` file, which the failing write removes itself.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from catalog.storage.base import StorageFull, StoredObject, check_key, check_prefix, is_full

TEMP_PREFIX = ".tmp-"


class LocalStorage:
    """Keys are paths relative to ``root`` (the layout the site has always used)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def path(self, key: str) -> Path:
        """The file behind a key (for tests and operators; views go through the interface)."""
        return self.root.joinpath(*check_key(key).split("/"))

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        target = self.path(key)
        tmp: str | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
            with os.fdopen(fd, "wb") as handle:
                _write_all(handle, data)
            os.replace(tmp, target)
            tmp = None
            _sync_directory(target.parent)
        except OSError as exc:
            if is_full(exc):
                raise StorageFull(f"{target}: {exc}", exc.errno) from exc
            raise
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def get(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def open(self, key: str) -> StoredObject:
        handle = open(self.path(key), "rb")  # noqa: SIM115 - the caller closes it
        stat = os.fstat(handle.fileno())
        return StoredObject(stream=handle, size=stat.st_size, modified=stat.st_mtime)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        check_prefix(prefix)
        # Walk only the prefix's directory, not the whole tree.
        folder = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        start = self.root.joinpath(*folder.split("/")) if folder else self.root
        for directory, subdirs, files in os.walk(start):
            subdirs[:] = [name for name in subdirs if not name.startswith(".")]
            relative = Path(directory).relative_to(self.root).as_posix()
            for name in files:
                if name.startswith("."):
                    continue  # a write in progress (or not one of ours)
                key = name if relative == "." else f"{relative}/{name}"
                if key.startswith(prefix):
                    yield key


def _write_all(handle: BinaryIO, data: bytes) -> None:
    """Write and flush to the disk: a full disk shows up here (on NFS often only at fsync)."""
    handle.write(data)
    handle.flush()
    os.fsync(handle.fileno())


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; not every file system can open a directory (fine)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
