"""A search request as every backend reads it, and the parts of the answer they shape alike.

User text becomes plain words here (no query syntax), the page window is clamped here, and
facet order, highlight terms and autocomplete de-duplication are decided here, once, so
the Whoosh and PostgreSQL backends cannot drift apart on them. This module imports no
search engine: a PostgreSQL deployment never loads Whoosh.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from search_index.highlight import Terms
from search_index.text import accent_key, fold_word, normalize_key, words
from search_index.types import SORTS, FacetCount, SearchQuery

MAX_WORDS = 12
MAX_WORD_CHARS = 40
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class QueryWord:
    raw: str
    accented: str
    folded: str
    prefix: bool = False


def parse_words(text: str, min_prefix: int = 2) -> list[QueryWord]:
    """User text as plain words: no query syntax; punctuation and control characters are
    dropped; number and length are capped so a 500-character paste stays cheap.

    The last word is also a prefix (the user may still be typing it) unless the text ends
    with a space or the word is shorter than `min_prefix`.
    """
    result: list[QueryWord] = []
    seen: set[str] = set()
    for raw in words(text)[:MAX_WORDS]:
        raw = raw[:MAX_WORD_CHARS]
        key = accent_key(raw)
        if key not in seen:
            seen.add(key)
            result.append(QueryWord(raw, key, fold_word(raw)))
    typing = bool(text) and not text[-1].isspace()
    if result and typing and len(result[-1].folded) >= min_prefix:
        last = result[-1]
        result[-1] = QueryWord(last.raw, last.accented, last.folded, prefix=True)
    return result


@dataclass(frozen=True)
class Window:
    """The page a query asks for, made safe: page ≥ 1, 1 ≤ per_page ≤ MAX_PER_PAGE, and an
    unknown sort is relevance (a hand-edited URL never raises)."""

    page: int
    per_page: int
    sort: str

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def end(self) -> int:
        return self.page * self.per_page


def window(q: SearchQuery) -> Window:
    page = max(1, int(q.page))
    per_page = min(MAX_PER_PAGE, max(1, int(q.per_page)))
    return Window(page, per_page, q.sort if q.sort in SORTS else "relevance")


def terms_for(query_words: list[QueryWord]) -> Terms:
    """What to mark in the hits: the folded words, and the last one as a prefix while the
    user is still typing it."""
    prefix = query_words[-1].folded if query_words and query_words[-1].prefix else None
    return Terms(frozenset(w.folded for w in query_words), prefix)


def ordered_facets(counts: Mapping[str, int]) -> tuple[FacetCount, ...]:
    """One facet's counts, most frequent first, then by value."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(FacetCount(value, n) for value, n in ordered)


def unique_names(names: Iterable[str], limit: int) -> list[str]:
    """The first `limit` names, best first, without repeats of one normalised name (two
    producers' "Vải thiều" are one suggestion)."""
    result: list[str] = []
    seen: set[str] = set()
    for name in names:
        key = normalize_key(name)
        if name and key not in seen:
            seen.add(key)
            result.append(name)
            if len(result) >= limit:
                break
    return result
