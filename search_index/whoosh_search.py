"""Answering a SearchQuery from an IndexView: matching, filters, facets, order, highlights.

Matching:

* every word must match (AND), in any field, accent-free; if that finds nothing and there are
  several words, documents matching any word are returned (OR), best first, so one stray or
  misspelt word does not empty the page (the suggestion then offers a correction);
* the last word is also a prefix while the user is still typing it;
* an English glossary term ("fish sauce") matches as itself or as any of its Vietnamese
  terms (query.parse_query), each of those accent-kept;
* empty text (or text with no words, such as "((" or "*") browses every published product.

Facet counts follow the usual multi-select rule: the counts of one facet are computed over
the text matches with all the *other* facets' filters applied, so ticking "Hà Nội" leaves
the other provinces' counts visible and the user can widen the selection.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from search_index.highlight import Terms, highlights
from search_index.query import (
    QueryWord,
    Slot,
    ordered_facets,
    parse_query,
    terms_for,
    unique_names,
    window,
)
from search_index.types import FACET_FIELDS, FacetCount, SearchHit, SearchPage, SearchQuery
from search_index.weights import TEXT_FIELDS
from search_index.whoosh_rank import Weighted, by_key, by_relevance, by_stars, weighted_sets
from search_index.whoosh_schema import ALWAYS
from search_index.whoosh_segments import EMPTY
from search_index.whoosh_view import IndexView


def _intersect(sets: Iterable[frozenset[int]]) -> frozenset[int]:
    ordered = sorted(sets, key=len)
    if not ordered:
        return EMPTY
    result = ordered[0]
    for other in ordered[1:]:
        if not result:
            break
        result = result & other
    return result


def _filters(view: IndexView, q: SearchQuery) -> dict[str, frozenset[int]]:
    filters: dict[str, frozenset[int]] = {}
    if q.provinces:
        filters["province"] = view.values_docs("province", q.provinces)
    if q.categories:
        filters["category"] = view.values_docs("category", q.categories)
    if q.stars:
        filters["stars"] = view.values_docs("stars", (str(s) for s in q.stars))
    if q.verified is not None:
        filters["verified"] = view.values_docs("verified", ["true" if q.verified else "false"])
    if q.trusted is not None:
        filters["trusted"] = view.values_docs("trusted", ["true" if q.trusted else "false"])
    return filters


def _facets(
    view: IndexView, matched: frozenset[int], filters: dict[str, frozenset[int]]
) -> dict[str, tuple[FacetCount, ...]]:
    """Counts per facet value. Facets without a filter of their own all count over the same
    set (every filter applied), so they share one pass over the matches."""
    codes, combos = view.facet_codes()
    tallies: dict[frozenset[str], Counter[int]] = {}
    facets: dict[str, tuple[FacetCount, ...]] = {}
    for i, field in enumerate(FACET_FIELDS):
        others = frozenset(f for f in filters if f != field)
        tally = tallies.get(others)
        if tally is None:
            base = _intersect([matched, *(filters[f] for f in others)])
            tally = tallies[others] = Counter(map(codes.__getitem__, base))
        counts: Counter[str] = Counter()
        for code, n in tally.items():
            value = combos[code][i]
            if value is not None:
                counts[value] += n
        facets[field] = ordered_facets(counts)
    return facets


def _slot_docs(view: IndexView, slot: Slot, fields: Iterable[str] | None = None) -> frozenset[int]:
    """Documents with every word of one of the slot's readings (deleted ones included)."""
    found = [_intersect([view.word_docs(w, fields) for w in r]) for r in slot.readings]
    return found[0] if len(found) == 1 else frozenset().union(*found)


def _match(view: IndexView, words: list[Slot]) -> tuple[frozenset[int], Weighted, bool]:
    """Documents matching the slots (AND, else OR), their relevance weights, and whether
    the strict AND found anything."""
    sets = [_slot_docs(view, s) for s in words]
    weighted = [pair for s in words for w in s.words for pair in weighted_sets(view, w)]
    matched = view.live(_intersect(sets))
    if matched or len(words) == 1:
        return matched, weighted, bool(matched)
    return view.live(frozenset().union(*sets)), weighted, False


def search(view: IndexView, q: SearchQuery) -> SearchPage:
    span = window(q)
    sort, start, end = span.sort, span.offset, span.end

    words = parse_query(q.text)
    weighted: Weighted | None = None
    suggestion = None
    if words:
        matched, weighted, strict = _match(view, words)
        if not strict:
            suggestion = _suggest(view, words)
    else:
        matched = view.all_docs()

    if q.available_month is not None:  # not a facet: it narrows what every count sees
        matched = matched & view.values_docs("season", [ALWAYS, str(q.available_month)])
    filters = _filters(view, q)
    facets = _facets(view, matched, filters)
    final = _intersect([matched, *filters.values()])

    if sort == "relevance" and weighted is not None:
        ordered = by_relevance(view, final, weighted, end)
    elif sort == "stars":
        ordered = by_stars(view, final, weighted, end)
    else:
        ordered = [(d, 0.0) for d in by_key(view, final, sort, end)]

    terms = terms_for(words)
    hits = tuple(_hit(view, d, score, terms) for d, score in ordered[start:end])
    return SearchPage(
        total=len(final),
        page=span.page,
        per_page=span.per_page,
        hits=hits,
        facets=facets,
        suggestion=suggestion,
    )


def _hit(view: IndexView, docnum: int, score: float, terms: Terms) -> SearchHit:
    pid = view.column("pid")[docnum]
    if not terms:
        return SearchHit(id=pid, score=score)
    stored = view.stored(docnum)
    marked = highlights(stored.get("name", ""), stored.get("desc", ""), terms)
    return SearchHit(id=pid, score=score, highlights=marked)


def _suggest(view: IndexView, words: list[Slot]) -> str | None:
    """A one-typo correction of the words that match nothing, offered only if the corrected
    words all match one document together. Words that match stay as the user typed them,
    and so do glossary terms."""
    out: list[str] = []
    sets: list[frozenset[int]] = []
    changed = False
    for slot in words:
        docs = _slot_docs(view, slot)
        word = slot.plain
        fixed = None if docs or word is None else view.correct(word.folded)
        if fixed is None:
            out.append(slot.raw)
            sets.append(docs)
            continue
        changed = True
        out.append(view.accented_form(fixed))
        sets.append(view.word_docs(QueryWord(fixed, fixed, fixed)))
    if not changed or not view.live(_intersect(sets)):
        return None
    return " ".join(out)


def autocomplete(view: IndexView, prefix: str, limit: int) -> list[str]:
    """Names of products whose name has the earlier words and a word starting with the last
    one, best first, de-duplicated by their normalised form."""
    words = parse_query(prefix, min_prefix=1)
    if not words or limit <= 0:
        return []
    name_fields = TEXT_FIELDS[:1]
    folded = [f for _, f, _ in name_fields]
    matched = view.live(_intersect([_slot_docs(view, s, folded) for s in words]))
    weighted = [
        pair for s in words for w in s.words for pair in weighted_sets(view, w, name_fields)
    ]
    ranked = by_relevance(view, matched, weighted, limit * 4)
    return unique_names((view.stored(docnum).get("name", "") for docnum, _ in ranked), limit)
