"""The Whoosh index deleted or damaged while the site runs: search keeps answering from the
database (public products only), /healthz says "degraded", one warning is logged, the index
is rebuilt in the background and then serves search again. Nothing written meanwhile is lost.

The background rebuild is held at a gate (an Event) so that the degraded state can be looked
at, then released and joined: no timing in these tests.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog.catalogue import search as search_service
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.imports.imports import import_csv
from catalog.models import IndexOutbox, Product
from catalog.platform import outbox, search_repair, search_sync
from search_index import SearchQuery
from search_index.generations import Generations
from tests.conftest import SEARCH_BACKEND
from tests.helpers import csv_bytes, row

whoosh_only = pytest.mark.skipif(
    SEARCH_BACKEND != "whoosh", reason="only the Whoosh index lives in a directory"
)
HEALTHZ = "/healthz"


@pytest.fixture
def catalogue(app) -> dict[str, int]:
    """Two public products and a hidden one that would match the same words."""
    report = import_csv(
        csv_bytes(
            row(),
            row(product_name="Nhãn lồng Hưng Yên", province="Hưng Yên"),
            row(product_name="Vải thiều sấy khô", producer_name="HTX Ẩn"),
        )
    )
    lychee, longan, hidden = report.product_ids
    with write_transaction():
        db.session.get(Product, hidden).status = "hidden"
        outbox.record([hidden], "hidden")
    assert searched("vai thieu").page.ids == [lychee]
    return {"lychee": lychee, "longan": longan, "hidden": hidden}


@pytest.fixture
def gate(app, monkeypatch) -> Iterator[threading.Event]:
    """Hold the background rebuild until the test sets the event; joined at the end."""
    opened = threading.Event()
    real = search_sync.repair

    def gated() -> bool:
        assert opened.wait(60), "the test never opened the gate"
        return real()

    monkeypatch.setattr(search_sync, "repair", gated)
    yield opened
    db.session.rollback()
    opened.set()
    assert search_repair.wait(app, 60)


def searched(text: str):
    """The search service's answer, the test's own transaction ended after it (outside a
    request a read begins a write transaction on SQLite, which would hold up the rebuild)."""
    results = search_service.run_search(SearchQuery(text=text))
    db.session.rollback()
    return results


def index_dir(app) -> Path:
    return Path(app.config["SEARCH_INDEX_DIR"])


def corrupt_toc(app) -> None:
    live = index_dir(app) / str(Generations(index_dir(app)).current())
    for toc in live.glob("*.toc"):
        toc.write_bytes(b"\x00not a table of contents")


def health(client) -> dict:
    response = client.get(HEALTHZ)
    assert response.status_code == 200  # degraded keeps the host in rotation
    return response.get_json()


def assert_served_from_database(client, catalogue) -> None:
    results = searched("vai thieu")
    assert results.source == "database"
    assert [p.id for p in results.products] == [catalogue["lychee"]]  # never the hidden one
    assert {f.value for f in results.facets["province"]} == {"bac-ninh"}
    page = client.get("/tim-kiem?q=vai+thieu")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Lục Ngạn" in html and "sấy khô" not in html
    api = client.get("/api/v1/products?q=nhan+long")
    assert api.status_code == 200
    assert [item["id"] for item in api.get_json()["items"]] == [catalogue["longan"]]
    suggestions = client.get("/api/v1/autocomplete?q=nhan").get_json()["suggestions"]
    assert suggestions == ["Nhãn lồng Hưng Yên"]


def repair_and_check_back(app, client, gate, catalogue) -> None:
    db.session.rollback()
    gate.set()
    assert search_repair.wait(app, 60)
    body = health(client)
    assert body["status"] == "ok"
    assert body["checks"]["search_index"]["index"] == "ok"
    assert body["checks"]["search_index"]["rebuilding"] is False
    results = searched("vai thieu")
    assert results.source == "index" and results.page.ids == [catalogue["lychee"]]
    assert search_sync.check().clean and search_repair.active() is None


@whoosh_only
def test_a_deleted_index_is_served_from_the_database_then_rebuilt(
    app, client, catalogue, gate, caplog
):
    shutil.rmtree(index_dir(app))
    with caplog.at_level(logging.WARNING, logger="catalog.platform.search_repair"):
        assert_served_from_database(client, catalogue)
        body = health(client)
        assert body["status"] == "degraded" and body["failing"] == []
        index = body["checks"]["search_index"]
        assert index["status"] == "degraded" and index["index"] == "missing"
        assert index["rebuilding"] is True
        assert_served_from_database(client, catalogue)  # still, and no second warning
    warnings = [r for r in caplog.records if "answering searches from the database" in r.message]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert not index_dir(app).exists()  # no empty index was made in its place
    repair_and_check_back(app, client, gate, catalogue)


@whoosh_only
def test_a_damaged_table_of_contents_behaves_the_same(app, client, catalogue, gate):
    corrupt_toc(app)
    # The running process still has the segments open; the probe reads the TOC itself.
    body = health(client)
    assert body["status"] == "degraded"
    assert body["checks"]["search_index"]["index"] == "unreadable"
    assert_served_from_database(client, catalogue)
    repair_and_check_back(app, client, gate, catalogue)


@whoosh_only
def test_a_new_process_on_a_damaged_index_serves_from_the_database(app, client, catalogue, gate):
    corrupt_toc(app)
    search_sync.close_backend(app)  # what a worker started now would see
    assert_served_from_database(client, catalogue)
    assert health(client)["checks"]["search_index"]["index"] == "unreadable"
    repair_and_check_back(app, client, gate, catalogue)


@whoosh_only
def test_changes_made_while_the_index_is_lost_are_not_lost(app, client, catalogue, gate):
    shutil.rmtree(index_dir(app))
    assert client.get("/tim-kiem?q=vai").status_code == 200  # starts the (held) rebuild
    report = import_csv(csv_bytes(row(product_name="Mắm tôm Thanh Hóa", province="Thanh Hóa")))
    new = report.product_ids[0]
    assert db.session.scalar(select(IndexOutbox.id).where(IndexOutbox.product_id == new))
    found = searched("mam tom")
    assert found.source == "database" and found.page.ids == [new]
    repair_and_check_back(app, client, gate, catalogue)
    assert searched("mam tom").page.ids == [new]
    assert search_sync.pending_count() == 0


@whoosh_only
def test_commands_rebuild_a_lost_index_in_line(app, runner, catalogue):
    shutil.rmtree(index_dir(app))
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 1 and "Thiếu" in check.output  # a report, not a traceback
    import_csv(csv_bytes(row(product_name="Mắm tôm Thanh Hóa", province="Thanh Hóa")))
    assert search_sync.pending_count() == 1  # the after-commit apply left it to a repair
    synced = runner.invoke(args=["search", "sync"])
    assert synced.exit_code == 0, synced.output
    assert search_sync.pending_count() == 0 and search_sync.check().clean
    assert searched("mam tom").source == "index"


@whoosh_only
def test_the_daily_certificate_refresh_survives_a_lost_index(app, runner, catalogue):
    """It compares the index with the database: a lost index is an empty one, so the run
    answers and queues the starred products rather than stopping with a traceback."""
    shutil.rmtree(index_dir(app))
    refreshed = runner.invoke(args=["certificates", "refresh"])
    assert refreshed.exit_code == 0, refreshed.output
    assert runner.invoke(args=["search", "sync"]).exit_code == 0
    assert search_sync.check().clean and searched("vai thieu").source == "index"


def test_a_new_installation_without_an_index_is_healthy_and_starts_no_rebuild(app, client):
    body = health(client)
    assert body["status"] == "ok" and body["checks"]["search_index"]["index"] == "ok"
    results = searched("vai")
    assert results.total == 0 and results.source == "index"
    assert search_repair.active() is None and not search_repair.rebuilding()
    report = import_csv(csv_bytes(row()))  # the first product creates the index
    assert searched("vai").page.ids == report.product_ids
    assert search_repair.active() is None and search_sync.pending_count() == 0
