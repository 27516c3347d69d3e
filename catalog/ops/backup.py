"""`flask ops backup DEST`: one tar.gz with the database, the uploaded files and a manifest.

The database is copied first (a consistent snapshot, see dbdump), then the files: uploads are
written once and never changed in place, so a photo added during the backup is at worst an
extra file the restored database does not mention. The search index is not included: it is
a projection of the database and the restore rebuilds it. When the uploads live in an S3
bucket (CHOVIET_S3_BUCKET) they are not copied: the bucket has its own versioning and
replication, and the manifest records that the files stayed there.
"""

from __future__ import annotations

import json
import os
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask

from catalog.ops import archive, dbdump
from catalog.ops.errors import OpsError
from catalog.ops.migration_heads import app_heads


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def file_count(self) -> int:
        return sum(1 for name in self.manifest["files"] if name.partition("/")[0] in archive.AREAS)


def area_roots(config: Any) -> dict[str, Path]:
    """Where each file area lives on disk (the shared-directory storage)."""
    private = config.get("PRIVATE_DIR") or Path(config["INSTANCE_PATH"]) / "private"
    return {"uploads": Path(config["UPLOADS_DIR"]), "private": Path(private)}


def s3_bucket(config: Any) -> str:
    return str(config.get("S3_BUCKET") or os.environ.get("CHOVIET_S3_BUCKET") or "").strip()


def target_path(dest: Path, now: datetime) -> Path:
    """DEST may be a directory (a dated name is made in it) or the archive's own path."""
    if dest.is_dir():
        dest = dest / f"choviet-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    if dest.exists():
        raise OpsError(f"{dest} đã tồn tại; hãy chọn tên khác (không ghi đè bản sao lưu cũ).")
    if not dest.parent.is_dir():
        raise OpsError(f"Thư mục {dest.parent} không tồn tại.")
    return dest


def backup(app: Flask, dest: Path) -> BackupResult:
    """Write the archive to DEST (atomically: a half-written archive never has its name)."""
    now = datetime.now(UTC)
    path = target_path(Path(dest), now)
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    dialect = dbdump.dialect_of(url)
    db_name = dbdump.ARCHIVE_NAMES[dialect]
    bucket = s3_bucket(app.config)
    partial = path.with_name(f".{path.name}.part-{uuid.uuid4().hex}")
    with tempfile.TemporaryDirectory(prefix=".choviet-backup-", dir=path.parent) as tmp:
        dumped = Path(tmp) / db_name
        counts, revision = dbdump.dump(url, dumped)
        files: dict[str, str] = {}
        try:
            with tarfile.open(partial, "w:gz") as tar:
                files[db_name] = archive.add_file(tar, dumped, db_name) or ""
                if not bucket:
                    for area, root in area_roots(app.config).items():
                        for file_path, key in archive.iter_area_files(root):
                            digest = archive.add_file(tar, file_path, f"{area}/{key}")
                            if digest is not None:
                                files[f"{area}/{key}"] = digest
                manifest = {
                    "format": archive.FORMAT,
                    "version": archive.VERSION,
                    "created_at": now.isoformat(timespec="seconds"),
                    "alembic_revision": revision,
                    "app_alembic_heads": sorted(app_heads()),
                    "dialect": dialect,
                    "database": {"file": db_name, "size": dumped.stat().st_size},
                    "tables": counts,
                    "storage": (
                        {"kind": "s3", "bucket": bucket, "files_included": False}
                        if bucket
                        else {"kind": "directory", "files_included": True}
                    ),
                    "search_index": "not included: `ops restore` rebuilds it from the database",
                    "files": files,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                archive.add_bytes(tar, archive.MANIFEST, body.encode(), now.timestamp())
            with open(partial, "rb") as f:
                os.fsync(f.fileno())
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(path, manifest)
