"""A search backend in PostgreSQL, for deployments with several app hosts.

Every host talks to the same tables (see postgres_schema.py), so there is no index directory
to copy or keep in step. It behaves like the Whoosh backend (same matching, ranking, facets,
highlights, suggestions; see postgres_query.py) and passes the same tests.

Concurrency:

* the schema is created on first use under an advisory lock, so several processes starting
  at once do not race;
* writes are upserts (INSERT … ON CONFLICT) in id order, so concurrent writers lose nothing
  and do not deadlock;
* `rebuild` fills new tables in one transaction and swaps them in by renaming at commit:
  readers see the old index until then, never an empty one. It holds a SHARE ROW EXCLUSIVE
  lock on the live tables meanwhile, which lets readers through but makes writers wait, so
  an edit made during a rebuild lands in the new tables instead of the dropped ones;
* `sync_lock` is an advisory lock shared by every host, for the app's outbox sync (a
  file lock only serialises the processes of one host).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    MetaData,
    Table,
    Text,
    bindparam,
    cast,
    create_engine,
    func,
    literal_column,
    make_url,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateTable

from search_index.base import DriftCheck, latest_by_id
from search_index.highlight import Terms, highlights
from search_index.postgres_query import Tables, autocomplete_names, page_rows
from search_index.postgres_schema import (
    BUILD_SUFFIX,
    DEFAULT_SCHEMA,
    SCHEMA_VERSION,
    doc_row,
    ensure_schema,
    lock_key,
    make_meta,
    make_tables,
    vocab_pairs,
)
from search_index.postgres_suggest import suggest
from search_index.query import ordered_facets, parse_query, terms_for, unique_names, window
from search_index.types import FacetCount, ProductDoc, SearchHit, SearchPage, SearchQuery

WRITE_LOCK_TIMEOUT = "60s"  # like the Whoosh writer's wait for its lock
REBUILD_BATCH = 1000
SYNC_LOCK_POLL_S = 0.05


def engine_url(url: str) -> str:
    """`url` with the psycopg (3) driver; refuses anything but PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        raise ValueError(
            f"the postgres search backend needs a PostgreSQL URL, not {parsed.drivername!r}"
        )
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]], replace: bool) -> int:
    """Insert (or with `replace`, insert or update) rows; returns how many were new."""
    if not rows:
        return 0
    columns = [c.name for c in table.columns if c.name != "words"]
    values: dict[str, Any] = {name: bindparam(name) for name in columns}
    values["words"] = func.array_to_tsvector(bindparam("lexemes", type_=ARRAY(Text)))
    stmt = pg_insert(table).values(values)
    if replace:
        updated = {c: stmt.excluded[c] for c in [*columns, "words"] if c != "id"}
        stmt = stmt.on_conflict_do_update(index_elements=["id"], set_=updated)
        # xmax is 0 on a freshly inserted row version and set on an updated one.
        result: Iterable[Any] = conn.execute(stmt.returning(literal_column("(xmax = 0)")), rows)
        return sum(1 for (inserted,) in result if inserted)
    conn.execute(stmt, rows)
    return len(rows)


def _add_vocab(conn: Connection, table: Table, pairs: Iterable[tuple[str, str]]) -> None:
    rows = [{"folded": f, "accented": a} for f, a in sorted(pairs)]
    if rows:
        conn.execute(pg_insert(table).on_conflict_do_nothing(), rows)


