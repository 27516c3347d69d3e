"""Both search backends on their own: choosing one, lazy creation, replacing and removing
documents, drift checks, atomic rebuilds, several instances and concurrent writer processes
on one index."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from search_index import ProductDoc, SearchQuery, get_backend
from search_index.whoosh_backend import WhooshBackend
from tests.search_index.support import (
    counts,
    doc,
    fresh_fixture,  # noqa: F401 (a fixture)
    ids,
    pg_database_fixture,  # noqa: F401 (a fixture)
    segment_sizes,
    settings_of,
)

# --- index maintenance -------------------------------------------------------------------


def test_get_backend():
    with pytest.raises(ValueError, match="unknown search backend"):
        get_backend({"backend": "elastic", "path": "/tmp/x"})
    with pytest.raises(ValueError, match="needs a database 'url'"):
        get_backend({"backend": "postgres"})
    with pytest.raises(ValueError, match="needs a PostgreSQL URL"):
        get_backend({"backend": "postgres", "url": "sqlite:////tmp/x.db"})
    with pytest.raises(ValueError, match="needs a 'path'"):
        get_backend({"backend": "whoosh"})


def test_lazy_creation_and_empty_index(fresh):
    assert fresh.search(SearchQuery(text="vai")).total == 0
    page = fresh.search(SearchQuery())
    assert page.total == 0 and page.ids == [] and page.suggestion is None
    assert page.facets["province"] == () and set(page.facets) >= {"stars", "verified"}
    assert fresh.autocomplete("vai") == []
    assert fresh.indexed_ids() == set()
    assert fresh.check([]).clean


def test_index_replaces_by_id_and_remove(fresh):
    fresh.index([doc(1, "Vải thiều"), doc(2, "Nhãn lồng")])
    fresh.index([doc(1, "Xoài cát Hòa Lộc"), doc(3, "Na dai"), doc(3, "Na bở")])
    assert ids(fresh, "vai") == []
    assert ids(fresh, "na") == [3] and ids(fresh, "bo") == [3]
    assert ids(fresh, "xoai") == [1]
    fresh.remove([2, 999])
    assert fresh.indexed_ids() == {1, 3}
    fresh.remove([])
    fresh.index([])
    assert fresh.search(SearchQuery()).total == 2


def test_deleted_and_replaced_documents_never_come_back(fresh):
    """Many small commits make Whoosh merge segments; deletions and replacements must hold
    across merges (Whoosh-Reloaded's Searcher.refresh() got this wrong)."""
    for i in range(1, 13):
        fresh.index([doc(i, f"Vải đợt {i}", verified=i % 2 == 0)])
        assert fresh.search(SearchQuery(text="vai")).total == i
    fresh.index([doc(i, f"Nhãn lồng {i}") for i in range(1, 7)])
    fresh.remove([7, 8])
    assert sorted(ids(fresh, "vai")) == [9, 10, 11, 12]
    assert sorted(ids(fresh, "nhan long")) == [1, 2, 3, 4, 5, 6]
    assert fresh.indexed_ids() == {1, 2, 3, 4, 5, 6, 9, 10, 11, 12}
    page = fresh.search(SearchQuery(text="vai"))
    assert counts(page, "verified") == {"true": 2, "false": 2}
    assert [h.id for h in page.hits] == ids(fresh, "vai")
    other = get_backend(settings_of(fresh))
    assert other.indexed_ids() == fresh.indexed_ids()
    assert sorted(ids(other, "vai", sort="price_asc")) == [9, 10, 11, 12]
    other.close()


def test_suggestion_accents_count_across_segments(fresh):
    """The accented form of a corrected word is the most frequent over the whole index
    (Whoosh: computed per segment and summed; PostgreSQL: counted over all documents)."""
    for pid in (1, 2, 3):
        fresh.index([doc(pid, f"Mật ong rừng {pid}")])
    fresh.index([doc(4, "Mắt kính tre"), doc(5, "Mắt lưới tre")])
    if isinstance(fresh, WhooshBackend):
        assert len(segment_sizes(fresh)) == 4
    assert fresh.search(SearchQuery(text="maat ong")).suggestion == "mật ong"


def test_check_reports_drift(fresh):
    fresh.index([doc(1, "A"), doc(2, "B"), doc(3, "C")])
    drift = fresh.check([2, 3, 4])
    assert drift.missing == {4} and drift.extra == {1} and not drift.clean
    assert fresh.check([1, 2, 3]).clean


def test_rebuild_swaps_atomically(fresh):
    """Another instance sees the old index while a rebuild runs, never an empty or half
    one, and the new one as soon as it is swapped in; later writes go to the new one."""
    reader = get_backend(settings_of(fresh))
    fresh.index([doc(1, "Vải thiều"), doc(2, "Nhãn lồng")])
    assert ids(reader, "nhan") == [2]
    seen_during: list[set[int]] = []

    def docs() -> Iterator[ProductDoc]:
        yield doc(2, "Nhãn lồng")
        seen_during.append(reader.indexed_ids())
        yield doc(3, "Bưởi Diễn")
        yield doc(3, "dup")
        seen_during.append(reader.indexed_ids())

    assert fresh.rebuild(docs()) == 2
    assert seen_during == [{1, 2}, {1, 2}]
    assert reader.indexed_ids() == {2, 3}
    assert ids(reader, "buoi dien") == [3] and ids(reader, "dup") == []
    assert fresh.check([2, 3]).clean
    fresh.index([doc(4, "Cam Vinh")])
    assert ids(reader, "cam vinh") == [4]
    assert fresh.rebuild([]) == 0
    assert reader.indexed_ids() == set() and ids(reader) == []
    reader.close()


def test_two_instances_share_one_index(fresh):
    first, second = fresh, get_backend(settings_of(fresh))
    assert second.indexed_ids() == set()
    first.index([doc(1, "Vải thiều")])
    assert ids(second, "vai thieu") == [1]
    second.index([replace(doc(1, "Vải thiều"), name="Vải thiều Thanh Hà")])
    assert ids(first, "thanh ha") == [1]
    second.remove([1])
    assert first.indexed_ids() == set()
    second.close()


def _write_in_process(settings: dict[str, Any], worker: int, count: int, start: Any) -> None:
    start.wait(timeout=30)  # all writers begin together, so their commits collide
    backend = get_backend(settings)
    for n in range(count):
        backend.index([doc(worker * 1000 + n, f"Sản phẩm {worker} số {n}")])
    backend.close()


@pytest.mark.slow
def test_concurrent_writer_processes_lose_nothing(fresh):
    """Three processes commit one document at a time, all at once, on an index none of
    them has created yet: every writer waits for the lock instead of failing (Whoosh's
    LockError, PostgreSQL's concurrent schema creation), and nothing is lost."""
    settings = settings_of(fresh)
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    workers = [
        ctx.Process(target=_write_in_process, args=(settings, w, 15, start)) for w in range(1, 4)
    ]
    for process in workers:
        process.start()
    start.set()
    for process in workers:
        process.join(timeout=60)
    assert [p.exitcode for p in workers] == [0, 0, 0]  # an exception exits with 1
    expected = {w * 1000 + n for w in range(1, 4) for n in range(15)}
    assert fresh.indexed_ids() == expected
    assert ids(fresh, "san pham 2 so 7")[0] == 2007
    if isinstance(fresh, WhooshBackend):
        assert len([p for p in os.listdir(fresh.path) if p.startswith("gen-")]) == 1
