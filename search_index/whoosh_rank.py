"""Relevance and the other orders, computed with set operations.

Relevance is a weighted sum over the (field, variant, word) matches of a document:

    weight = field boost × idf(word in that field) × (1, or 1 + ACCENT_BOOST for the
             accent-kept variant, or PREFIX_BOOST for a prefix match)

so a name match outweighs a description match, a rare word outweighs a common one, and the
exact accent ("bò") outweighs a folded match (bỏ, bơ). Term frequency is ignored: product
fields are short and repeating a word in a description should not buy rank.

The sum is computed without Python work per document: the candidates are split into groups
by each matching set in turn (C-level `&` and `-`) and groups with equal sums are merged, so
a query costs a few set operations per (field, word) and the groups stay few. (Whoosh's own
scorer walks every match in Python: 50–400 ms for a common word at 20k products.) Ties are
broken by fewer words in the name (a more specific product), more OCOP stars, then newer.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from search_index.query import QueryWord
from search_index.weights import ACCENT_BOOST, PREFIX_BOOST, PREFIX_FIELDS, TEXT_FIELDS
from search_index.whoosh_schema import NO_DATE
from search_index.whoosh_segments import SegmentData
from search_index.whoosh_view import IndexView, restrict

Weighted = list[tuple[float, frozenset[int]]]


def weighted_sets(
    view: IndexView, word: QueryWord, fields: tuple[tuple[str, str, float], ...] = TEXT_FIELDS
) -> Weighted:
    total = max(1, view.live_count())
    result: Weighted = []
    for accented, folded, boost in fields:
        if word.exact:  # a glossary term counts as an accent-kept match, where it is one
            docs = view.term_docs(accented, word.accented)
            if docs:
                idf = math.log(1 + total / len(docs))
                result.append((boost * idf * (1 + ACCENT_BOOST), docs))
            continue
        docs = view.term_docs(folded, word.folded)
        if docs:
            weight = boost * math.log(1 + total / len(docs))
            result.append((weight, docs))
            exact = view.term_docs(accented, word.accented)
            if exact:
                result.append((weight * ACCENT_BOOST, exact))
        if word.prefix and folded in PREFIX_FIELDS:
            docs = view.prefix_docs(folded, word.folded)
            if docs:
                result.append((boost * PREFIX_BOOST * math.log(1 + total / len(docs)), docs))
    return result


def _score_groups(docs: frozenset[int], weighted: Weighted) -> dict[float, frozenset[int]]:
    groups: dict[float, frozenset[int]] = {0.0: docs}
    for weight, all_matching in weighted:
        matching = docs & all_matching
        if not matching:
            continue
        if len(matching) == len(docs):  # every candidate matches: no split
            groups = {round(s + weight, 6): g for s, g in groups.items()}
            continue
        parts: dict[float, list[frozenset[int]]] = {}
        for score, group in groups.items():
            inside = group & matching
            if not inside:
                parts.setdefault(score, []).append(group)
                continue
            parts.setdefault(round(score + weight, 6), []).append(inside)
            if len(inside) < len(group):
                parts.setdefault(score, []).append(group - inside)
        groups = {s: p[0] if len(p) == 1 else frozenset().union(*p) for s, p in parts.items()}
    return groups


def _tie_groups(view: IndexView, group: frozenset[int]) -> Iterator[frozenset[int]]:
    """Equal-score documents split in tie-break order: fewer name words, more stars."""
    nwords = view.facet_sets("nwords")
    stars = view.facet_sets("stars")
    for length in sorted(nwords, key=int):
        same_length = restrict(group, nwords[length])
        if not same_length:
            continue
        rest = same_length
        for value in sorted(stars, reverse=True):
            subset = restrict(rest, stars[value])
            if subset:
                yield subset
                rest = rest - subset
        if rest:
            yield rest


def by_relevance(
    view: IndexView, docs: frozenset[int], weighted: Weighted, limit: int
) -> list[tuple[int, float]]:
    """The best `limit` documents of `docs`, as (docnum, score)."""
    ranked: list[tuple[int, float]] = []
    if limit <= 0 or not docs:
        return ranked
    recency = recency_keys(view)
    groups = _score_groups(docs, weighted)
    for score in sorted(groups, reverse=True):
        for tied in _tie_groups(view, groups[score]):
            for docnum in sorted(tied, key=recency.__getitem__, reverse=True):
                ranked.append((docnum, score))
                if len(ranked) >= limit:
                    return ranked
    return ranked


def _recency(data: SegmentData) -> list[int]:
    return [
        ((c - NO_DATE) << 40) | (p & 0xFFFFFFFFFF)
        for c, p in zip(data.column("created_n"), data.column("pid"), strict=True)
    ]


def recency_keys(view: IndexView) -> list[int]:
    """Per document an integer that grows with recency; the product id breaks equal times."""
    return view.derived("~recency", _recency)


def _price_keys(data: SegmentData, descending: bool) -> list[int]:
    # (unpriced, price or its complement, -recency) packed into one integer.
    return [
        (1 << 200) + ((1 << 105) - r)
        if p < 0
        else (((1 << 63) - p if descending else p) << 110) + ((1 << 105) - r)
        for p, r in zip(data.column("price_n"), _recency(data), strict=True)
    ]


def price_keys(view: IndexView, descending: bool) -> list[int]:
    """Ascending sort keys for price: unpriced always last, equal prices newest first."""
    if descending:
        return view.derived("~price_desc", lambda data: _price_keys(data, True))
    return view.derived("~price_asc", lambda data: _price_keys(data, False))


def by_key(view: IndexView, docs: frozenset[int], sort: str, limit: int) -> list[int]:
    """The first `limit` documents of `docs` by newest or price."""
    if sort in ("price_asc", "price_desc"):
        keys = price_keys(view, descending=sort == "price_desc")
        return sorted(docs, key=keys.__getitem__)[:limit]
    recency = recency_keys(view)
    return sorted(docs, key=recency.__getitem__, reverse=True)[:limit]


def by_stars(
    view: IndexView, docs: frozenset[int], weighted: Weighted | None, limit: int
) -> list[tuple[int, float]]:
    """Stars descending, then relevance (or newest without words); only the star groups
    that reach the requested page are ordered."""
    stars = view.facet_sets("stars")
    groups: list[frozenset[int]] = []
    rest = docs
    for value in sorted(stars, reverse=True):
        groups.append(restrict(rest, stars[value]))
        rest = rest - groups[-1]
    groups.append(rest)
    ranked: list[tuple[int, float]] = []
    for group in groups:
        need = limit - len(ranked)
        if need <= 0:
            break
        if weighted is None:
            ranked += [(d, 0.0) for d in by_key(view, group, "newest", need)]
        else:
            ranked += by_relevance(view, group, weighted, need)
    return ranked
