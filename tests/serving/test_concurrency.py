"""Several processes doing read-then-update at once (as gunicorn workers do) lose no update
and see no "database is locked": write transactions begin IMMEDIATE. (Parallel writers and
the search index: tests/platform/test_search_sync.py.)"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from catalog.extensions import db
from catalog.imports.imports import import_csv
from catalog.models import Product
from tests.helpers import csv_bytes, row
from tests.serving import concurrency_workers as workers

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
