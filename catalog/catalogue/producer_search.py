"""Finding producers by name, as typed: "hong phuc", "Hồng Phúc", NFD, "Hoà"/"Hòa", đ as d.

Producers are far fewer than products (tens of thousands at most), and their names are
what people type, so they are matched here in memory rather than in the product index:
the public producers' names are split into words by search_index.text (the analyzer's own
rules: NFC, canonical tone placement, đ→d, i/y) once per state of the producers table (its
row count and latest updated_at, which every insert, edit, suspension and deletion moves; not
the site_version, which every order request or complaint bumps too), and a search is a few
dictionary look-ups: under a millisecond at 20,000 producers, where the rebuild takes about
0.6 s once per producer change and process. The state query scans the producers table. A stored
accent-free column would need a migration; the slug cannot serve, as it keeps the first
name after a rename and may carry a province.

Every word of the query must be a word of the name; the last one may be its beginning
(search_index.query.parse_words, the product search's own reading of a query). Names that
also match with the accents typed come first, as in the product search.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from catalog.extensions import db
from catalog.models import Producer
from catalog.models.visibility import producer_is_public
from search_index.query import parse_words
from search_index.text import accent_key, fold_word, normalize_key, words

CACHE_KEY = "choviet_producer_names"
_build_lock = threading.Lock()


@dataclass(frozen=True)
class _Entry:
    id: int
    sort_key: str
    accented: frozenset[str]


class NameIndex:
    """Folded name words → producers, and the sorted vocabulary for prefixes."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        self.entries: list[_Entry] = []
        self.postings: dict[str, set[int]] = {}
        for pid, name in rows:
            parts = words(name)
            position = len(self.entries)
            self.entries.append(
                _Entry(pid, normalize_key(name), frozenset(accent_key(w) for w in parts))
            )
            for word in parts:
                self.postings.setdefault(fold_word(word), set()).add(position)
        self.vocabulary = sorted(self.postings)

    def _prefixed(self, prefix: str) -> set[int]:
        found: set[int] = set()
        start = bisect.bisect_left(self.vocabulary, prefix)
        for word in self.vocabulary[start:]:
            if not word.startswith(prefix):
                break
            found |= self.postings[word]
        return found

    def ranked_ids(self, text: str) -> list[int]:
        """Ids of the producers whose name has every word of `text`, best first."""
        query = parse_words(text)
        if not query:
            return []
        matched: set[int] | None = None
        for word in query:
            exact = self.postings.get(word.folded, set())
            found = exact | self._prefixed(word.folded) if word.prefix else exact
            matched = found if matched is None else matched & found
            if not matched:
                return []
        assert matched is not None

        def rank(position: int) -> tuple[int, str, int]:
            entry = self.entries[position]
            accented = sum(1 for w in query if w.accented in entry.accented)
            return (-accented, entry.sort_key, entry.id)

        return [self.entries[p].id for p in sorted(matched, key=rank)]


def ranked_ids(text: str) -> list[int]:
    """Public producers matching `text` (see the module docstring), best first."""
    if not text or not text.strip():
        return []
    return _index().ranked_ids(text)


def _version() -> tuple[object, ...]:
    count, updated = db.session.execute(
        select(func.count(Producer.id), func.max(Producer.updated_at))
    ).one()
    return (count, updated)


def _index() -> NameIndex:
    version = _version()
    kept = current_app.extensions.get(CACHE_KEY)
    if kept is not None and kept[0] == version:
        return kept[1]
    with _build_lock:  # one thread reads the names, the others use its result
        kept = current_app.extensions.get(CACHE_KEY)
        if kept is None or kept[0] != version:
            rows = db.session.execute(
                select(Producer.id, Producer.name).where(producer_is_public())
            ).all()
            kept = (version, NameIndex([(pid, name) for pid, name in rows]))
            current_app.extensions[CACHE_KEY] = kept
    return kept[1]
