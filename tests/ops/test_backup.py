"""`flask ops backup` / `flask ops restore`: a populated instance is backed up and restored
into a fresh one (a new directory; on PostgreSQL a new database), then compared row by row,
file by file and search by search. Bad archives are refused and change nothing."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from catalog.extensions import db
from catalog.ops import dbdump
from catalog.platform import search_sync
from tests import databases
from tests.conftest import close_app, make_app
from tests.listings.support import draft, found, owner, published
from tests.orders.support import add, checkout, product_url, shop, tokens_of

NAMES = ("Trà hoa vàng Ba Chẽ", "Miến dong Nguyên Bình", "Mật ong bạc hà Đồng Văn")


def _populate(app: Flask) -> dict[str, int]:
    """Producers, published products with photos, a draft, an order, mails, audit entries
    and a private file; returns {product name: id} of the published ones."""
    ids = {name: published(owner(), name).id for name in NAMES}
    draft(owner(), "Bánh cuốn Cao Bằng", photos=2)
    client = app.test_client()
    product, _ = shop("Hạt dẻ Trùng Khánh", "HTX Hạt dẻ Trùng Khánh")
    ids[product.name] = product.id
    assert add(client, product).status_code in (302, 303)
    assert tokens_of(checkout(client, product_url(product)))  # the order-sent page
    private = Path(app.config.get("PRIVATE_DIR") or Path(app.instance_path) / "private")
    (private / "imports").mkdir(parents=True, exist_ok=True)
    (private / "imports" / "cao-bang.csv").write_bytes("Tên,Tỉnh\nChè,Cao Bằng\n".encode())
    db.session.commit()
    search_sync.close_backend(app)
    return ids


def _rows(url: str) -> dict[str, list[str]]:
    """Every row of every table, as sorted text (comparable across two databases)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {
                name: sorted(
                    repr(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{name}"'))
                )
                for name in inspect(conn).get_table_names()
            }
    finally:
        engine.dispose()


def _version(rows: dict[str, list[str]]) -> str:
    """The site_version counter from _rows' text of its single (id, value) row."""
    (row,) = rows["site_version"]
    return row.strip("()").split(",")[1]


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _areas(application: Flask) -> dict[str, dict[str, str]]:
    config = application.config
    private = Path(config.get("PRIVATE_DIR") or Path(application.instance_path) / "private")
    return {"uploads": _files(Path(config["UPLOADS_DIR"])), "private": _files(private)}


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Flask]:
    """A fresh instance: an empty directory and, on PostgreSQL, a new empty database."""
    instance = tmp_path / "fresh"
    instance.mkdir()
    databases.create(instance)
    application = make_app(instance)
    yield application
    with application.app_context():
        close_app(application)
    databases.drop(instance)


def _backup(app: Flask, dest: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["ops", "backup", str(dest)])
    assert result.exit_code == 0, result.output
    [archive] = list(dest.glob("choviet-backup-*.tar.gz"))
    return archive


def _restore(target: Flask, archive: Path, *extra: str):  # type: ignore[no-untyped-def]
    with target.app_context():
        return target.test_cli_runner().invoke(args=["ops", "restore", str(archive), *extra])


def test_backup_then_restore_into_a_fresh_instance_gives_the_same_site(app, fresh, tmp_path):
    ids = _populate(app)
    source_url = app.config["SQLALCHEMY_DATABASE_URI"]
    dest = tmp_path / "backups"
    dest.mkdir()
    archive = _backup(app, dest)

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["dialect"] == dbdump.dialect_of(source_url)
    assert manifest["alembic_revision"] in manifest["app_alembic_heads"]
    assert manifest["tables"]["products"] == 5
    assert manifest["tables"]["order_requests"] == 1
    assert not any(name.startswith("search") for name in names)  # the index is rebuilt
    uploads = [n for n in names if n.startswith("uploads/")]
    assert len(uploads) >= 5 and "private/imports/cao-bang.csv" in names
    assert set(manifest["files"]) == set(names) - {"manifest.json"}

    result = _restore(fresh, archive)
    assert result.exit_code == 0, result.output
    assert "Đã xây lại chỉ mục tìm kiếm: 4 sản phẩm." in result.output

    target_url = fresh.config["SQLALCHEMY_DATABASE_URI"]
    assert target_url != source_url
    assert dbdump.table_counts(target_url) == dbdump.table_counts(source_url)
    source_rows, target_rows = _rows(source_url), _rows(target_url)
    for table in (
        "users",
        "producers",
        "products",
        "product_images",
        "order_requests",
        "order_items",
        "audit_entries",
        "mail_messages",
    ):
        assert source_rows[table], table
        assert target_rows[table] == source_rows[table], table
    # The page cache's version counter is the one row that must differ: the restore's own
    # index rebuild is a write, and every write bumps it, so no process serves a page cached
    # from before the restore.
    assert int(_version(target_rows)) > int(_version(source_rows))
    for rows in (source_rows, target_rows):
        rows.pop("site_version")
    assert target_rows == source_rows
    assert _areas(fresh) == _areas(app)
    with fresh.app_context():
        for name, product_id in ids.items():
            assert product_id in found(name), name
        assert search_sync.check().clean


