"""The one interface every search backend implements."""

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
