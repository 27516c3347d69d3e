"""One index version seen as Python sets and lists, computed on first use.

Whoosh answers a query by walking matcher trees in Python: fine for ten hits, far too slow
for "every matching document" (needed for totals, facet counts and sorting by price) and,
measured here, 50–400 ms just to score a common word at 20k products. Matching is therefore
done with sets: each (field, term) posting list becomes a frozenset of document numbers, AND
and OR across words and filters are C-level set operations, and a facet count is
`len(matches & docs_with_value)`. Reading is per segment (see whoosh_segments.py) so the sets
survive commits that do not touch their segment.

A view belongs to one index version. When a commit (in this or another process) produces a
new version, the backend makes a new view; segment caches of the segments that still exist
are kept (they live in OpenSegments), everything else is dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from search_index.query import QueryWord
from search_index.text import fold_word
from search_index.types import FACET_FIELDS
from search_index.weights import PREFIX_FIELDS, TEXT_FIELDS
from search_index.whoosh_segments import OpenSegments, SegmentData

# More terms than this under one prefix: the prefix is too short to narrow anything down.
MAX_PREFIX_TERMS = 2000
_VIEW_CACHE_LIMIT = 20000


Parts = tuple[frozenset[int], ...]


def restrict(docs: frozenset[int], parts: Parts) -> frozenset[int]:
    """`docs` ∩ (union of `parts`) without building the union."""
    if len(parts) == 1:
        return docs & parts[0]
    return frozenset().union(*(docs & p for p in parts))


def _facet_codes(data: SegmentData) -> list[Any]:
    """[codes, combinations] for one segment (segment-local document numbers)."""
    count, offset = data.reader.doc_count_all(), data.offset
    columns: list[list[str | None]] = []
    for field in FACET_FIELDS:
        values: list[str | None] = [None] * count
        for value in data.lexicon(field):
            for docnum in data.term(field, value):
                values[docnum - offset] = value
        columns.append(values)
    index: dict[tuple[str | None, ...], int] = {}
    codes = [index.setdefault(combo, len(index)) for combo in zip(*columns, strict=True)]
    return [codes, list(index)]


def _accent_map(data: SegmentData) -> dict[str, dict[str, int]]:
    """folded word -> {accent-kept form: document frequency} over one segment's text
    fields (kept per segment, so a commit only reads the new segment's terms)."""
    accents: dict[str, dict[str, int]] = {}
    for field, _folded, _boost in TEXT_FIELDS:
        for raw, info in data.reader.iter_field(field):
            term = _decode(raw)
            forms = accents.setdefault(fold_word(term), {})
            forms[term] = forms.get(term, 0) + info.doc_frequency()
    return accents


def _decode(raw: bytes | str) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else raw


class IndexView:
    """Sets and columns of one index version."""

    def __init__(self, segments: OpenSegments) -> None:
        self.reader = segments.reader
        self._leaves = segments.leaves
        self.size = sum(leaf.data.reader.doc_count_all() for leaf in self._leaves)
        deleted: set[int] = set()
        for leaf in self._leaves:
            offset = leaf.offset
            deleted.update(d + offset for d in leaf.deleted)
        self.deleted = frozenset(deleted)
        self._all: frozenset[int] | None = None
        self._terms: dict[tuple[str, str], frozenset[int]] = {}
        self._words: dict[tuple[str, bool, tuple[str, ...]], frozenset[int]] = {}
        self._columns: dict[str, list[Any]] = {}
        self._facets: dict[str, dict[str, Parts]] = {}

    # --- documents ---------------------------------------------------------------------

    def all_docs(self) -> frozenset[int]:
        if self._all is None:
            self._all = frozenset(range(self.size)) - self.deleted
        return self._all

    def live_count(self) -> int:
        """len(all_docs()) without building the set (which costs milliseconds at 100k
        documents on the first query after every commit)."""
        return self.size - len(self.deleted)

    def column(self, name: str) -> list[Any]:
        """A whole column as a list indexed by document number."""
        values = self._columns.get(name)
        if values is None:
            values = []
            for leaf in self._leaves:
                values.extend(leaf.data.column(name))
            self._columns[name] = values
        return values

    def derived(self, name: str, compute: Callable[[SegmentData], list[Any]]) -> list[Any]:
        """A per-document list computed segment by segment (and cached per segment, so a
        commit only computes it for the new segment)."""
        values = self._columns.get(name)
        if values is None:
            values = []
            for leaf in self._leaves:
                data = leaf.data
                part = data.columns.get(name)
                if part is None:
                    part = data.columns[name] = compute(data)
                values.extend(part)
            self._columns[name] = values
        return values

    def stored(self, docnum: int) -> dict[str, Any]:
        return self.reader.stored_fields(docnum)

    # --- matching ----------------------------------------------------------------------

    def live(self, docs: frozenset[int]) -> frozenset[int]:
        """`docs` without deleted documents.

        Term sets below may still contain deleted documents: removing them from every set
        would copy each big set after every commit. Every result is instead derived from a
        live set (`all_docs()` or `live(...)` of the matches) by intersection, which drops
        them.
        """
        return docs - self.deleted if docs and self.deleted else docs

    def term_parts(self, field: str, term: str) -> Parts:
        """Documents containing `term` in `field`, one set per segment (deleted included)."""
        return tuple(p for leaf in self._leaves if (p := leaf.data.term(field, term)))

    def term_docs(self, field: str, term: str) -> frozenset[int]:
        """Documents containing `term` in `field` (deleted ones included, see live())."""
        key = (field, term)
        docs = self._terms.get(key)
        if docs is None:
            parts = self.term_parts(field, term)
            docs = parts[0] if len(parts) == 1 else frozenset().union(*parts)
            if len(self._terms) >= _VIEW_CACHE_LIMIT:
                self._terms.clear()
            self._terms[key] = docs
        return docs

    def prefix_docs(self, field: str, prefix: str) -> frozenset[int]:
        """Documents with a word starting with `prefix` in `field` (see live())."""
        key = (field, "\x00" + prefix)
        docs = self._terms.get(key)
        if docs is None:
            found: set[int] = set()
            for n, raw in enumerate(self.reader.expand_prefix(field, prefix)):
                if n >= MAX_PREFIX_TERMS:
                    break
                found |= self.term_docs(field, _decode(raw))
            docs = self._terms[key] = frozenset(found)
        return docs

    def word_docs(self, word: QueryWord, fields: Iterable[str] | None = None) -> frozenset[int]:
        """Documents matching one word (accent-free, plus prefix; accent-kept for a
        glossary term) in any of `fields` (folded field names; deleted ones included, see
        live())."""
        folded_fields = tuple(fields) if fields else tuple(f for _, f, _ in TEXT_FIELDS)
        # A glossary term is looked up in the accent-kept fields only ("\x00": never a word).
        term = "\x00" + word.accented if word.exact else word.folded
        key = (term, word.prefix, folded_fields)
        docs = self._words.get(key)
        if docs is None and word.exact:
            accented = {f: a for a, f, _ in TEXT_FIELDS}
            parts = [self.term_docs(accented[f], word.accented) for f in folded_fields]
            docs = self._words[key] = frozenset().union(*parts)
        if docs is None:
            parts = [self.term_docs(f, word.folded) for f in folded_fields]
            if word.prefix:
                parts += [
                    self.prefix_docs(f, word.folded) for f in folded_fields if f in PREFIX_FIELDS
                ]
            docs = self._words[key] = frozenset().union(*parts)
        return docs

    # --- facets ------------------------------------------------------------------------

    def facet_sets(self, field: str) -> dict[str, Parts]:
        """value -> documents with that value, per segment (deleted included), for one
        filter/facet field. Kept in parts: counting needs no union of them."""
        sets = self._facets.get(field)
        if sets is None:
            values: set[str] = set()
            for leaf in self._leaves:
                values.update(leaf.data.lexicon(field))
            sets = {v: parts for v in sorted(values) if (parts := self.term_parts(field, v))}
            self._facets[field] = sets
        return sets

    def facet_codes(self) -> tuple[list[int], list[tuple[str | None, ...]]]:
        """Per document a code for its combination of facet values (FACET_FIELDS order),
        and the combinations. Counting every facet is then one pass over the matches
        (Counter of codes) plus a sum over the few distinct combinations."""
        cached = self._columns.get("~facet-codes")
        if cached is None:
            codes: list[int] = []
            combos: list[tuple[str | None, ...]] = []
            for leaf in self._leaves:
                data = leaf.data
                local_codes, local_combos = data.cached("~facet-codes", _facet_codes)
                base = len(combos)
                codes.extend(local_codes if not base else [c + base for c in local_codes])
                combos.extend(local_combos)
            cached = self._columns["~facet-codes"] = [codes, combos]
        return cached[0], cached[1]

    def values_docs(self, field: str, values: Iterable[str]) -> frozenset[int]:
        sets = self.facet_sets(field)
        return frozenset().union(*(p for v in values for p in sets.get(v, ())))

    # --- spelling ----------------------------------------------------------------------

    def correct(self, folded: str) -> str | None:
        """The most frequent indexed folded word one edit (two for long words) away."""
        if len(folded) < 3:
            return None
        for maxdist in (1, 2) if len(folded) >= 7 else (1,):
            freq: dict[str, int] = defaultdict(int)
            for _accented, field, _boost in TEXT_FIELDS:
                for cand in self.reader.terms_within(field, folded, maxdist, prefix=1):
                    if cand != folded:
                        freq[cand] += len(self.term_docs(field, cand))
            freq = {c: f for c, f in freq.items() if f}
            if freq:
                return max(freq, key=lambda c: (freq[c], c))
        return None

    def accented_form(self, folded: str) -> str:
        """How a folded word is most often written with accents in the index."""
        forms: dict[str, int] = defaultdict(int)
        for leaf in self._leaves:
            for term, n in leaf.data.cached("~accents", _accent_map).get(folded, {}).items():
                forms[term] += n
        if not forms:
            return folded
        return max(forms, key=lambda t: (forms[t], t))