class PostgresBackend(DriftCheck):
    """SearchBackend over PostgreSQL full-text search (see the module docstring)."""

    def __init__(self, url: str, schema: str = DEFAULT_SCHEMA, **engine_options: Any) -> None:
        self.schema = schema
        self.engine: Engine = create_engine(engine_url(url), pool_pre_ping=True, **engine_options)
        self.metadata = MetaData(schema=schema)
        self.docs, self.vocab = make_tables(self.metadata)
        self.meta = make_meta(self.metadata)
        preparer = self.engine.dialect.identifier_preparer
        self._docs_sql = preparer.format_table(self.docs)
        self._vocab_sql = preparer.format_table(self.vocab)
        self._tables = Tables(self._docs_sql, self._vocab_sql, preparer.format_table(self.meta))
        self._ready = False
        self._ready_lock = threading.Lock()

    # --- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the pooled connections (the backend reconnects on next use)."""
        self.engine.dispose()

    def _ensure(self) -> None:
        if self._ready:
            return
        with self._ready_lock:
            if not self._ready:
                with self.engine.begin() as conn:
                    ensure_schema(conn, self.schema, self.metadata)
                self._ready = True

    @contextmanager
    def _reading(self, words: bool = False) -> Iterator[Connection]:
        """A read-only transaction. With `words`, sequential scans are ruled out: the planner
        prices a tsquery test per row as cheap and, at 8 % estimated matches, scanned all
        3,000 documents (13.6 ms) instead of asking the GIN index (0.5 ms)."""
        self._ensure()
        with self.engine.connect() as conn:
            if words:
                conn.execute(text("SET LOCAL enable_seqscan = off"))
            yield conn
            conn.rollback()

    # --- writing -------------------------------------------------------------------------

    def index(self, docs: Iterable[ProductDoc]) -> None:
        """Add or replace documents, matched by id, in one transaction (the last of several
        documents with the same id wins)."""
        batch = latest_by_id(docs)
        if not batch:
            return
        self._ensure()
        rows = [doc_row(batch[pid]) for pid in sorted(batch)]
        pairs: set[tuple[str, str]] = set()
        for doc in batch.values():
            pairs |= vocab_pairs(doc)
        with self.engine.begin() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = '{WRITE_LOCK_TIMEOUT}'"))
            added = _upsert(conn, self.docs, rows, replace=True)
            _add_vocab(conn, self.vocab, pairs)
            self._count(conn, added)

    def remove(self, ids: Iterable[int]) -> None:
        """Remove documents by id; unknown ids are ignored."""
        keys = sorted({int(i) for i in ids})
        if not keys:
            return
        self._ensure()
        with self.engine.begin() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = '{WRITE_LOCK_TIMEOUT}'"))
            removed = conn.execute(
                self.docs.delete().where(self.docs.c.id.in_(keys)).returning(self.docs.c.id)
            ).all()
            self._count(conn, -len(removed))

    def _count(self, conn: Connection, delta: int, absolute: bool = False) -> None:
        """Move the document counter by `delta` (or set it), after the rows it counts, so
        writers lock rows in one order: documents, vocabulary, counter."""
        if not delta and not absolute:
            return
        value = (
            cast(delta, Text)
            if absolute
            else cast(cast(self.meta.c.value, BigInteger) + delta, Text)
        )
        conn.execute(self.meta.update().where(self.meta.c.key == "documents").values(value=value))

    def rebuild(self, docs: Iterable[ProductDoc]) -> int:
        """Fill new tables from `docs` and swap them in at commit; the first occurrence of a
        duplicated id wins. Returns the number of documents."""
        self._ensure()
        build = MetaData(schema=self.schema)
        new_docs, new_vocab = make_tables(build, BUILD_SUFFIX)
        preparer = self.engine.dialect.identifier_preparer
        schema = preparer.quote_schema(self.schema)
        seen: set[int] = set()
        pairs: set[tuple[str, str]] = set()
        with self.engine.begin() as conn:
            conn.execute(
                text(f"LOCK TABLE {self._docs_sql}, {self._vocab_sql} IN SHARE ROW EXCLUSIVE MODE")
            )
            conn.execute(CreateTable(new_docs))
            conn.execute(CreateTable(new_vocab))
            stream = iter(docs)
            while chunk := list(islice(stream, REBUILD_BATCH)):
                rows = []
                for doc in chunk:
                    if doc.id not in seen:
                        seen.add(doc.id)
                        rows.append(doc_row(doc))
                        pairs |= vocab_pairs(doc)
                _upsert(conn, new_docs, rows, replace=False)
            _add_vocab(conn, new_vocab, pairs)
            for index in new_docs.indexes:
                index.create(conn)
            conn.execute(text(f"ANALYZE {preparer.format_table(new_docs)}"))
            conn.execute(text(f"ANALYZE {preparer.format_table(new_vocab)}"))
            conn.execute(text(f"DROP TABLE {self._docs_sql}, {self._vocab_sql}"))
            renames = [(new_docs.name, self.docs.name), (new_vocab.name, self.vocab.name)]
            for old, new in renames:
                conn.execute(
                    text(
                        f"ALTER TABLE {schema}.{preparer.quote(old)} "
                        f"RENAME TO {preparer.quote(new)}"
                    )
                )
                conn.execute(
                    text(
                        f"ALTER INDEX {schema}.{preparer.quote(old + '_pkey')} "
                        f"RENAME TO {preparer.quote(new + '_pkey')}"
                    )
                )
            for index, live in zip(new_docs.indexes, self.docs.indexes, strict=True):
                conn.execute(
                    text(
                        f"ALTER INDEX {schema}.{preparer.quote(str(index.name))} "
                        f"RENAME TO {preparer.quote(str(live.name))}"
                    )
                )
            conn.execute(
                self.meta.update()
                .where(self.meta.c.key == "schema_version")
                .values(value=SCHEMA_VERSION)
            )
            self._count(conn, len(seen), absolute=True)
        return len(seen)

    def problem(self) -> str | None:
        """Always None: the index lives in the database (its tables are made on first use),
        so there is no directory to lose; a database that is down is /healthz's database
        check, and it fails every search alike."""
        return None

    @contextmanager
    def sync_lock(self, timeout_s: float) -> Iterator[None]:
        """An advisory lock shared by every process and host using this index, held while
        the app applies its outbox (so two hosts never write one product's old and new
        state out of order). Raises TimeoutError after `timeout_s`; with 0, after one try
        (request paths never wait for it)."""
        key = lock_key(self.schema, "sync")
        deadline = time.monotonic() + timeout_s
        with self.engine.connect() as conn:
            while not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
                conn.commit()
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"search sync lock busy for {timeout_s}s")
                time.sleep(SYNC_LOCK_POLL_S)
            conn.commit()
            try:
                yield
            finally:
                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()
                except Exception:
                    conn.invalidate()  # closing the session releases the lock
                    raise

    # --- reading -------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchPage:
        """Ranked ids with highlights, facet counts and a spelling suggestion."""
        span = window(query)
        sort, offset, per_page = span.sort, span.offset, span.per_page
        words = parse_query(query.text)
        suggestion = None
        with self._reading(words=bool(words)) as conn:
            mode = "and" if words else None
            rows = page_rows(conn, self._tables, query, words, mode, sort, offset, per_page)
            if words and rows.counts.matched == 0:
                suggestion = suggest(conn, self._tables, words)
                if len(words) > 1:
                    rows = page_rows(conn, self._tables, query, words, "or", sort, offset, per_page)
        terms = terms_for(words)
        hits = tuple(_hit(row, terms) for row in rows.hits)
        return SearchPage(
            total=rows.counts.total,
            page=span.page,
            per_page=per_page,
            hits=hits,
            facets=_facets(rows.counts.facets),
            suggestion=suggestion,
        )

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        """Product names whose words match `prefix`, the last word as a prefix."""
        words = parse_query(prefix, min_prefix=1)
        if not words or limit <= 0:
            return []
        with self._reading(words=True) as conn:
            candidates = autocomplete_names(conn, self._tables, words, limit * 4)
        return unique_names(candidates, limit)

    def indexed_ids(self) -> set[int]:
        with self._reading() as conn:
            return set(conn.execute(self.docs.select().with_only_columns(self.docs.c.id)).scalars())

    def schema_outdated(self) -> bool:
        """Whether the tables were made by another version of this module: rebuild them."""
        with self._reading() as conn:
            version = conn.execute(
                self.meta.select()
                .with_only_columns(self.meta.c.value)
                .where(self.meta.c.key == "schema_version")
            ).scalar()
        return version != SCHEMA_VERSION


def _hit(row: list[Any], terms: Terms) -> SearchHit:
    pid, score, name, description = row
    if not terms:
        return SearchHit(id=int(pid), score=float(score))
    marked = highlights(name or "", description or "", terms)
    return SearchHit(id=int(pid), score=float(score), highlights=marked)


def _facets(counts: dict[str, dict[str, int]]) -> dict[str, tuple[FacetCount, ...]]:
    """Most frequent first, then by value (as the Whoosh backend orders them)."""
    return {field: ordered_facets(values) for field, values in counts.items()}
