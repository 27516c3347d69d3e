"""A search request as every backend reads it, and the parts of the answer they shape alike.

User text becomes plain words here (no query syntax), English product words become their
Vietnamese search terms here (parse_query, glossary.py), the page window is clamped here, and
facet order, highlight terms and autocomplete de-duplication are decided here, once, so
the Whoosh and PostgreSQL backends cannot drift apart on them. This module imports no
search engine: a PostgreSQL deployment never loads Whoosh.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from search_index import glossary
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
    # A Vietnamese term from the English glossary: matched accent-kept only (the user did
    # not type it, so "cá" for "fish" must not find "cà phê" the way a typed "ca" would).
    exact: bool = False


@dataclass(frozen=True)
class Slot:
    """One thing asked for: a word as typed, or an English glossary term typed as one or
    more words. A document matches the slot when it has every word of one of its readings
    (the words as typed first, then one reading per Vietnamese term)."""

    raw: str
    readings: tuple[tuple[QueryWord, ...], ...]

    @property
    def words(self) -> tuple[QueryWord, ...]:
        """Every word of every reading (what relevance adds up)."""
        return tuple(w for reading in self.readings for w in reading)

    @property
    def plain(self) -> QueryWord | None:
        """The word, when the slot is one typed word with no glossary reading."""
        if len(self.readings) == 1 and len(self.readings[0]) == 1:
            return self.readings[0][0]
        return None


def exact_word(word: str) -> QueryWord:
    return QueryWord(word, accent_key(word), fold_word(word), exact=True)


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


def parse_query(text: str, min_prefix: int = 2) -> list[Slot]:
    """parse_words, with English glossary terms grouped into slots of their own.

    A run of words is an English term when it is typed in plain ASCII and is, whole, a
    term of the glossary (the longest one wins: "fish sauce" before "fish"); a word with
    any Vietnamese mark is never English. Every other word is a slot of its own.
    """
    typed = parse_words(text, min_prefix)
    lower = [w.raw.lower() if w.raw.isascii() else "" for w in typed]
    table = glossary.english()
    slots: list[Slot] = []
    i = 0
    while i < len(typed):
        size, vietnamese = table.match(lower, i)  # "" (not ASCII) is never a term
        if not size:
            slots.append(Slot(typed[i].raw, ((typed[i],),)))
            i += 1
            continue
        own = tuple(typed[i : i + size])
        readings = [own] + [tuple(exact_word(w) for w in words(term)) for term in vietnamese]
        slots.append(Slot(" ".join(w.raw for w in own), tuple(readings)))
        i += size
    return slots


def terms_for(slots: list[Slot]) -> Terms:
    """What to mark in the hits: the folded words, glossary terms accent-kept, and the last
    typed word as a prefix while the user is still typing it."""
    typed = [w for s in slots for w in s.words if not w.exact]
    prefix = typed[-1].folded if typed and typed[-1].prefix else None
    exact = frozenset(w.accented for s in slots for w in s.words if w.exact)
    return Terms(frozenset(w.folded for w in typed), prefix, exact)


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
