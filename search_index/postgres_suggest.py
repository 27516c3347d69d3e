"""Spelling suggestions for the PostgreSQL backend, by the Whoosh backend's rule.

A word that matches nothing is replaced by the most frequent indexed folded word one edit
away (two for words of 7+ letters), with the same first letter, as Whoosh's terms_within
with prefix=1 does; it is shown in its most frequent accented form; the suggestion is offered
only if the corrected words all match one document together.

Candidates come from the vocabulary table: the words with the same first letter and a length
within the distance (a b-tree range on the "C"-collated key), then an edit-distance check in
Python. Trigram similarity (pg_trgm) was considered and not used: a one-letter substitution
in a short word shares almost no trigrams ("cam"/"cym": similarity 0.14), so it would miss
exactly the typos Whoosh corrects.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from search_index.postgres_query import (
    ALL_FIELDS,
    Tables,
    field_frequencies,
    slot_query,
    word_query,
    words_found,
)
from search_index.query import QueryWord, Slot

MAX_CANDIDATES = 5000
MAX_SCORED = 50


def within(a: str, b: str, limit: int) -> bool:
    """Whether the Levenshtein distance of a and b is at most `limit` (early exit)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _like_prefix(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def correct(conn: Connection, tables: Tables, folded: str) -> str | None:
    """The most frequent indexed folded word one edit (two for long words) away."""
    if len(folded) < 3:
        return None
    for maxdist in (1, 2) if len(folded) >= 7 else (1,):
        rows = conn.execute(
            text(
                f"SELECT DISTINCT folded FROM {tables.vocab} WHERE folded LIKE :p "
                "AND length(folded) BETWEEN :lo AND :hi LIMIT :n"
            ),
            {
                "p": _like_prefix(folded[0]),
                "lo": len(folded) - maxdist,
                "hi": len(folded) + maxdist,
                "n": MAX_CANDIDATES,
            },
        ).scalars()
        rest = folded[1:]
        near = [c for c in rows if c != folded and within(c[1:], rest, maxdist)]
        freq = field_frequencies(conn, tables.docs, "f", sorted(near)[:MAX_SCORED])
        freq = {c: f for c, f in freq.items() if f}
        if freq:
            return max(freq, key=lambda c: (freq[c], c))
    return None


def accented_form(conn: Connection, tables: Tables, folded: str) -> str:
    """How a folded word is most often written with accents in the index."""
    forms = list(
        conn.execute(
            text(f"SELECT accented FROM {tables.vocab} WHERE folded = :f LIMIT :n"),
            {"f": folded, "n": MAX_SCORED},
        ).scalars()
    )
    freq = {t: f for t, f in field_frequencies(conn, tables.docs, "a", forms).items() if f}
    if not freq:
        return folded
    return max(freq, key=lambda t: (freq[t], t))


def suggest(conn: Connection, tables: Tables, words: list[Slot]) -> str | None:
    """A correction of the words that match nothing, or None (see the module docstring).
    Glossary terms stay as typed."""
    found = words_found(conn, tables.docs, [slot_query(s, ALL_FIELDS) for s in words])
    out: list[str] = []
    queries: list[str] = []
    changed = False
    for slot, has_docs in zip(words, found, strict=True):
        word = slot.plain
        fixed = None if has_docs or word is None else correct(conn, tables, word.folded)
        if fixed is None:
            out.append(slot.raw)
            queries.append(slot_query(slot, ALL_FIELDS))
            continue
        changed = True
        out.append(accented_form(conn, tables, fixed))
        queries.append(word_query(QueryWord(fixed, fixed, fixed), ALL_FIELDS))
    if not changed or not words_found(conn, tables.docs, [" & ".join(queries)])[0]:
        return None
    return " ".join(out)
