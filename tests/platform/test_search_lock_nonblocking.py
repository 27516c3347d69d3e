"""A request never waits for the search sync lock: while another process (or thread) holds
it, a write still answers at once and its outbox rows stay pending; the holder applies them
before it lets go, or the next check does once the lock is free. Commands still wait.

"Did not wait" is checked with a spy on the lock's timeout (request paths must ask for 0),
never with a clock. Runs on both backends: a file lock beside the Whoosh index, an advisory
lock in PostgreSQL.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from pathlib import Path
from typing import Any

import pytest
from filelock import Timeout

from catalog.extensions import db
from catalog.imports.imports import import_csv
from catalog.platform import search_sync
from search_index import SearchQuery
from tests.helpers import csv_bytes, row

SPAWN = mp.get_context("spawn")


def found(text: str) -> list[int]:
    ids = search_sync.backend().search(SearchQuery(text=text)).ids
    db.session.rollback()
    return ids


@pytest.fixture
def timeouts(monkeypatch) -> list[float]:
    """Every timeout the sync lock is asked for. A wait that regressed would also end
    after 5 s (not the 20 s default) and show here as 5.0."""
    asked: list[float] = []
    real = search_sync._acquire

    def spy(timeout_s: float) -> Any:
        asked.append(timeout_s)
        return real(timeout_s)

    monkeypatch.setattr(search_sync, "_acquire", spy)
    monkeypatch.setattr(search_sync, "LOCK_TIMEOUT_S", 5.0)
    return asked


def _hold_lock(instance: str, ready: Any, release: Any) -> None:
    """Another process, as a `flask search rebuild` would: takes the app's sync lock."""
    from tests.conftest import make_app

    app = make_app(Path(instance))
    with app.app_context(), search_sync.sync_lock():
        ready.set()
        release.wait(120)
    search_sync.close_backend(app)


@pytest.fixture
def other_process_holds_the_lock(app, tmp_path) -> Any:
    """Yields a function that makes the other process let go, and waits until it has."""
    ready, release = SPAWN.Event(), SPAWN.Event()
    holder = SPAWN.Process(target=_hold_lock, args=(str(tmp_path), ready, release))
    holder.start()

    def let_go() -> None:
        release.set()
        holder.join(120)
        assert holder.exitcode == 0

    try:
        assert ready.wait(120), "the other process never took the lock"
        yield let_go
    finally:
        release.set()
        holder.join(120)


@pytest.mark.slow
def test_a_write_does_not_wait_while_another_process_holds_the_lock(
    app, client, timeouts, other_process_holds_the_lock
):
    report = import_csv(csv_bytes(row()))  # commits; the after-commit apply runs here
    assert report.products_created == 1
    assert timeouts and set(timeouts) == {0.0}  # tried once, never waited
    assert search_sync.pending_count() == 1 and found("vai thieu") == []
    # Any request meanwhile (the periodic check) does not wait either.
    app.extensions.pop("choviet_outbox_check", None)
    assert client.get("/").status_code == 200
    assert set(timeouts) == {0.0} and search_sync.pending_count() == 1

    db.session.rollback()
    other_process_holds_the_lock()  # it lets go without applying anything (not our code)
    timeouts.clear()
    app.extensions.pop("choviet_outbox_check", None)  # the next check is due
    assert client.get("/?sau=1").status_code == 200  # another address: not a cached page
    assert search_sync.pending_count() == 0
    assert found("vai thieu") == report.product_ids
    assert set(timeouts) == {0.0}


def test_the_holder_applies_what_writers_left_before_letting_go(app, timeouts, monkeypatch):
    """A rebuild in another thread holds the lock; a write meanwhile leaves its rows; the
    rebuild applies them before it ends, without any further request."""
    backend_type = type(search_sync.backend())
    real_rebuild = backend_type.rebuild
    inside, go = threading.Event(), threading.Event()

    def held_rebuild(self: Any, docs: Any) -> int:
        inside.set()
        assert go.wait(60)
        return real_rebuild(self, docs)

    monkeypatch.setattr(backend_type, "rebuild", held_rebuild)
    outcome: list[object] = []

    def rebuild_in_another_thread() -> None:
        with app.app_context():
            try:
                outcome.append(search_sync.rebuild())
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                outcome.append(exc)
            finally:
                db.session.remove()

    thread = threading.Thread(target=rebuild_in_another_thread)
    thread.start()
    try:
        assert inside.wait(60)
        report = import_csv(csv_bytes(row(product_name="Nhãn lồng Hưng Yên")))
        assert 0.0 in timeouts and search_sync.pending_count() == 1
        db.session.rollback()
    finally:
        go.set()
        thread.join(60)
    assert outcome and not isinstance(outcome[0], BaseException), outcome
    assert search_sync.pending_count() == 0
    assert found("nhan long") == report.product_ids


def test_commands_still_wait_for_the_lock(app, runner, timeouts):
    import_csv(csv_bytes(row()))
    timeouts.clear()
    assert runner.invoke(args=["search", "sync"]).exit_code == 0
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert timeouts.count(5.0) == 2  # LOCK_TIMEOUT_S: one wait per command


def test_a_busy_lock_on_the_request_path_is_left_to_its_holder_not_raised(app, monkeypatch):
    def busy(_timeout_s: float) -> Any:
        raise Timeout("held elsewhere")

    monkeypatch.setattr(search_sync, "_acquire", busy)
    report = import_csv(csv_bytes(row()))
    assert report.products_created == 1 and search_sync.pending_count() == 1
    with pytest.raises(Timeout):
        search_sync.apply_pending(wait=False)
