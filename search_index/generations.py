"""Index generations: `path/CURRENT` names the live index directory `path/gen-…/`.

A rebuild writes a complete index into a new generation directory, then replaces CURRENT with
`os.replace` (atomic on POSIX and Windows), so a reader sees either the old index or the new
one, never half of one. Every operation of every process reads CURRENT first (a ~10 µs file
read), so other processes switch on their next query without any signal. Old generations are
deleted after the swap; a reader still holding one keeps working on POSIX because Whoosh
memory-maps its compound segment files, and it reopens from CURRENT on its next operation.

Creating the first generation and rebuilding take `path/GEN.lock` so two processes never
create two "first" indexes or delete each other's half-built generation.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.index import LockError
from whoosh.util.filelock import FileLock, try_for

POINTER = "CURRENT"
LOCK = "GEN.lock"
_NAME_RE = re.compile(r"^gen-[0-9a-f]+-[0-9a-f]+$")


class Generations:
    def __init__(self, root: Path) -> None:
        self.root = root

    def current(self) -> str | None:
        """The live generation's directory name, or None before the first index exists."""
        try:
            name = (self.root / POINTER).read_text(encoding="ascii").strip()
        except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
            return None
        return name if _NAME_RE.match(name) and (self.root / name).is_dir() else None

    def new_name(self) -> str:
        return f"gen-{time.time_ns():x}-{uuid.uuid4().hex[:8]}"

    def publish(self, name: str) -> None:
        """Make `name` the live generation, atomically."""
        tmp = self.root / f".{POINTER}.{uuid.uuid4().hex}"
        with open(tmp, "w", encoding="ascii") as f:
            f.write(name + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.root / POINTER)

    def remove_all_but(self, keep: str) -> None:
        """Delete every other generation (the caller holds the generation lock, so nothing
        else is building one right now)."""
        for entry in self.root.iterdir():
            if entry.name != keep and _NAME_RE.match(entry.name) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
        for stray in self.root.glob(f".{POINTER}.*"):
            stray.unlink(missing_ok=True)

    @contextmanager
    def locked(self, timeout: float) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.root / LOCK))
        if not try_for(lock.acquire, timeout=timeout, delay=0.05):
            raise LockError(f"search index generation lock busy for {timeout}s: {self.root}")
        try:
            yield
        finally:
            lock.release()
