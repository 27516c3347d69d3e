"""The index follows the database through the outbox, even across crashes."""

from __future__ import annotations

import threading

import pytest
from filelock import Timeout
from sqlalchemy import select

from catalog.extensions import db
from catalog.imports.imports import import_csv
from catalog.models import IndexOutbox, Product
from catalog.platform import search_sync
from search_index import SearchQuery
from tests.helpers import csv_bytes, row


def found(text: str) -> list[int]:
    return search_sync.backend().search(SearchQuery(text=text)).ids


def pending() -> int:
    return len(db.session.scalars(select(IndexOutbox.id)).all())


def test_import_is_searchable_right_after_commit(app):
    report = import_csv(csv_bytes(row()))
    assert found("vai thieu") == report.product_ids
    assert pending() == 0


def test_crash_between_commit_and_index_write_loses_nothing(app, client, monkeypatch, runner):
    def crash(*_args, **_kwargs):
        raise RuntimeError("process killed before the index write")

    monkeypatch.setattr(type(search_sync.backend()), "index", crash)
    report = import_csv(csv_bytes(row()))
    assert report.products_created == 1  # the data change committed...
    assert pending() == 1  # ...and its outbox row with it
    assert found("vai thieu") == []
    monkeypatch.undo()

    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    assert found("vai thieu") == report.product_ids
    assert pending() == 0


def test_next_request_applies_leftover_outbox(app, client, monkeypatch):
    from catalog import database

    monkeypatch.setattr(database, "_after_commit", {})
    report = import_csv(csv_bytes(row()))
    assert pending() == 1
    monkeypatch.undo()
    app.extensions.pop("choviet_outbox_check", None)
    assert client.get("/").status_code == 200
    assert pending() == 0
    assert found("vải thiều") == report.product_ids


def test_a_sync_inside_the_sync_lock_does_not_wait_for_itself(app, monkeypatch):
    """A commit made while this thread holds the sync lock (as apply_pending and rebuild do)
    runs the after-commit sync in the same thread: it must go on at once and apply the rows,
    not wait for the lock its own caller holds (it waited LOCK_TIMEOUT_S, then gave up)."""
    monkeypatch.setattr(search_sync, "LOCK_TIMEOUT_S", 0.5)
    with search_sync.sync_lock():
        report = import_csv(csv_bytes(row()))
        assert pending() == 0
    assert found("vai thieu") == report.product_ids


def test_another_thread_waits_for_the_sync_lock(app, monkeypatch):
    monkeypatch.setattr(search_sync, "LOCK_TIMEOUT_S", 0.2)
    outcome: list[str] = []

    def sync_in_another_thread() -> None:
        with app.app_context():
            try:
                search_sync.apply_pending()
                outcome.append("applied")
            except (Timeout, TimeoutError):
                outcome.append("waited")

    with search_sync.sync_lock():
        thread = threading.Thread(target=sync_in_another_thread)
        thread.start()
        thread.join(timeout=30)
    assert outcome == ["waited"]


def test_hidden_product_leaves_the_index(app):
    from catalog.database import write_transaction
    from catalog.platform import outbox

    report = import_csv(csv_bytes(row()))
    with write_transaction():
        product = db.session.get(Product, report.product_ids[0])
        product.status = "hidden"
        outbox.record([product.id], "hidden")
    assert found("vai thieu") == []


def test_rebuild_and_check(app, runner):
    import_csv(csv_bytes(row(), row(product_name="Nhãn lồng")))
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    search_sync.backend().remove(
        [db.session.scalar(select(Product.id).where(Product.name == "Nhãn lồng"))]
    )
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 1 and "Thiếu" in check.output
    rebuilt = runner.invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0 and "2 sản phẩm" in rebuilt.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert len(found("nhan long")) == 1


@pytest.mark.slow
def test_parallel_writer_processes_lose_no_update(app, tmp_path):
    """Four processes import overlapping lists at once: no error, every row indexed."""
    import multiprocessing as mp

    db_url = app.config["SQLALCHEMY_DATABASE_URI"]
    ctx = mp.get_context("spawn")
    with ctx.Pool(4) as pool:
        results = pool.starmap(
            _import_in_process, [(str(tmp_path), db_url, worker) for worker in range(4)]
        )
    assert all(r == "ok" for r in results), results
    db.session.remove()
    names = set(db.session.scalars(select(Product.name)))
    assert len(names) == 4 * 10
    for worker in range(4):
        assert found(f"Sản phẩm {worker}-7"), worker
    assert search_sync.check().clean
    assert pending() == 0


def _import_in_process(instance: str, db_url: str, worker: int) -> str:
    from pathlib import Path

    from tests.conftest import make_app

    app = make_app(Path(instance))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == db_url
    with app.app_context():
        for batch in range(5):
            rows = [
                row(product_name=f"Sản phẩm {worker}-{n}", producer_name=f"HTX Số {worker}")
                for n in range(batch * 2, batch * 2 + 2)
            ]
            import_csv(csv_bytes(*rows))
    return "ok"
