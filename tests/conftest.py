"""Fixtures: an app on a temporary directory, migrated with Alembic.

Migrating takes a moment, so one migrated database (with the reference provinces and OCOP
groups) is made per session and cloned for every test; the demo catalogue is seeded once
into its own instance for read-only page tests.

The suite runs on SQLite by default. With CHOVIET_TEST_DATABASE_URL set to a PostgreSQL
server (`make test` does it for its second pass) every test app gets its own PostgreSQL
database instead, cloned from a migrated template database; CHOVIET_TEST_SEARCH_BACKEND
chooses the search backend the same way (whoosh by default).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, g
from flask_migrate import upgrade

from catalog import create_app
from catalog.demo import demo
from catalog.platform import geo, search_sync
from tests import databases

SEARCH_BACKEND = os.environ.get("CHOVIET_TEST_SEARCH_BACKEND", "whoosh")


def make_app(instance: Path, **overrides: object) -> Flask:
    """A test app on `instance`; its database is databases.url_for(instance)."""
    settings: dict[str, object] = {
        "INSTANCE_PATH": instance,
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": databases.url_for(instance),
        "UPLOADS_DIR": instance / "uploads",
        "SEARCH_INDEX_DIR": instance / "search",
        "SEARCH_BACKEND": SEARCH_BACKEND,
    }
    settings.update(overrides)
    application = create_app(settings)
    application.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
    return application


def _fresh_g() -> None:
    """Tests keep one app context open, and Flask reuses it for every test-client request,
    so `g` would carry the signed-in user (Flask-Login) and the CSRF token (Flask-WTF) from
    one request, or one client, into the next. In production each request has its own."""
    for name in list(vars(g)):
        delattr(g, name)


def close_app(application: Flask) -> None:
    """Release every connection the app holds, so its database can be cloned or dropped."""
    from catalog.extensions import db

    db.session.remove()
    db.engine.dispose()
    search_sync.close_backend(application)


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The instance directory whose database is migrated and holds the reference data;
    clone it with databases.clone(migrated_db, instance)."""
    instance = tmp_path_factory.mktemp("template")
    databases.create(instance)
    app = make_app(instance)
    with app.app_context():
        upgrade()
        geo.ensure_reference_data()
        close_app(app)
    databases.keep_spares(instance)
    yield instance
    databases.drop(instance)


@pytest.fixture
def app(tmp_path: Path, migrated_db: Path) -> Iterator[Flask]:
    databases.clone(migrated_db, tmp_path)
    application = make_app(tmp_path)
    with application.app_context():
        yield application
        close_app(application)
    databases.drop(tmp_path)


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory: pytest.TempPathFactory, migrated_db: Path) -> Iterator[Flask]:
    """An app with the whole demo catalogue loaded. Tests using it must not write."""
    instance = tmp_path_factory.mktemp("demo")
    databases.clone(migrated_db, instance)
    application = make_app(instance)
    with application.app_context():
        demo.seed_demo()
        search_sync.apply_pending()
        from catalog.extensions import db

        db.session.remove()
    yield application
    with application.app_context():
        close_app(application)
    databases.drop(instance)


@pytest.fixture
def demo_client(demo_app: Flask):  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        yield demo_app.test_client()


@pytest.fixture
def login_as(app: Flask, client):  # type: ignore[no-untyped-def]
    """login_as(user) or login_as("producer"/"official"/"admin"): signs the test client in
    (Flask-Login session keys) and returns the user."""
    from tests.factories import create_user

    def _login(who):  # type: ignore[no-untyped-def]
        user = create_user(who) if isinstance(who, str) else who
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return _login


# Helpers whose presence in a test's body makes it a browser or HTML-validity page check.
PAGE_CHECK_HELPERS = ("browser_page_problems", "html_problems", "live_browser", "open_page(")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by what they exercise, so `make test` can choose per pass (see Makefile):
    `page_checks` (axe, phone widths, the Nu checker: they check rendered HTML and CSS) and
    `no_database` (tests that never open a database: nothing differs on PostgreSQL)."""
    import inspect

    for item in items:
        function = getattr(item, "function", None)
        try:
            source = inspect.getsource(function) if function else ""
        except (OSError, TypeError):
            source = ""
        if any(helper in source for helper in PAGE_CHECK_HELPERS):
            item.add_marker(pytest.mark.page_checks)
        if "migrated_db" not in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.no_database)
        if "demo_app" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.demo_pages)
    # Long modules first: xdist hands out whole modules in this order, so the last minutes
    # are not one long module running while the other worker idles.
    heavy = ("slow", "page_checks", "gunicorn", "browser")
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in heavy))