def test_restore_refuses_a_target_with_data_unless_forced(app, fresh, tmp_path):
    _populate(app)
    archive = _backup(app, tmp_path)
    assert _restore(fresh, archive).exit_code == 0
    target_url = fresh.config["SQLALCHEMY_DATABASE_URI"]
    before = _rows(target_url)

    refused = _restore(fresh, archive)
    assert refused.exit_code == 2
    assert "Máy đích đã có dữ liệu" in refused.output and "--force" in refused.output
    assert _rows(target_url) == before

    forced = _restore(fresh, archive, "--force")
    assert forced.exit_code == 0, forced.output
    assert _rows(target_url) == before


# -- bad archives --------------------------------------------------------------------------


def _rewrite(archive: Path, out: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """Copy `archive` member by member through `change(name, data) -> [(name, data)]`."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            for name, body in change(member.name, data):
                info = tarfile.TarInfo(name)
                info.size = len(body)
                dst.addfile(info, io.BytesIO(body))
    return out


def _not_a_tar(archive: Path, out: Path) -> Path:
    out.write_bytes(b"PK\x03\x04 this is a zip, not a backup" * 50)
    return out


def _truncated(archive: Path, out: Path) -> Path:
    out.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return out


def _without_manifest(archive: Path, out: Path) -> Path:
    return _rewrite(archive, out, lambda n, d: [] if n == "manifest.json" else [(n, d)])


def _tampered_photo(archive: Path, out: Path) -> Path:
    state = {"done": False}

    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name.startswith("uploads/") and not state["done"]:
            state["done"] = True
            return [(name, data[:-1] + bytes([data[-1] ^ 1]))]
        return [(name, data)]

    return _rewrite(archive, out, change)


def _tampered_database(archive: Path, out: Path) -> Path:
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        return [(name, data + b"\0" if name.startswith("database.") else data)]

    return _rewrite(archive, out, change)


def _traversal(archive: Path, out: Path) -> Path:
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        extra = [("uploads/../../evil.txt", b"owned")] if name == "manifest.json" else []
        return [(name, data), *extra]

    return _rewrite(archive, out, change)


def _absolute(archive: Path, out: Path) -> Path:
    evil = out.parent / "evil.txt"

    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        extra = [(str(evil), b"owned")] if name == "manifest.json" else []
        return [(name, data), *extra]

    return _rewrite(archive, out, change)


def _symlink(archive: Path, out: Path) -> Path:
    _rewrite(archive, out, lambda n, d: [(n, d)])
    with tarfile.open(out) as src:
        members = [(m, src.extractfile(m).read()) for m in src.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(out, "w:gz") as dst:
        for member, data in members:
            dst.addfile(member, io.BytesIO(data))
        link = tarfile.TarInfo("uploads/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        dst.addfile(link)
    return out


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_not_a_tar, "không phải là tệp sao lưu"),
        (_truncated, "bị hỏng"),
        (_without_manifest, "không có manifest.json"),
        (_tampered_photo, "sha256"),
        (_tampered_database, "sha256"),
        (_traversal, "đường dẫn không hợp lệ"),
        (_absolute, "đường dẫn không hợp lệ"),
        (_symlink, "liên kết"),
    ],
)
def test_a_bad_archive_is_refused_and_changes_nothing(app, fresh, tmp_path, spoil, message):
    _populate(app)
    good = _backup(app, tmp_path)
    bad_dir = tmp_path / "bad" / "deeper"
    bad_dir.mkdir(parents=True)
    bad = spoil(good, bad_dir / "backup.tar.gz")
    target_url = fresh.config["SQLALCHEMY_DATABASE_URI"]
    before_rows = dbdump.table_counts(target_url)
    before_files = _areas(fresh)

    result = _restore(fresh, bad)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert dbdump.table_counts(target_url) == before_rows
    assert _areas(fresh) == before_files
    assert not list(tmp_path.rglob("evil.txt"))
    assert not [p for p in Path(fresh.instance_path).iterdir() if p.name.startswith(".choviet")]


def test_backup_never_overwrites_an_archive(app, tmp_path):
    _populate(app)
    target = tmp_path / "one.tar.gz"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["ops", "backup", str(target)]).exit_code == 0
    again = runner.invoke(args=["ops", "backup", str(target)])
    assert again.exit_code == 2 and "đã tồn tại" in again.output
