"""`flask ops restore ARCHIVE`: bring a backup back into this instance.

Everything that can be checked is checked before anything changes: the archive is extracted
into a staging directory inside the instance, every name and sha256 is verified against the
manifest, the dialect and Alembic revision must suit this app, and the target must be empty
(only reference data) unless --force. Then the database is put in place (SQLite: a copy
renamed over the file; PostgreSQL: pg_restore in one transaction), each file area is swapped
in with a rename, and the search index is rebuilt from the restored database. Run it with the
site stopped.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask

from catalog.extensions import db
from catalog.ops import archive, dbdump
from catalog.ops.backup import area_roots, s3_bucket
from catalog.ops.errors import OpsError
from catalog.ops.migration_heads import app_heads, known_revision
from catalog.ops.startup import clear_whoosh_index
from catalog.platform import search_sync


@dataclass(frozen=True)
class RestoreSummary:
    tables: dict[str, int]
    files: dict[str, int]
    indexed: int | None
    revision: str | None
    notes: tuple[str, ...]


def _check_compatible(manifest: dict[str, Any], url: str) -> None:
    dialect = dbdump.dialect_of(url)
    if manifest.get("dialect") != dialect:
        raise OpsError(
            f"Bản sao lưu là của {manifest.get('dialect')}, còn máy này dùng {dialect}: "
            "chỉ khôi phục được vào cùng loại cơ sở dữ liệu."
        )
    if manifest["database"]["file"] != dbdump.ARCHIVE_NAMES[dialect]:
        raise OpsError("Tệp cơ sở dữ liệu trong bản sao lưu không đúng loại.")
    if not known_revision(manifest.get("alembic_revision")):
        raise OpsError(
            f"Bản sao lưu có phiên bản lược đồ {manifest.get('alembic_revision')!r} mà phiên bản "
            "ứng dụng này không biết (bản sao lưu từ phiên bản mới hơn?): hãy cập nhật ứng dụng."
        )


def _check_empty(app: Flask, url: str) -> None:
    problems = [
        f"bảng {name}: {n} dòng" for name, n in sorted(dbdump.non_empty_tables(url).items())
    ]
    for area, root in area_roots(app.config).items():
        count = sum(1 for _ in archive.iter_area_files(root))
        if count:
            problems.append(f"thư mục {area} ({root}): {count} tệp")
    if problems:
        raise OpsError(
            "Máy đích đã có dữ liệu (" + "; ".join(problems[:8]) + "). Khôi phục sẽ ghi đè "
            "toàn bộ: nếu chắc chắn, chạy lại với --force."
        )


def _release_connections(app: Flask) -> None:
    db.session.remove()
    db.engine.dispose()
    search_sync.close_backend(app)


def _swap_in(staged: Path, root: Path) -> None:
    """Replace the directory `root` by `staged`; the old one is deleted only after."""
    staged.mkdir(parents=True, exist_ok=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    old = root.with_name(f".{root.name}.before-restore-{uuid.uuid4().hex[:8]}")
    if root.exists():
        os.rename(root, old)
    try:
        shutil.move(str(staged), str(root))
    except BaseException:
        if old.exists() and not root.exists():
            os.rename(old, root)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _rebuild_index(app: Flask) -> int:
    if str(app.config.get("SEARCH_BACKEND") or "whoosh").lower() == "whoosh":
        clear_whoosh_index(Path(app.config["SEARCH_INDEX_DIR"]))
    search_sync.close_backend(app)
    return search_sync.rebuild()


def restore(app: Flask, archive_path: Path, *, force: bool = False) -> RestoreSummary:
    """Restore ARCHIVE into this instance (the caller holds an app context)."""
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".choviet-restore-", dir=instance))
    notes: list[str] = []
    try:
        manifest = archive.extract_verified(Path(archive_path), staging)
        _check_compatible(manifest, url)
        _release_connections(app)
        if not force:
            _check_empty(app, url)
        # -- from here on the instance changes --
        _release_connections(app)
        dbdump.restore(url, staging / manifest["database"]["file"])
        files: dict[str, int] = {}
        if manifest["storage"].get("files_included", True):
            if s3_bucket(app.config):
                notes.append(
                    "Máy này lưu ảnh trên S3: các tệp trong bản sao lưu được đặt vào thư mục "
                    "cục bộ, hãy chép chúng lên bucket (xem docs/operations.md)."
                )
            for area, root in area_roots(app.config).items():
                staged = staging / area
                files[area] = sum(1 for _ in archive.iter_area_files(staged))
                _swap_in(staged, root)
        else:
            bucket = manifest["storage"].get("bucket")
            notes.append(f"Ảnh không nằm trong bản sao lưu: chúng vẫn ở bucket S3 {bucket!r}.")
        counts, revision = dbdump.table_counts(url)
        if counts != manifest["tables"]:
            differ = sorted(
                name
                for name in set(counts) | set(manifest["tables"])
                if counts.get(name) != manifest["tables"].get(name)
            )
            raise OpsError(f"Số dòng sau khi khôi phục khác bản sao lưu ở các bảng: {differ}.")
        indexed: int | None = None
        if revision in app_heads():
            indexed = _rebuild_index(app)
        else:
            notes.append(
                "Lược đồ cơ sở dữ liệu cũ hơn ứng dụng: chạy `flask --app app db upgrade` rồi "
                "`flask --app app search rebuild`."
            )
        return RestoreSummary(counts, files, indexed, revision, tuple(notes))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        db.session.remove()
