"""Chợ Việt: the application factory reads like a table of contents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, g, request

from .config import PROJECT_ROOT, load_settings
from .database import configure_engine, mark_read_only, reset_read_only
from .extensions import csrf, db, limiter, migrate
from .serving.request_log import configure_logging

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    settings = load_settings(config)
    app = Flask(
        __name__,
        instance_path=str(settings["INSTANCE_PATH"]),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings)
    for folder in (app.instance_path, settings["UPLOADS_DIR"]):
        Path(folder).mkdir(parents=True, exist_ok=True)
    configure_logging(app)

    register_extensions(app)
    register_after_commit(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_error_pages(app)
    register_commands(app)
    register_serving(app)
    register_ops(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    csrf.init_app(app)
    limiter.init_app(app)
    from .i18n import init_i18n
    from .security import init_security

    init_i18n(app)

    init_security(app)


def register_after_commit(app: Flask) -> None:
    """Apply index changes and send e-mails right after the transaction that queued them."""
    from .database import MAIL_FLAG, OUTBOX_FLAG, on_commit
    from .services import mail, search_sync

    on_commit(OUTBOX_FLAG, search_sync.apply_pending_quietly)
    on_commit(MAIL_FLAG, mail.deliver_pending_quietly)


def register_request_hooks(app: Flask) -> None:
    @app.before_request
    def _read_only_for_safe_methods() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            g._read_only_token = mark_read_only(True)

    @app.before_request
    def _apply_leftover_outbox() -> None:
        if request.endpoint in ("static", "healthz"):  # /healthz reports the lag, untouched
            return
        from .services import search_sync

        search_sync.apply_if_pending()

    @app.teardown_request
    def _reset(_exc: BaseException | None) -> None:
        token = g.pop("_read_only_token", None)
        if token is not None:
            reset_read_only(token)


def register_blueprints(app: Flask) -> None:
    from .account import bp as account_bp
    from .api import bp as api_bp
    from .official import bp as official_bp
    from .producer import bp as producer_bp
    from .public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(producer_bp)
    app.register_blueprint(official_bp)
    app.register_blueprint(api_bp)


def register_template_helpers(app: Flask) -> None:
    from .templating import init_templating

    init_templating(app)


def register_error_pages(app: Flask) -> None:
    from .errors import init_error_pages

    init_error_pages(app)


def register_serving(app: Flask) -> None:
    from .serving import init_serving

    init_serving(app)


def register_ops(app: Flask) -> None:
    from .ops import init_ops

    init_ops(app)


def register_commands(app: Flask) -> None:
    from .cli import init_cli

    init_cli(app)
