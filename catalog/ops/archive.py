"""The backup archive: a tar.gz with manifest.json, the database and the uploaded files.

    manifest.json            what is inside, row counts, a sha256 per file
    database.sqlite3         or database.pgdump (pg_dump --format=custom)
    uploads/<key>            public image variants (UPLOADS_DIR)
    private/<key>            certificate scans and import files (PRIVATE_DIR)

Reading an archive never trusts it: every member must be a regular file (or directory) under
one of those names, without absolute paths or `..`, and must match its manifest checksum
before anything in the instance is touched.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from catalog.ops.errors import OpsError

FORMAT = "choviet-backup"
VERSION = 1
MANIFEST = "manifest.json"
AREAS = ("uploads", "private")
DATABASE_NAMES = ("database.sqlite3", "database.pgdump")
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024


class _HashingReader:
    """Reads a file for tarfile while computing its sha256."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.hash.update(data)
        return data


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o644
    return info


def add_file(tar: tarfile.TarFile, path: Path, name: str) -> str | None:
    """Add `path` as `name`; returns its sha256, or None if it vanished meanwhile."""
    try:
        with open(path, "rb") as raw:
            stat = Path(path).stat()
            reader = _HashingReader(raw)
            tar.addfile(_tarinfo(name, stat.st_size, stat.st_mtime), reader)
    except FileNotFoundError:
        return None
    return reader.hash.hexdigest()


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    tar.addfile(_tarinfo(name, len(data), mtime), io.BytesIO(data))


def iter_area_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Files under `root` as (path, key), skipping storage's half-written `.tmp-` files."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        rel = path.relative_to(root)
        if any(part.startswith(".tmp-") for part in rel.parts):
            continue
        yield path, rel.as_posix()


# -- reading -------------------------------------------------------------------------------


def _allowed(name: str) -> bool:
    if name == MANIFEST or name in DATABASE_NAMES:
        return True
    head, _, rest = name.partition("/")
    return head in AREAS and bool(rest)


def safe_name(member: tarfile.TarInfo) -> str:
    """The member's name if it may be extracted, else OpsError (path traversal, links...)."""
    raw = member.name
    if "\\" in raw or "\x00" in raw or raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise OpsError(f"Tệp sao lưu chứa đường dẫn không hợp lệ: {raw!r}.")
    path = PurePosixPath(raw)
    if any(part in ("..", "") for part in raw.rstrip("/").split("/")) or path.is_absolute():
        raise OpsError(f"Tệp sao lưu chứa đường dẫn không hợp lệ: {raw!r}.")
    name = path.as_posix().removeprefix("./")
    if not (member.isfile() or member.isdir()):
        raise OpsError(f"Tệp sao lưu chứa liên kết hoặc tệp đặc biệt: {raw!r}.")
    if member.isfile() and not _allowed(name):
        raise OpsError(f"Tệp sao lưu chứa tệp không thuộc bản sao lưu: {raw!r}.")
    return name


def open_archive(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise OpsError(f"Không tìm thấy tệp sao lưu {path}.")
    try:
        return tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise OpsError(f"{path} không phải là tệp sao lưu (tar.gz) đọc được: {exc}") from exc


def _check_manifest(manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise OpsError("manifest.json không phải của một bản sao lưu Chợ Việt.")
    if manifest.get("version") != VERSION:
        raise OpsError(f"Phiên bản bản sao lưu {manifest.get('version')!r} không được hỗ trợ.")
    files = manifest.get("files")
    database = manifest.get("database") or {}
    if not isinstance(files, dict) or database.get("file") not in DATABASE_NAMES:
        raise OpsError("manifest.json thiếu danh sách tệp hoặc cơ sở dữ liệu.")
    if database["file"] not in files:
        raise OpsError("manifest.json không ghi mã kiểm tra của cơ sở dữ liệu.")
    return manifest


def extract_verified(path: Path, staging: Path) -> dict[str, Any]:
    """Extract the archive into `staging`, checking names, manifest and every checksum.

    Returns the manifest. Raises OpsError on anything unexpected; only `staging` is written.
    """
    try:
        with open_archive(path) as tar:
            return _extract(tar, staging)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise OpsError(f"Tệp sao lưu {path} bị hỏng hoặc không đầy đủ: {exc}") from exc


def _extract(tar: tarfile.TarFile, staging: Path) -> dict[str, Any]:
    members: dict[str, tarfile.TarInfo] = {}
    for member in tar.getmembers():
        name = safe_name(member)
        if member.isdir():
            continue
        if name in members:
            raise OpsError(f"Tệp sao lưu chứa hai lần tệp {name!r}.")
        members[name] = member
    if MANIFEST not in members:
        raise OpsError("Tệp sao lưu không có manifest.json.")
    if members[MANIFEST].size > MAX_MANIFEST_BYTES:
        raise OpsError("manifest.json quá lớn.")
    raw = tar.extractfile(members[MANIFEST])
    try:
        manifest = _check_manifest(json.loads(raw.read() if raw else b""))
    except (ValueError, UnicodeDecodeError) as exc:
        raise OpsError(f"manifest.json không đọc được: {exc}") from exc
    expected: dict[str, str] = manifest["files"]
    present = set(members) - {MANIFEST}
    if present - set(expected):
        raise OpsError(f"Tệp không có trong manifest: {sorted(present - set(expected))[:5]}.")
    if set(expected) - present:
        raise OpsError(f"Thiếu tệp ghi trong manifest: {sorted(set(expected) - present)[:5]}.")
    root = staging.resolve()
    for name in sorted(present):
        target = (staging / name).resolve()
        if root not in target.parents:
            raise OpsError(f"Tệp sao lưu chứa đường dẫn không hợp lệ: {name!r}.")
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(members[name])
        if source is None:
            raise OpsError(f"Không đọc được {name!r} trong tệp sao lưu.")
        digest = hashlib.sha256()
        with open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected[name]:
            raise OpsError(f"Mã kiểm tra sha256 của {name!r} không khớp: tệp sao lưu bị hỏng.")
    return manifest
