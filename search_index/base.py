"""The one interface every search backend implements, and what every backend does alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from search_index.types import Drift, ProductDoc, SearchPage, SearchQuery


class SearchBackend(Protocol):
    def index(self, docs: Iterable[ProductDoc]) -> None:
        """Add or replace these documents (matched by id)."""

    def remove(self, ids: Iterable[int]) -> None:
        """Remove these ids; unknown ids are ignored."""

    def search(self, query: SearchQuery) -> SearchPage:
        """Ranked ids with highlights, facet counts and a spelling suggestion."""

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        """Product names that complete what the user is typing."""

    def rebuild(self, docs: Iterable[ProductDoc]) -> int:
        """Build a fresh index from scratch, swap it in atomically, return the count."""

    def check(self, expected_ids: Iterable[int]) -> Drift:
        """Compare the indexed ids with the ids that should be there."""

    def indexed_ids(self) -> set[int]:
        """Every id currently in the index."""

    def schema_outdated(self) -> bool:
        """Whether the index was built by another version of its backend: rebuild it."""

    def close(self) -> None:
        """Release files and connections; the backend reopens them on next use."""

    def problem(self) -> str | None:
        """None while the index can be used; else "missing" or "unreadable" (what
        IndexUnavailable.kind says). Cheap enough for a health probe; never creates an
        index."""


class IndexUnavailable(RuntimeError):
    """The live index is missing (never built, or deleted) or cannot be read (e.g. a damaged
    table of contents). Nothing is wrong with the data: answer from the source of truth and
    rebuild the index from it. `kind` is "missing" or "unreadable"; the message may name
    files, so show `kind`, never the message, to the public."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"search index {kind}" + (f": {detail}" if detail else ""))
        self.kind = kind


class DriftCheck:
    """`check` from `schema_outdated` and `indexed_ids`, the same for every backend."""

    def schema_outdated(self) -> bool:
        raise NotImplementedError

    def indexed_ids(self) -> set[int]:
        raise NotImplementedError

    def check(self, expected_ids: Iterable[int]) -> Drift:
        """An outdated index counts as holding nothing: its ids are not read (they may not
        even be readable), and `outdated` says why everything is missing."""
        expected = frozenset(int(i) for i in expected_ids)
        outdated = self.schema_outdated()
        indexed = frozenset() if outdated else frozenset(self.indexed_ids())
        return Drift(missing=expected - indexed, extra=indexed - expected, outdated=outdated)


def latest_by_id(docs: Iterable[ProductDoc]) -> dict[int, ProductDoc]:
    """One document per id, the last of several with the same id winning (what an `index`
    call of several edits of one product must keep)."""
    return {doc.id: doc for doc in docs}
