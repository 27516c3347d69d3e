"""Answering a SearchQuery by scanning ProductDocs: the stand-in while an index is rebuilt.

When the live index is missing or damaged, the app loads the public products from the
database as ProductDocs and asks this module instead, so search keeps finding what it
should (folded words, đ→d, old province names, filters, facets, sorts, pages, highlighted
names) until the rebuilt index takes over. It follows the engines where that is cheap
(query.py's words and English glossary terms, the fields and boosts of weights.py, AND then
OR, the last word as a prefix, multi-select facets, the same tie-breaks) and leaves out the
rest: no accent bonus and no spelling suggestion. A scan costs a few string searches per
document and query; `Corpus` folds every document once, so a caller can keep one for as
long as the data does not change.

This module imports no search engine, no Flask and nothing of the catalogue.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from search_index.highlight import highlights
from search_index.query import (
    QueryWord,
    Slot,
    ordered_facets,
    parse_query,
    terms_for,
    unique_names,
    window,
)
from search_index.text import WORD_RE, accent_key, fold_word, nfc
from search_index.types import FACET_FIELDS, ProductDoc, SearchHit, SearchPage, SearchQuery
from search_index.weights import (
    PREFIX_BOOST,
    PREFIX_FIELDS,
    TEXT_FIELDS,
    epoch_micros,
    field_texts,
    name_length,
)


def _folded(text: str) -> str:
    """Each word folded as the engines fold it, between spaces: " ca phe " finds a whole
    word by " phe " and a prefix by " ph"."""
    return " " + " ".join(fold_word(w) for w in WORD_RE.findall(nfc(text))) + " "


def _accented(text: str) -> str:
    """Each word accent-kept as the engines key it, between spaces (glossary terms)."""
    return " " + " ".join(accent_key(w) for w in WORD_RE.findall(nfc(text))) + " "


@dataclass(frozen=True)
class _Entry:
    doc: ProductDoc
    # (folded text, boost, prefix field, accent-kept text), in TEXT_FIELDS order: name first
    fields: tuple[tuple[str, float, bool, str], ...]
    facets: tuple[str | None, ...]  # values in FACET_FIELDS order


def _facet_values(doc: ProductDoc) -> tuple[str | None, ...]:
    return (
        doc.province_slug or None,
        doc.category_slug,
        str(doc.ocop_stars) if doc.ocop_stars else None,
        "true" if doc.verified else "false",
        "true" if doc.trusted else "false",
    )


class Corpus:
    """Documents folded once, searched by `search` as often as needed."""

    def __init__(self, docs: Iterable[ProductDoc]) -> None:
        self.entries: list[_Entry] = []
        for doc in {d.id: d for d in docs}.values():
            texts = field_texts(doc)
            fields = tuple(
                (_folded(texts[name]), boost, folded in PREFIX_FIELDS, _accented(texts[name]))
                for name, folded, boost in TEXT_FIELDS
            )
            self.entries.append(_Entry(doc, fields, _facet_values(doc)))

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, q: SearchQuery) -> SearchPage:
        span = window(q)
        words = parse_query(q.text)
        scores: dict[int, float] | None = None
        matched = self.entries
        if words:
            scores = {e.doc.id: _score(e, words) for e in self.entries}
            if len(words) > 1 and not any(scores.values()):  # nothing has every word: any
                scores = {e.doc.id: _score(e, words, every=False) for e in self.entries}
            matched = [e for e in self.entries if scores[e.doc.id] > 0]

        if q.available_month is not None:  # not a facet: it narrows every count
            month = q.available_month
            matched = [e for e in matched if e.doc.available_in(month)]
        checks = _filters(q)
        facets = {}
        for i, name in enumerate(FACET_FIELDS):
            others = [check for field, check in checks.items() if field != name]
            counts = Counter(e.facets[i] for e in matched if all(c(e) for c in others))
            facets[name] = ordered_facets({k: n for k, n in counts.items() if k is not None})
        final = sorted(
            (e for e in matched if all(c(e) for c in checks.values())),
            key=_order(span.sort, scores),
        )
        terms = terms_for(words)
        hits = tuple(
            SearchHit(
                id=e.doc.id,
                score=scores[e.doc.id] if scores is not None else 0.0,
                highlights=highlights(e.doc.name, e.doc.description, terms) if terms else {},
            )
            for e in final[span.offset : span.end]
        )
        return SearchPage(
            total=len(final), page=span.page, per_page=span.per_page, hits=hits, facets=facets
        )

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        """Names with every word of `prefix` in the name, the last one as a prefix, best
        first, without repeats (as the engines' autocomplete)."""
        words = parse_query(prefix, min_prefix=1)
        if not words or limit <= 0:
            return []
        names = [_Entry(e.doc, e.fields[:1], e.facets) for e in self.entries]  # name only
        scored = [(s, e) for e in names if (s := _score(e, words)) > 0]
        scored.sort(key=lambda pair: (-pair[0], name_length(pair[1].doc), *_newest(pair[1])))
        return unique_names((e.doc.name for _, e in scored), limit)


def _word_score(entry: _Entry, word: QueryWord) -> float:
    """The best field `word` matches in (a prefix match counts PREFIX_BOOST of its field;
    a glossary term matches accent-kept only); 0 when it matches nowhere."""
    best = 0.0
    if word.exact:
        whole = f" {word.accented} "
        return max((boost for _f, boost, _p, text in entry.fields if whole in text), default=0.0)
    whole, start = f" {word.folded} ", f" {word.folded}"
    for text, boost, prefix_field, _accent in entry.fields:
        if whole in text:
            best = max(best, boost)
        elif word.prefix and prefix_field and start in text:
            best = max(best, boost * PREFIX_BOOST)
    return best


def _slot_score(entry: _Entry, slot: Slot) -> float:
    """The best reading of the slot that matches with every word; 0 when none does."""
    best = 0.0
    for reading in slot.readings:
        scores = [_word_score(entry, w) for w in reading]
        if all(scores):
            best = max(best, sum(scores))
    return best


def _score(entry: _Entry, words: list[Slot], every: bool = True) -> float:
    """The sum over slots of their best reading; 0 when `every` and a slot matches
    nowhere."""
    total = 0.0
    for slot in words:
        best = _slot_score(entry, slot)
        if best == 0.0 and every:
            return 0.0
        total += best
    return total


def _filters(q: SearchQuery) -> dict[str, Callable[[_Entry], bool]]:
    wanted: dict[str, set[str]] = {}
    if q.provinces:
        wanted["province"] = set(q.provinces)
    if q.categories:
        wanted["category"] = set(q.categories)
    if q.stars:
        wanted["stars"] = {str(s) for s in q.stars}
    if q.verified is not None:
        wanted["verified"] = {"true" if q.verified else "false"}
    if q.trusted is not None:
        wanted["trusted"] = {"true" if q.trusted else "false"}

    def check(position: int, values: set[str]) -> Callable[[_Entry], bool]:
        return lambda e: e.facets[position] in values

    return {name: check(FACET_FIELDS.index(name), values) for name, values in wanted.items()}


def _newest(e: _Entry) -> tuple[int, int, int]:
    """Newer first, undated last, then the higher id (the engines' recency key)."""
    created = e.doc.created_at
    return (0, -epoch_micros(created), -e.doc.id) if created else (1, 0, -e.doc.id)


def _order(sort: str, scores: dict[int, float] | None) -> Callable[[_Entry], tuple]:
    """Ascending sort keys for the engines' orders and tie-breaks: relevance, then fewer
    words in the name, more stars, newer."""

    def stars(e: _Entry) -> int:
        return -(e.doc.ocop_stars or 0)

    def relevance(e: _Entry) -> tuple:
        if scores is None:  # no words: newest first
            return _newest(e)
        return (-round(scores[e.doc.id], 6), name_length(e.doc), stars(e), *_newest(e))

    def price(e: _Entry) -> tuple:
        value = e.doc.price_vnd
        if value is None:
            return (1, 0, *_newest(e))
        return (0, -value if sort == "price_desc" else value, *_newest(e))

    if sort == "stars":
        return lambda e: (stars(e), *relevance(e))
    if sort in ("price_asc", "price_desc"):
        return price
    return relevance if sort == "relevance" else _newest
