"""The PostgreSQL backend only: a write during a rebuild, and the document counter that
relevance reads."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from search_index import ProductDoc, get_backend
from tests.search_index.support import (
    doc,
    ids,
    pg_database_fixture,  # noqa: F401 (a fixture)
    pg_fresh_fixture,  # noqa: F401 (a fixture)
    settings_of,
)


def waiting_for_locks(b: Any) -> int:
    """How many sessions of b's database wait for a lock right now."""
    from sqlalchemy import text

    with b.engine.connect() as conn:
        sql = (
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(conn.execute(text(sql)).scalar())


def test_postgres_edit_during_rebuild_lands_in_the_new_index(pg_fresh):
    """PostgreSQL only: a write from another host while a rebuild runs waits for the swap
    and is applied to the new tables (Whoosh writes to the old generation meanwhile and the
    app re-applies its outbox after a rebuild, see search_sync.rebuild)."""
    fresh = pg_fresh
    writer = get_backend(settings_of(fresh))
    fresh.index([doc(1, "Vải thiều")])
    started, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def edit() -> None:
        started.wait(timeout=30)
        try:
            writer.index([doc(5, "Xoài cát Hòa Lộc")])
        except BaseException as exc:  # reported below
            errors.append(exc)
        done.set()

    thread = threading.Thread(target=edit)
    thread.start()

    def docs() -> Iterator[ProductDoc]:
        yield doc(1, "Vải thiều")
        started.set()
        for _ in range(600):  # the writer comes to wait for the rebuild's lock
            if waiting_for_locks(fresh) or done.is_set():
                break
            done.wait(timeout=0.05)
        assert not done.is_set() and errors == []
        yield doc(2, "Nhãn lồng")

    assert fresh.rebuild(docs()) == 2
    thread.join(timeout=30)
    assert errors == []
    assert fresh.indexed_ids() == {1, 2, 5}
    assert ids(fresh, "xoai") == [5]
    writer.close()


def test_postgres_document_counter_follows_writes(pg_fresh):
    """Relevance reads the number of documents from a counter that every write keeps in
    its own transaction; replacing, removing unknown ids and rebuilding keep it exact."""
    from sqlalchemy import text

    def counter() -> tuple[int, int]:
        with pg_fresh.engine.connect() as conn:
            kept = conn.execute(
                text(
                    f'SELECT value::int FROM "{pg_fresh.schema}".search_meta '
                    "WHERE key = 'documents'"
                )
            ).scalar()
        return kept, len(pg_fresh.indexed_ids())

    pg_fresh.index([doc(1, "Vải thiều"), doc(2, "Nhãn lồng")])
    assert counter() == (2, 2)
    pg_fresh.index([doc(2, "Nhãn lồng Hưng Yên"), doc(3, "Na dai"), doc(3, "Na bở")])
    assert counter() == (3, 3)
    pg_fresh.remove([1, 1, 99])
    assert counter() == (2, 2)
    pg_fresh.rebuild(doc(i, f"Gạo {i}") for i in range(10, 15))
    assert counter() == (5, 5)
    other = get_backend(settings_of(pg_fresh))
    other.index([doc(10, "Gạo tám"), doc(20, "Gạo nếp")])
    assert counter() == (6, 6)
    other.close()
