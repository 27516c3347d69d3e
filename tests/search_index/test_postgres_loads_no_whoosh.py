"""A PostgreSQL-backed process never loads Whoosh: the engine-neutral query parsing and
weights live in search_index/query.py and weights.py, and the app reaches the Whoosh
backend only through get_backend when it is configured.

Checked in a fresh interpreter, since this test session has long imported Whoosh: it
creates the app on a PostgreSQL database with SEARCH_BACKEND=postgres, imports a product
(whose commit syncs the index), runs `flask search sync`, `rebuild` and `check`, serves a
search page and an API search, then lists the Whoosh modules it has loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from tests import databases, services

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
from pathlib import Path

from flask_migrate import upgrade

from catalog.imports.imports import import_csv
from catalog.platform import geo
from tests.conftest import close_app, make_app
from tests.helpers import csv_bytes, row

instance, url = Path(sys.argv[1]), sys.argv[2]
app = make_app(instance, SQLALCHEMY_DATABASE_URI=url, SEARCH_BACKEND="postgres")
with app.app_context():
    upgrade()
    geo.ensure_reference_data()
    [product_id] = import_csv(csv_bytes(row())).product_ids
    runner = app.test_cli_runner()
    synced = runner.invoke(args=["search", "sync"])
    rebuilt = runner.invoke(args=["search", "rebuild"])
    checked = runner.invoke(args=["search", "check"])
    client = app.test_client()
    page = client.get("/tim-kiem?q=vai+thieu")
    api = client.get("/api/v1/products?q=vai+thieu")
    answer = {
        "product_id": product_id,
        "sync": [synced.exit_code, synced.output],
        "rebuild": [rebuilt.exit_code, rebuilt.output],
        "check": [checked.exit_code, checked.output],
        "page": [page.status_code, "<mark>thiều</mark>" in page.get_data(as_text=True)],
        "api": [api.status_code, [item["id"] for item in api.get_json()["items"]]],
        "whoosh": sorted(
            name
            for name in sys.modules
            if name == "whoosh"
            or name.startswith("whoosh.")
            or name.startswith("search_index.whoosh")
        ),
    }
    close_app(app)
print(json.dumps(answer))
"""


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty database on the PostgreSQL test server; dropped afterwards."""
    server = databases.SERVER_URL or services.postgres_server_url()
    name = f"choviet_nowhoosh_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.slow
def test_a_postgres_backed_app_imports_no_whoosh(pg_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "FLASK_SKIP_DOTENV": "1"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path), pg_url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert [answer[step][0] for step in ("sync", "rebuild", "check")] == [0, 0, 0], answer
    assert answer["page"] == [200, True], answer
    assert answer["api"] == [200, [answer["product_id"]]], answer
    assert answer["whoosh"] == []
