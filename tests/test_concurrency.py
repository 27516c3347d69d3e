"""Several processes writing at once (as gunicorn workers do) lose no update, show no
"database is locked" and no search LockError, and leave the index complete."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest
from sqlalchemy import func, select

from catalog.extensions import db
from catalog.models import IndexOutbox, Product
from catalog.services import search_sync
from catalog.services.imports import import_csv
from search_index import SearchQuery
from tests import concurrency_workers as workers
from tests.helpers import csv_bytes, row

pytestmark = pytest.mark.slow
PROCESSES = 4


def pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(PROCESSES, mp_context=multiprocessing.get_context("spawn"))


def test_parallel_read_then_update_loses_nothing(app):
    report = import_csv(csv_bytes(row(price_vnd="0")))
    product_id = report.product_ids[0]
    db.session.remove()
    times = 60
    with pool() as executor:
        futures = [
            executor.submit(workers.increment_price, str(app.instance_path), product_id, times)
            for _ in range(PROCESSES)
        ]
        errors = sum(f.result(timeout=240) for f in futures)
    assert errors == 0
    assert db.session.get(Product, product_id).price_vnd == PROCESSES * times


def test_parallel_writers_keep_the_index_complete(app):
    db.session.remove()
    per_worker = 8
    with pool() as executor:
        futures = [
            executor.submit(workers.import_products, str(app.instance_path), worker, per_worker)
            for worker in range(PROCESSES)
        ]
        ids = sorted(i for f in futures for i in f.result(timeout=240))
    assert len(ids) == PROCESSES * per_worker
    assert db.session.scalar(select(func.count(IndexOutbox.id))) == 0
    found = search_sync.backend().search(SearchQuery(text="san pham thu", per_page=100))
    assert sorted(found.ids) == ids
    assert search_sync.check().clean
