"""Chợ Việt: the application factory reads like a table of contents."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask, g, request

from catalog.config import MIGRATIONS_DIR, PROJECT_ROOT, load_settings
from catalog.database import configure_engine, mark_read_only, reset_read_only
from catalog.extensions import csrf, db, limiter, migrate
from catalog.serving.request_log import configure_logging


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
    from catalog.web.i18n import init_i18n
    from catalog.web.security import init_security

    init_i18n(app)

    init_security(app)


def register_after_commit(app: Flask) -> None:
    """Apply index changes and send e-mails right after the transaction that queued them."""
    from catalog.database import MAIL_FLAG, OUTBOX_FLAG, on_commit
    from catalog.platform import mail, search_sync

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
        from catalog.platform import search_sync

        search_sync.apply_if_pending()

    @app.teardown_request
    def _reset(_exc: BaseException | None) -> None:
        token = g.pop("_read_only_token", None)
        if token is not None:
            reset_read_only(token)


# The routes' table of contents: every feature's view modules, by audience. Importing one
# registers its routes on its audience's blueprint (catalog.web.blueprints).
VIEW_MODULES = (
    "catalog.catalogue.public_views",
    "catalog.catalogue.search_views",
    "catalog.catalogue.seo_views",
    "catalog.catalogue.open_data_views",
    "catalog.catalogue.media_views",
    "catalog.catalogue.api_views",
    "catalog.catalogue.api_product_views",
    "catalog.catalogue.openapi",
    "catalog.listings.producer_views",
    "catalog.listings.producer_listing_views",
    "catalog.review.official_views",
    "catalog.listings.official_views",
    "catalog.review.official_queue_views",
    "catalog.trust.official_views",
    "catalog.trust.public_views",
    "catalog.orders.public_views",
    "catalog.orders.producer_views",
    "catalog.complaints.public_views",
    "catalog.complaints.official_views",
    "catalog.promotion.public_views",
    "catalog.promotion.official_views",
    "catalog.promotion.official_story_views",
    "catalog.promotion.preview_views",
    "catalog.imports.official_views",
    "catalog.onboarding.official_views",
    "catalog.onboarding.account_views",
    "catalog.accounts.account_views",
    "catalog.accounts.settings_views",
    "catalog.accounts.admin_views",
    "catalog.reports.official_views",
    "catalog.audit_log.official_views",
    "catalog.labels.public_views",
    "catalog.labels.producer_views",
)


def register_blueprints(app: Flask) -> None:
    from catalog.web.converters import init_converters

    init_converters(app)  # first: every <int:…> rule gets the bounded converter
    for module in VIEW_MODULES:
        import_module(module)
    from .web import blueprints

    for blueprint in (
        blueprints.public,
        blueprints.account,
        blueprints.producer,
        blueprints.official,
        blueprints.api,
    ):
        app.register_blueprint(blueprint)


def register_template_helpers(app: Flask) -> None:
    from catalog.web.templating import init_templating

    init_templating(app)


def register_error_pages(app: Flask) -> None:
    from catalog.web.error_pages import init_error_pages

    init_error_pages(app)


def register_serving(app: Flask) -> None:
    from catalog.serving import init_serving

    init_serving(app)


def register_ops(app: Flask) -> None:
    from catalog.ops import init_ops

    init_ops(app)


def register_commands(app: Flask) -> None:
    from catalog.cli import init_cli

    init_cli(app)
