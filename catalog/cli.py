"""`flask --app app ...` commands: catalogue loading, search maintenance, mail outbox."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from catalog.demo import demo
from catalog.imports.import_files import ImportFileError
from catalog.imports.imports import ImportReport, import_file
from catalog.platform import geo, mail, search_sync

catalog_cli = AppGroup("catalog", help="Load and maintain the catalogue.")
search_cli = AppGroup("search", help="Keep the search index in step with the database.")
mail_cli = AppGroup("mail", help="E-mails the application sends (the mail outbox).")


def _print_report(report: ImportReport, dry_run: bool) -> None:
    verb = "sẽ" if dry_run else "đã"
    click.echo(
        f"{report.rows} dòng: {verb} tạo {report.products_created} sản phẩm, "
        f"cập nhật {report.products_updated}, không đổi {report.products_unchanged}; "
        f"{verb} tạo {report.producers_created} chủ thể, cập nhật {report.producers_updated}; "
        f"{len(report.rejected_lines)} dòng bị từ chối."
    )
    for error in report.errors:
        click.echo(f"  dòng {error.line}, cột {error.column}: {error.reason}", err=True)


@catalog_cli.command("init-reference")
def init_reference() -> None:
    """Load the 34 provinces, their old names and the six OCOP groups."""
    wrote = geo.ensure_reference_data()
    click.echo("Đã nạp dữ liệu tham chiếu." if wrote else "Dữ liệu tham chiếu đã có sẵn.")


@catalog_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when products already exist.")
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo catalogue through the importer and generate its product cards."""
    geo.ensure_reference_data()
    if if_empty and not demo.catalogue_is_empty():
        click.echo("Danh mục đã có dữ liệu; bỏ qua dữ liệu mẫu.")
        return
    report = demo.seed_demo()
    _print_report(report, dry_run=False)
    search_sync.apply_pending()
    if not report.ok:
        sys.exit(1)


@catalog_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and report without writing.")
def import_command(path: Path, dry_run: bool) -> None:
    """Import an OCOP list (UTF-8 CSV or XLSX with the documented columns)."""
    geo.ensure_reference_data()
    file_format = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    try:
        report = import_file(path, file_format, dry_run=dry_run)
    except ImportFileError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(2)
    _print_report(report, dry_run)
    if not dry_run:
        search_sync.apply_pending()
    if not report.ok:
        sys.exit(1)


@search_cli.command("sync")
def sync_command() -> None:
    """Apply pending index changes (left by a crash, or queued while the index was busy)."""
    applied = search_sync.apply_pending()
    click.echo(f"Đã áp dụng {applied} thay đổi vào chỉ mục tìm kiếm.")


