"""A Whoosh index deleted or damaged under a running backend: IndexUnavailable, never an
empty answer, and a rebuild brings it back (even over a damaged generation). The PostgreSQL
backend has no directory to lose: its problem() is always None."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search_index import IndexUnavailable, SearchQuery
from search_index.generations import Generations
from search_index.whoosh_backend import WhooshBackend
from tests.search_index.support import CORPUS, doc, ids

NEVER = lambda: False  # noqa: E731 - the app's answer while the database holds products


def corrupt_toc(path: Path) -> None:
    live = path / str(Generations(path).current())
    for toc in live.glob("*.toc"):
        toc.write_bytes(b"\x00garbage")


@pytest.fixture
def built(tmp_path: Path):
    backend = WhooshBackend(tmp_path / "search", may_create=NEVER)
    backend.rebuild(CORPUS)
    yield backend
    backend.close()


def test_no_index_and_may_create_false_is_missing_not_empty(tmp_path: Path):
    backend = WhooshBackend(tmp_path / "search", may_create=NEVER)
    assert backend.problem() == "missing"
    for call in (
        lambda: backend.search(SearchQuery()),
        lambda: backend.autocomplete("va"),
        lambda: backend.index([doc(1, "Vải")]),
        lambda: backend.remove([1]),
        backend.indexed_ids,
    ):
        with pytest.raises(IndexUnavailable) as caught:
            call()
        assert caught.value.kind == "missing"
    assert not (tmp_path / "search").exists()  # nothing was created


def test_may_create_true_creates_the_first_index_lazily(tmp_path: Path):
    asked: list[bool] = []

    def may_create() -> bool:
        asked.append(True)
        return True

    backend = WhooshBackend(tmp_path / "search", may_create=may_create)
    backend.index([doc(1, "Vải thiều")])
    assert ids(backend, "vai") == [1] and backend.problem() is None
    assert len(asked) == 1  # asked only while no index existed
    backend.close()


def test_a_deleted_directory_is_noticed_by_a_backend_that_had_it_open(built, tmp_path):
    assert ids(built, "vai thieu") == [1]
    shutil.rmtree(tmp_path / "search")
    with pytest.raises(IndexUnavailable, match="missing"):
        built.search(SearchQuery(text="vai thieu"))
    with pytest.raises(IndexUnavailable, match="missing"):
        built.index([doc(99, "Nhãn lồng")])
    assert built.problem() == "missing"
    assert built.rebuild(CORPUS) == len(CORPUS)
    assert built.problem() is None and ids(built, "vai thieu") == [1]


def test_a_damaged_table_of_contents_is_unreadable_then_rebuilt(built, tmp_path):
    path = tmp_path / "search"
    corrupt_toc(path)
    # A new process (a new backend) cannot open it; the one holding open segments would
    # answer from them, but a health probe (problem) or a write reads the TOC and finds out.
    other = WhooshBackend(path, may_create=NEVER)
    with pytest.raises(IndexUnavailable) as caught:
        other.search(SearchQuery(text="vai"))
    assert caught.value.kind == "unreadable"
    assert built.problem() == "unreadable"
    with pytest.raises(IndexUnavailable, match="unreadable"):
        built.search(SearchQuery(text="vai"))  # once known damaged, reads stop too
    with pytest.raises(IndexUnavailable, match="unreadable"):
        built.index([doc(99, "Nhãn lồng")])
    # The rebuild swaps in a new generation although the old one cannot be opened.
    assert built.rebuild(CORPUS) == len(CORPUS)
    assert built.problem() is None and other.problem() is None
    assert ids(other, "vai thieu") == [1] and ids(built, "vai thieu") == [1]
    other.close()


def test_an_empty_table_of_contents_and_a_missing_one(built, tmp_path):
    path = tmp_path / "search"
    live = path / str(Generations(path).current())
    toc = next(live.glob("*.toc"))
    toc.write_bytes(b"")
    assert WhooshBackend(path, may_create=NEVER).problem() == "unreadable"
    toc.unlink()
    assert WhooshBackend(path, may_create=NEVER).problem() == "unreadable"


def test_postgres_has_nothing_to_lose():
    from search_index.postgres_backend import PostgresBackend

    # No connection is made: problem() needs none.
    backend = PostgresBackend("postgresql+psycopg://nobody@127.0.0.1:1/nothing")
    assert backend.problem() is None
    backend.close()
