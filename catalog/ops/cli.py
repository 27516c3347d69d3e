"""`flask --app app ops backup DEST` and `flask --app app ops restore ARCHIVE [--force]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from catalog.ops.errors import OpsError

ops_cli = AppGroup("ops", help="Operating the site: backup and restore.")


@ops_cli.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
def backup_command(dest: Path) -> None:
    """Write one tar.gz (database, uploads, manifest) to DEST (a file or a directory)."""
    from catalog.ops.backup import backup

    try:
        result = backup(current_app, dest)
    except OpsError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(2)
    rows = sum(result.manifest["tables"].values())
    click.echo(
        f"Đã sao lưu vào {result.path}: cơ sở dữ liệu {result.manifest['dialect']} "
        f"({len(result.manifest['tables'])} bảng, {rows} dòng), {result.file_count} tệp."
    )
    if result.manifest["storage"]["kind"] == "s3":
        click.echo(
            f"Ảnh nằm trên S3 (bucket {result.manifest['storage']['bucket']}): không sao lưu."
        )


@ops_cli.command("restore")
@click.argument("archive", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a target that already holds data.")
def restore_command(archive: Path, force: bool) -> None:
    """Restore ARCHIVE into this (stopped) instance, then rebuild the search index."""
    from catalog.ops.restore import restore

    try:
        summary = restore(current_app, archive, force=force)
    except OpsError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(2)
    rows = sum(summary.tables.values())
    click.echo(f"Đã khôi phục cơ sở dữ liệu: {len(summary.tables)} bảng, {rows} dòng.")
    for name, count in sorted(summary.tables.items()):
        click.echo(f"  {name}: {count}")
    for area, count in summary.files.items():
        click.echo(f"Tệp {area}: {count}")
    if summary.indexed is not None:
        click.echo(f"Đã xây lại chỉ mục tìm kiếm: {summary.indexed} sản phẩm.")
    for note in summary.notes:
        click.echo(f"Lưu ý: {note}")
