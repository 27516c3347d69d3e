"""Reading Whoosh segments fast, and caching what was read per segment.

A Whoosh segment never changes once written (only its deletion list grows), so what we read
from it stays valid for as long as the segment exists. After a commit the index usually has
the same big segment plus one small new one: only the small one has to be read, and the
first query after an edit stays fast.

Two fast paths read Whoosh's on-disk structures in bulk instead of one Python call per
document (measured at 20k documents: a numeric column 30 ms → 1.5 ms, a posting list about
2× faster). They use attributes private to Whoosh 2.7's W3 codec; Whoosh-Reloaded is frozen
and pinned, and any other reader type falls back to the public, slower API. A test checks
both paths give the same answer.
"""

from __future__ import annotations

import contextlib
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.columns import NumericColumn
from whoosh.index import TOC, FileIndex
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import EmptyReader, IndexReader, MultiReader, SegmentReader

EMPTY: frozenset[int] = frozenset()
_TERM_CACHE_LIMIT = 50000


def read_column(leaf: IndexReader, name: str) -> list[Any]:
    """Every value of a column in one segment (deleted documents included)."""
    count = leaf.doc_count_all()
    column = leaf.schema[name].column_type
    if not leaf.has_column(name):
        return [column.default_value()] * count
    reader = leaf.column_reader(name, translate=False)
    if type(reader) is NumericColumn.Reader:
        try:
            return _numeric_values(reader, count)
        except (AttributeError, ValueError):  # pragma: no cover - another Whoosh build
            pass
    return list(reader)


def _numeric_values(reader: Any, count: int) -> list[Any]:
    # Values are stored big-endian and contiguous; documents past the last written value
    # take the column default.
    stored = min(reader._count, count)
    raw = reader._dbfile.get(reader._basepos, stored * reader._fixedlen)
    values = array(reader._typecode, raw)
    if values.itemsize != reader._fixedlen:
        raise ValueError("unexpected item size")
    if sys.byteorder == "little":
        values.byteswap()
    result = values.tolist()
    result.extend([reader._default] * (count - stored))
    return result


def read_postings(leaf: IndexReader, field: str, term: str) -> frozenset[int]:
    """Segment-local numbers of the documents containing `term` (deleted ones included)."""
    if field not in leaf.schema:  # an index built before the field was added
        return EMPTY
    btext = leaf.schema[field].to_bytes(term)
    if (field, btext) not in leaf:
        return EMPTY
    matcher = leaf.postings(field, btext)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # the deletion filter: deletions are applied by the view
    if type(matcher) is W3LeafMatcher:
        try:
            return frozenset(_block_ids(matcher))
        except AttributeError:  # pragma: no cover - another Whoosh build
            matcher = leaf.postings(field, btext)
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child
    return frozenset(matcher.all_ids())


def _block_ids(matcher: Any) -> list[int]:
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids)
        matcher._next_block()
    return ids


class SegmentData:
    """One open segment and what has been read from it: columns, posting sets (in global
    document numbers for the segment's current offset) and facet values."""

    def __init__(self, reader: SegmentReader) -> None:
        self.reader = reader
        self.offset = 0
        self.columns: dict[str, list[Any]] = {}
        self.terms: dict[tuple[str, str], frozenset[int]] = {}
        self.lexicons: dict[str, list[str]] = {}
        self.cache: dict[str, Any] = {}  # derived from the segment alone, offset-free

    def cached(self, name: str, compute: Callable[[SegmentData], Any]) -> Any:
        """`compute(self)`, computed once per segment (the segment never changes)."""
        value = self.cache.get(name)
        if value is None:
            value = self.cache[name] = compute(self)
        return value

    def rebase(self, offset: int) -> None:
        """Segments before this one were merged away: global numbers moved."""
        if offset != self.offset:
            self.offset = offset
            self.terms.clear()

    def column(self, name: str) -> list[Any]:
        values = self.columns.get(name)
        if values is None:
            values = self.columns[name] = read_column(self.reader, name)
        return values

    def term(self, field: str, term: str) -> frozenset[int]:
        key = (field, term)
        docs = self.terms.get(key)
        if docs is None:
            docs = read_postings(self.reader, field, term)
            if docs and self.offset:
                offset = self.offset
                docs = frozenset(d + offset for d in docs)
            if len(self.terms) >= _TERM_CACHE_LIMIT:
                self.terms.clear()
            self.terms[key] = docs
        return docs

    def lexicon(self, field: str) -> list[str]:
        values = self.lexicons.get(field)
        if values is None:
            known = field in self.reader.schema  # an older index may lack the field
            values = self.lexicons[field] = [
                raw.decode("utf-8") if isinstance(raw, bytes) else raw
                for raw in (self.reader.lexicon(field) if known else ())
            ]
        return values


@dataclass(frozen=True)
class Leaf:
    data: SegmentData
    offset: int
    deleted: frozenset[int]  # segment-local numbers, from the newest table of contents


class OpenSegments:
    """The segments of one index directory, each opened once and kept open for as long as it
    is part of the index.

    This replaces Whoosh's `Searcher.refresh()`, which in Whoosh-Reloaded 2.7.5 reuses segment
    readers together with their *old* deletion lists and re-adds segments a merge removed, so
    deleted and replaced documents kept being found. Here deletions are always taken from the
    newest table of contents (our views apply them), and readers of segments that are gone
    are closed. Segments are compound files, memory-mapped, so a segment file deleted by
    another process's merge stays readable until we close it.
    """

    def __init__(self, ix: FileIndex) -> None:
        self.ix = ix
        self.generation = -1
        self.reader: IndexReader = EmptyReader(None)
        self.leaves: list[Leaf] = []
        self._open: dict[str, SegmentData] = {}

    def refresh(self) -> bool:
        """Catch up with the newest commit; True if anything changed."""
        for _ in range(10):
            generation = self.ix.latest_generation()
            if generation < 0:
                # Whoosh lists a deleted directory as empty: a rebuild retired this generation.
                raise FileNotFoundError(f"no index in {self.ix.storage}")
            if generation == self.generation:
                return False
            try:
                toc = TOC.read(self.ix.storage, self.ix.indexname, gen=generation)
            except OSError:  # a writer replaced that TOC between listing and reading it
                continue
            self._load(toc)
            return True
        raise RuntimeError(f"could not read a stable index version from {self.ix.storage}")

    def _load(self, toc: TOC) -> None:
        still_open: dict[str, SegmentData] = {}
        leaves: list[Leaf] = []
        offset = 0
        for segment in toc.segments:
            key = segment.segment_id()
            data = self._open.pop(key, None) or SegmentData(
                SegmentReader(self.ix.storage, toc.schema, segment, generation=toc.generation)
            )
            still_open[key] = data
            data.rebase(offset)
            leaves.append(Leaf(data, offset, frozenset(segment.deleted_docs())))
            offset += data.reader.doc_count_all()
        self.close()
        self._open, self.leaves, self.generation = still_open, leaves, toc.generation
        readers = [leaf.data.reader for leaf in leaves]
        if not readers:
            self.reader = EmptyReader(toc.schema)
        elif len(readers) == 1:
            self.reader = readers[0]
        else:
            # Never closed itself: its sub-readers are owned (and closed) by this object.
            self.reader = MultiReader(readers, generation=toc.generation)

    def close(self) -> None:
        for data in self._open.values():
            with contextlib.suppress(Exception):
                data.reader.close()
        self._open = {}
