"""Code run in separate processes by test_concurrency (spawned: module-level functions)."""

from __future__ import annotations

import os
from pathlib import Path

from catalog import create_app
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Product
from tests import databases


def make_worker_app(instance: Path):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "INSTANCE_PATH": instance,
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": databases.url_for(instance),
            "SEARCH_BACKEND": os.environ.get("CHOVIET_TEST_SEARCH_BACKEND", "whoosh"),
            "UPLOADS_DIR": instance / "uploads",
            "SEARCH_INDEX_DIR": instance / "search",
        }
    )


def increment_price(instance: str, product_id: int, times: int) -> int:
    """Read-then-update in a loop, as a view or service would; returns errors seen."""
    app = make_worker_app(Path(instance))
    errors = 0
    with app.app_context():
        for _ in range(times):
            try:
                with write_transaction():
                    product = db.session.get(Product, product_id)
                    product.price_vnd = (product.price_vnd or 0) + 1
            except Exception:  # noqa: BLE001 - counted and reported by the test
                errors += 1
            db.session.expire_all()
        db.session.remove()
    return errors
