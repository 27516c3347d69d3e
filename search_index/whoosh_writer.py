"""Writing Whoosh segments fast: our posting pool, a block-wise posting writer, and the merge
policy for small commits.

Whoosh's own SegmentWriter, with its PostingPool, a per-posting writer call and BM25 length
statistics, made a 100k rebuild superlinear (about 250 s); PoolWriter brings it to about 70 s
and writes the same postings (tests compare the two). merge_tiers keeps an edit's commit one
small segment and its merges small and rare.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.index import FileIndex
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from search_index.whoosh_schema import UnscoredCodec

# Segments are grouped in tiers by size (1–4 documents, 5–24, 25–124, …); a tier is merged
# into one segment when it holds MERGE_FANOUT segments.
MERGE_FANOUT = 5


class TermPool:
    """Postings of one writer kept as a list of document numbers per (field, term).

    Whoosh's PostingPool keeps one tuple per posting and, past `limitmb`, sorts and spills
    them to temporary files and merges those back: at 100k products (8–9 million postings)
    that made a rebuild superlinear (10k in 8 s, 100k in 206 s). Here a posting costs one
    list slot (the document number object is shared by all postings of a document), and
    only the distinct terms are sorted when the segment is written. Every posting in our
    schema has weight 1.0 and no value bytes; any other is kept aside and given back.
    """

    def __init__(self) -> None:
        self.postings: dict[tuple[str, bytes], list[int]] = {}
        self.odd: dict[tuple[str, bytes, int], tuple[float, bytes | None]] = {}
        self.fieldnames: set[str] = set()

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, btext, docnum, weight, value = item
        key = (fieldname, btext)
        docs = self.postings.get(key)
        if docs is None:
            docs = self.postings[key] = []
            self.fieldnames.add(fieldname)
        docs.append(docnum)
        if weight != 1.0 or value:
            self.odd[(fieldname, btext, docnum)] = (weight, value)

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        odd = self.odd
        for key in sorted(self.postings):
            fieldname, btext = key
            docs = self.postings[key]
            docs.sort()
            if odd:
                for docnum in docs:
                    weight, value = odd.get((fieldname, btext, docnum), (1.0, b""))
                    yield fieldname, btext, docnum, weight, value
            else:
                for docnum in docs:
                    yield fieldname, btext, docnum, 1.0, b""

    def cleanup(self) -> None:
        self.postings = {}
        self.odd = {}


def _write_term_pool(fieldwriter: W3FieldWriter, schema: Any, pool: TermPool) -> None:
    """What `fieldwriter.add_postings(schema, None, pool.iter_postings())` does, a block
    of document numbers at a time instead of one Python call per posting (a quarter of the
    build time). Uses W3PostingsWriter's block buffer, as its add_posting() does: a full
    block is written before the next posting is added, and the last one is left for
    finish_term() (which inlines short posting lists)."""
    lastfield = None
    for key in sorted(pool.postings):
        fieldname, btext = key
        if fieldname != lastfield:
            if lastfield is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfield = fieldname
        docs = pool.postings[key]
        docs.sort()
        fieldwriter.start_term(btext)
        postings = fieldwriter._postwriter
        limit = postings._blocklimit
        for start in range(0, len(docs), limit):
            if len(postings._ids) >= limit:
                postings._write_block()
            chunk = docs[start : start + limit]
            postings._ids.extend(chunk)
            postings._weights.extend([1.0] * len(chunk))
            postings._maxweight = max(postings._maxweight, 1.0)
        fieldwriter.finish_term()
    if lastfield is not None:
        fieldwriter.finish_field()


class PoolWriter(SegmentWriter):
    """Whoosh's writer with our codec and posting pool (see UnscoredCodec and TermPool)."""

    def __init__(self, ix: FileIndex, **kwargs: Any) -> None:
        super().__init__(ix, codec=UnscoredCodec(), **kwargs)
        self.pool = TermPool()

    def _flush_segment(self) -> None:
        pool, fieldwriter = self.pool, self.fieldwriter
        if not (isinstance(pool, TermPool) and type(fieldwriter) is W3FieldWriter) or pool.odd:
            super()._flush_segment()  # pragma: no cover - another Whoosh build
            return
        self.perdocwriter.close()
        _write_term_pool(fieldwriter, self.schema, pool)
        fieldwriter.close()


def pool_writer(ix: FileIndex, **kwargs: Any) -> SegmentWriter:
    """The writer every commit of this package uses (see PoolWriter)."""
    return PoolWriter(ix, **kwargs)


def _tier(segment: Any) -> int:
    size, tier = segment.doc_count_all(), 0
    while size >= MERGE_FANOUT:
        size //= MERGE_FANOUT
        tier += 1
    return tier


def merge_tiers(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Merge policy for small commits: merge only a tier of MERGE_FANOUT similar segments.

    Whoosh's default policy (MERGE_SMALL) merged the small segments on about every fifth
    single-document commit, 80–270 ms each time, which made the p95 of "an edit is visible"
    miss its target. Here a single-document commit writes one tiny segment; every fifth such
    commit merges the five tiny ones (measured at 10k: 40–65 ms, against 10–15 ms for a
    commit without a merge), every 25th merges five of ~5 documents, and so on. A document
    is rewritten about once per tier, the big segment of a rebuild is never rewritten by
    edits (its deleted documents stay until the next rebuild), and there are fewer than
    MERGE_FANOUT segments per tier. Returns the segments kept as they are.
    """
    tiers: dict[int, list[Any]] = {}
    for segment in segments:
        tiers.setdefault(_tier(segment), []).append(segment)
    for tier in sorted(tiers):
        group = tiers[tier]
        if len(group) >= MERGE_FANOUT:
            for segment in group:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                try:
                    writer.add_reader(reader)
                finally:
                    reader.close()
            merged = {id(segment) for segment in group}
            return [segment for segment in segments if id(segment) not in merged]
    return segments