@search_cli.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the index from the database into a new directory and swap it in."""
    count = search_sync.rebuild()
    click.echo(f"Đã xây lại chỉ mục: {count} sản phẩm.")


@search_cli.command("check")
def check_command() -> None:
    """Report drift between the database and the index; exit 1 when there is any."""
    drift = search_sync.check()
    pending = search_sync.pending_count()
    if drift.clean:
        click.echo(f"Chỉ mục khớp với cơ sở dữ liệu ({pending} thay đổi đang chờ).")
        return
    if drift.outdated:
        click.echo("Chỉ mục được xây theo lược đồ cũ: cần xây lại (search rebuild).")
    click.echo(f"Thiếu trong chỉ mục: {sorted(drift.missing)}")
    click.echo(f"Thừa trong chỉ mục: {sorted(drift.extra)}")
    click.echo(f"Thay đổi đang chờ: {pending}")
    sys.exit(1)


@mail_cli.command("outbox")
@click.option("--unsent", is_flag=True, help="Only messages not sent yet.")
@click.option("--limit", default=20, show_default=True, help="How many of the latest.")
def outbox_command(unsent: bool, limit: int) -> None:
    """Print the latest stored e-mails (to, subject, body), newest last."""
    messages = mail.outbox(limit, unsent=unsent)
    if not messages:
        click.echo("Hộp thư đi trống.")
        return
    for message in messages:
        if message.sent_at is not None:
            status = f"đã gửi {message.sent_at:%Y-%m-%d %H:%M} UTC"
        elif message.error:
            status = f"gửi lỗi: {message.error}"
        else:
            status = "chưa gửi"
        click.echo(f"=== #{message.id} · {message.created_at:%Y-%m-%d %H:%M} UTC · {status}")
        click.echo(f"Đến: {message.to}")
        click.echo(f"Tiêu đề: {message.subject}")
        click.echo("")
        click.echo(message.body)
        click.echo("")


users_cli = AppGroup("users", help="Staff accounts: trade officials and administrators.")


@users_cli.command("create")
@click.option("--email", required=True, help="The official's e-mail address.")
@click.option("--role", type=click.Choice(["official", "admin"]), default="official")
@click.option(
    "--province", "provinces", multiple=True, help="A province the official covers (repeatable)."
)
def create_user_command(email: str, role: str, provinces: tuple[str, ...]) -> None:
    """Create an official (scoped to provinces) or an admin; e-mails a link to set a password."""
    from flask import current_app

    from catalog.accounts.users import UserError, create_staff

    # Links in the e-mail are built like in a request to the public site address.
    with current_app.test_request_context(base_url=current_app.config["SITE_URL"]):
        try:
            user = create_staff(email, role, list(provinces))
        except UserError as exc:
            click.echo(f"Lỗi: {exc}", err=True)
            sys.exit(2)
    scope = ", ".join(p.name for p in user.provinces) or "toàn quốc"
    click.echo(
        f"Đã tạo tài khoản {user.email} ({role}; {scope}). Liên kết đặt mật khẩu đã được gửi "
        "(xem bằng `flask --app app mail outbox` khi chưa cấu hình SMTP)."
    )


@users_cli.command("set-password")
@click.argument("email")
@click.password_option("--password", prompt="Mật khẩu mới", help="Asked for when not given.")
def set_password_command(email: str, password: str) -> None:
    """Set an account's password directly (e.g. a demo producer, whose .invalid address gets no
    reset link). Signs that account out everywhere."""
    from catalog.accounts.accounts import AccountError, set_password_by_operator

    try:
        user = set_password_by_operator(email, password)
    except AccountError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(2)
    click.echo(f"Đã đặt mật khẩu mới cho {user.email}. Đăng nhập tại /tai-khoan/dang-nhap.")


certificates_cli = AppGroup("certificates", help="OCOP certificates: follow-up as time passes.")


@certificates_cli.command("refresh")
def certificates_refresh_command() -> None:
    """Re-index products whose certificate expired since they were indexed. Run daily."""
    from catalog.certificates import expiry

    queued = expiry.refresh()
    applied = search_sync.apply_pending()
    click.echo(f"Đã đưa {queued} sản phẩm vào hàng chờ; đã áp dụng {applied} thay đổi.")


officials_cli = AppGroup("officials", help="Trade officials' routine jobs.")


@officials_cli.command("digest")
@click.option("--force", is_flag=True, help="Send even to officials digested in the last 20 h.")
def digest_command(force: bool) -> None:
    """E-mail each official and admin a summary of what waits for them (run daily)."""
    from catalog.review.digest import send_digests

    run = send_digests(force=force)
    click.echo(
        f"Đã gửi {len(run.sent)} thư tóm tắt; bỏ qua {len(run.recent)} người đã nhận trong "
        f"20 giờ qua và {len(run.nothing)} người không có việc chờ."
    )
    for email in run.sent:
        click.echo(f"  → {email}")


def init_cli(app: Flask) -> None:
    app.cli.add_command(catalog_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(officials_cli)
    app.cli.add_command(certificates_cli)
