"""Start-up check of the Whoosh index (catalog/ops/startup.py): a deleted, damaged or stale
index is rebuilt from the database when an app is created; a healthy one is left alone."""

from __future__ import annotations

import logging
import multiprocessing
import shutil
from pathlib import Path

import pytest
from flask import Flask

from catalog.extensions import db
from catalog.ops import startup
from catalog.platform import search_sync
from tests.conftest import SEARCH_BACKEND, close_app, make_app
from tests.listings.support import found, owner, published

pytestmark = pytest.mark.skipif(
    SEARCH_BACKEND != "whoosh", reason="the start-up check is for the Whoosh index only"
)


def _catalogue(app: Flask) -> dict[str, int]:
    """Two published products, indexed; returns {search word: product id}."""
    first = published(owner(), "Trà hoa vàng Ba Chẽ")
    second = published(owner(), "Miến dong Nguyên Bình")
    words = {"trà hoa vàng": first.id, "miến dong": second.id}
    db.session.commit()  # end the test's transaction: other apps write to this database
    search_sync.close_backend(app)
    return words


def _started(instance: Path) -> Flask:
    """A second app on the same instance with the start-up check on, as gunicorn makes."""
    return make_app(instance, SEARCH_STARTUP_CHECK="1")


def _finds(application: Flask, words: dict[str, int]) -> None:
    with application.app_context():
        for word, product_id in words.items():
            assert found(word) == [product_id], word
        close_app(application)


def _generation(index: Path) -> str:
    return (index / "CURRENT").read_text().strip()


def _snapshot(index: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(index)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in index.rglob("*")
        if p.is_file()
    }


def test_a_deleted_index_directory_is_rebuilt_at_start_up(app, tmp_path, caplog):
    words = _catalogue(app)
    index = Path(app.config["SEARCH_INDEX_DIR"])
    shutil.rmtree(index)
    with caplog.at_level(logging.WARNING, logger="catalog.ops.startup"):
        started = _started(tmp_path)
    assert "the index directory is missing" in caplog.text
    assert ": 2 products in" in caplog.text
    assert index.is_dir()
    _finds(started, words)


def _truncate_tocs(gen: Path) -> None:
    for toc in gen.glob("*.toc"):
        toc.write_bytes(toc.read_bytes()[:7])


def _garbage_segments(gen: Path) -> None:
    segments = list(gen.glob("*.seg"))
    assert segments
    for segment in segments:
        size = segment.stat().st_size
        segment.write_bytes(bytes((i * 37) % 251 for i in range(size)))


def _garbage_toc_and_segments(gen: Path) -> None:
    for path in [*gen.glob("*.toc"), *gen.glob("*.seg")]:
        path.write_bytes(b"\x00garbage\xff" * 9)


def _garbage_pointer(gen: Path) -> None:
    (gen.parent / "CURRENT").write_text("../../etc\n")


@pytest.mark.parametrize(
    "damage", [_truncate_tocs, _garbage_segments, _garbage_toc_and_segments, _garbage_pointer]
)
def test_a_corrupted_index_is_detected_and_rebuilt_at_start_up(app, tmp_path, caplog, damage):
    words = _catalogue(app)
    index = Path(app.config["SEARCH_INDEX_DIR"])
    before = _generation(index)
    damage(index / before)
    assert startup.index_problem(index) is not None
    with caplog.at_level(logging.WARNING, logger="catalog.ops.startup"):
        started = _started(tmp_path)
    assert "rebuilding it from the database" in caplog.text
    assert _generation(index) != before
    assert not (index / before).exists()  # the damaged generation is gone
    assert startup.index_problem(index) is None
    _finds(started, words)


def test_an_index_missing_products_is_rebuilt(app, tmp_path, caplog):
    words = _catalogue(app)
    search_sync.backend().remove([words["miến dong"]])  # lost without an outbox row
    search_sync.close_backend(app)
    with caplog.at_level(logging.WARNING, logger="catalog.ops.startup"):
        started = _started(tmp_path)
    assert "out of step (1 missing, 0 extra products)" in caplog.text
    _finds(started, words)


def test_a_healthy_index_is_left_untouched(app, tmp_path, caplog):
    words = _catalogue(app)
    index = Path(app.config["SEARCH_INDEX_DIR"])
    generation, files = _generation(index), _snapshot(index)
    with caplog.at_level(logging.DEBUG, logger="catalog.ops.startup"):
        started = _started(tmp_path)
        with started.app_context():
            assert startup.check_and_repair(started) == "ok"
    assert "rebuild" not in caplog.text
    assert _generation(index) == generation
    assert _snapshot(index) == files
    _finds(started, words)


def test_test_apps_and_other_backends_skip_the_check(app, tmp_path):
    _catalogue(app)
    index = Path(app.config["SEARCH_INDEX_DIR"])
    shutil.rmtree(index)
    quiet = make_app(tmp_path)  # TESTING, no override: the ~800 test apps stay fast
    assert not index.exists()
    with quiet.app_context():
        close_app(quiet)
    assert startup.enabled({"SEARCH_BACKEND": "whoosh", "SEARCH_STARTUP_CHECK": ""})
    assert not startup.enabled({"SEARCH_BACKEND": "whoosh", "SEARCH_STARTUP_CHECK": "0"})
    assert not startup.enabled({"SEARCH_BACKEND": "postgres", "SEARCH_STARTUP_CHECK": "1"})


def check_in_process(instance: str) -> str:
    """Spawned: create an app as a gunicorn worker would and run the check once."""
    application = make_app(Path(instance), SEARCH_STARTUP_CHECK="0")
    try:
        return startup.check_and_repair(application)
    finally:
        with application.app_context():
            close_app(application)


def test_workers_starting_together_rebuild_once(app, tmp_path):
    words = _catalogue(app)
    shutil.rmtree(Path(app.config["SEARCH_INDEX_DIR"]))
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        results = pool.map(check_in_process, [str(tmp_path)] * 3)
    assert sorted(results) == ["ok", "ok", "rebuilt"]
    _finds(_started(tmp_path), words)
