"""The default search backend: an embedded Whoosh index under the instance directory.

Layout (see generations.py): `path/CURRENT` names the live generation `path/gen-…/`, which is
an ordinary Whoosh index. A rebuild writes a new generation and swaps CURRENT atomically.

Concurrency, as measured on these machines: a second Whoosh writer raises LockError at once,
so every writer here waits for the lock (`ix.writer(timeout=…, delay=…)`) instead; 3+
processes writing at the same time lose nothing. The app additionally serialises its sync
under its own file lock, but this class does not rely on that.

Writing: every writer is a PoolWriter (whoosh_writer.py: Whoosh's SegmentWriter with a
per-term posting pool, a block-wise posting writer and a codec without length statistics: a
100k rebuild went from about 250 s to about 70 s), and small commits use merge_tiers instead of
Whoosh's default merge policy, so an edit is one small segment and merges stay small and rare.

Reading: segment readers are opened once and kept (OpenSegments); a new index version (a
commit from any process) only opens the new segments, and all per-version sets live in an
IndexView. Whoosh readers are not thread-safe, so reads take an instance lock; a query takes
a few milliseconds. Ranking is computed by this package from the posting sets, not by
Whoosh's scorer (see whoosh_rank.py for why and how).

A lost or damaged index: every operation reads CURRENT anyway, so a deleted index directory
is noticed on the next operation at no extra cost, and a table of contents that cannot be
read when a generation is opened (a new one, or by a writer) marks that generation damaged
until CURRENT names another. Both raise IndexUnavailable instead of answering from nothing.
Where no index exists, an empty one is created on first use only if `may_create()` allows
it (the app allows it while the database has nothing the index should already hold, so a
deleted index is never silently replaced by an empty one); `problem()` says which case it is.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex, LockError
from whoosh.util.filelock import try_for
from whoosh.writing import SegmentWriter

from search_index.base import DriftCheck, IndexUnavailable, latest_by_id
from search_index.generations import Generations
from search_index.types import ProductDoc, SearchPage, SearchQuery
from search_index.whoosh_schema import doc_fields, make_schema
from search_index.whoosh_search import autocomplete, search
from search_index.whoosh_segments import OpenSegments
from search_index.whoosh_view import IndexView
from search_index.whoosh_writer import merge_tiers, pool_writer

WRITE_TIMEOUT_S = 60.0
WRITE_DELAY_S = 0.02
GEN_LOCK_TIMEOUT_S = 600.0  # a rebuild of a large catalogue holds it for minutes
_RETRIES = 5
INDEX_NAME = "MAIN"  # Whoosh's default name of the index inside a generation directory


class _TocStorage(FileStorage):
    """A FileStorage that keeps the table of contents it opened last: Whoosh's TOC.read
    leaves the file of one it cannot parse open (a ResourceWarning), so it is closed here."""

    last_toc: Any = None

    def open_file(self, name: str, **kwargs: Any) -> Any:
        opened = super().open_file(name, **kwargs)
        if name.endswith(".toc"):
            self.last_toc = opened
        return opened

    def close_toc(self) -> None:
        opened, self.last_toc = self.last_toc, None
        if opened is not None and not opened.is_closed:
            with contextlib.suppress(Exception):
                opened.close()


class WhooshBackend(DriftCheck):
    """SearchBackend over Whoosh (Whoosh-Reloaded 2.7.5); see the module docstring."""

    def __init__(
        self, path: str | os.PathLike[str], may_create: Callable[[], bool] | None = None
    ) -> None:
        self.path = Path(path)
        self._gens = Generations(self.path)
        self._lock = threading.RLock()
        self._gen: str | None = None
        self._segments: OpenSegments | None = None
        self._view: IndexView | None = None
        self._may_create = may_create
        # (generation, why) once a generation failed to open; forgotten when CURRENT moves.
        self._broken: tuple[str, str] | None = None

    # --- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the open segment files; the backend reopens them on next use."""
        with self._lock:
            self._release()

    def __enter__(self) -> WhooshBackend:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # Segment files are memory-mapped; release them even if nobody called close().
        with contextlib.suppress(Exception):
            self._release()

    def _release(self) -> None:
        if self._segments is not None:
            self._segments.close()
        self._segments = None
        self._view = None
        self._gen = None

    def _live_generation(self) -> str:
        """The live generation, creating an empty index on first use (lazily) when
        `may_create` allows it; raises IndexUnavailable("missing") when it does not."""
        gen = self._gens.current()
        if gen is not None:
            return gen
        if self._may_create is not None and not self._may_create():
            raise IndexUnavailable("missing", f"no live index generation under {self.path}")
        with self._gens.locked(GEN_LOCK_TIMEOUT_S):
            gen = self._gens.current()
            if gen is None:
                gen = self._gens.new_name()
                directory = self.path / gen
                directory.mkdir()
                index.create_in(str(directory), make_schema())
                self._gens.publish(gen)
        return gen

    def _check_broken(self, gen: str) -> None:
        broken = self._broken
        if broken is not None:
            if broken[0] == gen:
                raise IndexUnavailable("unreadable", broken[1])
            self._broken = None  # CURRENT moved on: a rebuild replaced the damaged one

    def _damaged(self, gen: str, exc: BaseException) -> IndexUnavailable:
        """Remember `gen` as damaged (see _check_broken) and say so."""
        detail = f"{gen}: {type(exc).__name__}: {exc}"
        self._broken = (gen, detail)
        return IndexUnavailable("unreadable", detail)

    def _open(self, gen: str) -> FileIndex:
        """Generation `gen` opened (its table of contents read). OSError is left to the
        caller, who tells a generation a rebuild retired from a lost one; a table of
        contents that cannot be parsed raises IndexUnavailable."""
        self._check_broken(gen)
        storage = _TocStorage(str(self.path / gen))
        try:
            return FileIndex(storage, indexname=INDEX_NAME)
        except OSError:
            storage.close_toc()
            raise
        except Exception as exc:  # noqa: BLE001 - any parse failure means "unreadable"
            storage.close_toc()
            raise self._damaged(gen, exc) from None

    def _current_view(self) -> IndexView:
        """A view on the newest index version; the caller holds self._lock.

        Costs a read of CURRENT and a directory listing when nothing changed; after a commit
        only new segments are opened (see OpenSegments).
        """
        for _ in range(_RETRIES):
            gen = self._live_generation()
            try:
                self._check_broken(gen)
                if gen != self._gen or self._segments is None:
                    self._release()
                    self._segments = OpenSegments(self._open(gen))
                    self._gen = gen
                if self._segments.refresh() or self._view is None:
                    self._view = IndexView(self._segments)
            except IndexUnavailable:
                self._release()
                raise
            except OSError as exc:
                # A rebuild swapped generations and deleted ours between two reads.
                self._release_reading()
                if self._gens.current() != gen:
                    continue
                raise self._damaged(gen, exc) from None
            except Exception as exc:  # noqa: BLE001 - a newer table of contents is unreadable
                self._release_reading()
                raise self._damaged(gen, exc) from None
            return self._view
        raise RuntimeError(f"search index generations kept changing under {self.path}")

    def _release_reading(self) -> None:
        """_release after a failed read, closing a table of contents it left open."""
        segments = self._segments
        self._release()
        storage = segments.ix.storage if segments is not None else None
        if isinstance(storage, _TocStorage):
            storage.close_toc()

    def problem(self) -> str | None:
        """None while the live index opens; "missing" when there is none (never built, or
        deleted) and "unreadable" when its table of contents cannot be read. Reads CURRENT
        and the newest table of contents, opens no segment and never creates an index:
        cheap enough for a health probe."""
        with self._lock:
            for _ in range(_RETRIES):
                gen = self._gens.current()
                if gen is None:
                    return "missing"
                try:
                    self._open(gen)
                except IndexUnavailable as exc:
                    return exc.kind
                except OSError as exc:
                    if self._gens.current() != gen:
                        continue  # a rebuild swapped generations meanwhile
                    return self._damaged(gen, exc).kind
                return None
            return None

    # --- writing -------------------------------------------------------------------------

    def _write(self, apply: Callable[[SegmentWriter], bool]) -> None:
        """Run `apply` in a writer on the live generation and commit if it changed anything.

        If a rebuild swaps generations while we wait for the lock, the writer is cancelled
        and the change retried on the new generation (a rebuild holds the old generation's
        write lock while it swaps, so no commit can land on a generation being retired).
        """
        for _ in range(_RETRIES):
            gen = self._live_generation()
            try:
                writer = pool_writer(self._open(gen), timeout=WRITE_TIMEOUT_S, delay=WRITE_DELAY_S)
            except OSError as exc:
                if self._gens.current() != gen:
                    continue
                raise self._damaged(gen, exc) from None
            done = False
            try:
                if self._gens.current() != gen:
                    continue
                if apply(writer):
                    writer.commit(mergetype=merge_tiers)
                else:
                    writer.cancel()
                done = True
                return
            finally:
                if not done:
                    with contextlib.suppress(Exception):
                        writer.cancel()
        raise RuntimeError(f"search index generations kept changing under {self.path}")

    def index(self, docs: Iterable[ProductDoc]) -> None:
        """Add or replace documents, matched by id, in one commit (the last of several
        documents with the same id wins)."""
        batch = latest_by_id(docs)
        if not batch:
            return

        def apply(writer: SegmentWriter) -> bool:
            # Delete all, then add: update_document() cannot see documents added earlier in
            # the same writer, so a repeated id would be indexed twice.
            for pid in batch:
                writer.delete_by_term("id", str(pid))
            # An index from before a field was added keeps working (without that field)
            # until `search rebuild`; `check` reports it as outdated.
            known = set(writer.schema.names())
            for doc in batch.values():
                values = doc_fields(doc)
                writer.add_document(**{k: v for k, v in values.items() if k in known})
            return True

        self._write(apply)

    def remove(self, ids: Iterable[int]) -> None:
        """Remove documents by id; unknown ids are ignored (and cost no commit)."""
        keys = sorted({str(int(i)) for i in ids})
        if not keys:
            return

        def apply(writer: SegmentWriter) -> bool:
            return sum(writer.delete_by_term("id", key) for key in keys) > 0

        self._write(apply)

    def rebuild(self, docs: Iterable[ProductDoc]) -> int:
        """Build a new generation from `docs`, swap it in atomically, delete the old ones.

        The first occurrence of a duplicated id wins. Returns the number of documents.
        """
        with self._gens.locked(GEN_LOCK_TIMEOUT_S):
            old = self._gens.current()
            name = self._gens.new_name()
            directory = self.path / name
            directory.mkdir()
            try:
                count = self._build(directory, docs)
                self._swap(old, name)
            except BaseException:
                shutil.rmtree(directory, ignore_errors=True)
                raise
            self._gens.remove_all_but(name)
        with self._lock:
            self._release()
            self._broken = None
        return count

    @staticmethod
    def _build(directory: Path, docs: Iterable[ProductDoc]) -> int:
        ix = index.create_in(str(directory), make_schema())
        writer = pool_writer(ix)
        seen: set[int] = set()
        try:
            for doc in docs:
                if doc.id not in seen:
                    seen.add(doc.id)
                    writer.add_document(**doc_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(optimize=True)
        return len(seen)

    def _swap(self, old: str | None, new: str) -> None:
        """Publish `new` while holding the old generation's write lock, so that no writer
        is between "checked CURRENT" and "committed" on the generation being retired. The
        lock is taken without reading the old table of contents, which may be damaged (the
        reason for this rebuild)."""
        if old is None:
            self._gens.publish(new)
            return
        lock = FileStorage(str(self.path / old)).lock(f"{INDEX_NAME}_WRITELOCK")
        if not try_for(lock.acquire, timeout=WRITE_TIMEOUT_S, delay=WRITE_DELAY_S):
            raise LockError(f"a writer held {old} for {WRITE_TIMEOUT_S}s; rebuild not swapped")
        try:
            self._gens.publish(new)
        finally:
            lock.release()

    # --- reading -------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchPage:
        """Ranked ids with highlights, facet counts and a spelling suggestion."""
        with self._lock:
            return search(self._current_view(), query)

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        """Product names whose words match `prefix`, the last word as a prefix."""
        with self._lock:
            return autocomplete(self._current_view(), prefix, limit)

    def indexed_ids(self) -> set[int]:
        with self._lock:
            view = self._current_view()
            pid = view.column("pid")
            return {pid[d] for d in view.all_docs()}

    def schema_outdated(self) -> bool:
        """Whether the live index was built with other fields than make_schema() gives (an
        index from before a field was added); writing to it would fail, so rebuild it."""
        with self._lock:
            fields = set(self._open(self._live_generation()).schema.names())
        return fields != set(make_schema().names())
