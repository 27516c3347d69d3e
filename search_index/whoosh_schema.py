"""The Whoosh schema and the Vietnamese analyzers it is built on.

Whoosh's StemmingAnalyzer is English: its stop list drops "an" (An Giang) and "may" (may mặc),
minsize 2 drops "ủ", and Porter stems folded "cay" to "cai" so "ớt cay" matches "cải". Our
analyzer is a single tokenizer that NFC-normalises, splits on words (keeping combining marks
inside them) and maps each word through a cached function from `text.py`: no stop words, no
stemming, no minimum size.

Each text field is indexed twice: accent-kept (canonical tone placement) and folded. A query
word is looked up in both, with the accented variant boosted, so "bò" finds bỏ and bơ too but
ranks bò first, and an accent-free "vai thieu" still finds "Vải thiều".

This module's classes are pickled into the index's table of contents by reference: keep their
names and module path stable, or existing indexes will no longer open.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from whoosh import columns, fields, formats
from whoosh.analysis import Token, Tokenizer
from whoosh.codec.whoosh3 import W3Codec

from search_index.text import WORD_RE, accent_key, fold_word, nfc
from search_index.types import ProductDoc
from search_index.weights import TEXT_FIELDS, epoch_micros, field_texts, name_length

NO_PRICE = -1
NO_DATE = -(2**62)


class VietnameseTokenizer(Tokenizer):
    """NFC, split into words, map each word to its accent-kept or folded key (cached)."""

    def __init__(self, folded: bool = False) -> None:
        self.folded = folded

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        key = fold_word if self.folded else accent_key
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text = nfc(value)
        for pos, match in enumerate(WORD_RE.finditer(text)):
            word = match.group()
            token.text = key(word)
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class UnscoredCodec(W3Codec):
    """Whoosh's W3 codec without per-posting field lengths.

    Whoosh's writer looks up the document's field length once per posting (for its BM25
    block statistics) when the codec has `length_stats`; measured, that lookup was a fifth
    of the build time, and for a non-scorable field it even checks the disk every time.
    We never use Whoosh's scorer, so every writer (see whoosh_backend.py) uses this codec.
    The on-disk format is W3's: any W3 reader reads these segments.
    """

    length_stats = False


class WordsText(fields.TEXT):
    """A TEXT field whose indexing skips Whoosh's token pipeline.

    Whoosh turns each value into Token objects, runs them through the format (a set of
    words for Existence) and encodes them, about a third of the build time in generator
    layers. This gives the same postings — the set of the analyzer's word keys, weight
    1.0, no value bytes — straight from the regex and the cached key functions.
    """

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        analyzer = self.analyzer
        if not isinstance(value, str) or not isinstance(analyzer, VietnameseTokenizer):
            yield from super().index(value, **kwargs)
            return
        key = fold_word if analyzer.folded else accent_key
        boost = self.format.field_boost
        for word in {key(w) for w in WORD_RE.findall(nfc(value))}:
            yield word.encode("utf-8"), 1, boost, b""


def _text(folded: bool, stored: bool = False) -> fields.TEXT:
    """A text field that records only which documents contain each word.

    Ranking is done from posting sets (whoosh_rank.py), highlighting by highlight.py and
    there are no phrase queries, so positions, frequencies and field lengths would only make
    the index bigger and slower to build. Not "scorable" (no length column), which is safe
    because the writers use UnscoredCodec, which never asks for lengths.
    """
    field = WordsText(analyzer=VietnameseTokenizer(folded), phrase=False, stored=stored)
    field.format = formats.Existence()
    field.scorable = False
    return field


def make_schema() -> fields.Schema:
    """A fresh schema; created lazily the first time an index directory is used."""
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True),
        pid=fields.COLUMN(columns.NumericColumn("q", default=-1)),
        # Filters and facets: plain terms, looked up as document sets.
        province=fields.ID(),
        category=fields.ID(),
        stars=fields.ID(),
        verified=fields.ID(),
        trusted=fields.ID(),
        # Stock: "always" and/or the harvest months "1".."12" (issue 14.6); "available in
        # month m" is the documents with "always" or "m", decided at query time.
        season=fields.KEYWORD(),
        # Number of words in the name: among equally good matches the shorter name is the
        # more specific one (what BM25's length normalisation would do for the name field).
        nwords=fields.ID(),
        # Sort keys, read as whole columns once per index version.
        stars_n=fields.COLUMN(columns.NumericColumn("B", default=0)),
        created_n=fields.COLUMN(columns.NumericColumn("q", default=NO_DATE)),
        price_n=fields.COLUMN(columns.NumericColumn("q", default=NO_PRICE)),
    )
    for accented, folded, _boost in TEXT_FIELDS:
        stored = accented in ("name", "desc")
        schema.add(accented, _text(folded=False, stored=stored))
        schema.add(folded, _text(folded=True))
    return schema


def _micros(value: datetime | None) -> int:
    return NO_DATE if value is None else epoch_micros(value)


ALWAYS = "always"


def season_terms(doc: ProductDoc) -> str:
    """The `season` field's terms of one document (possibly empty: sold out)."""
    terms = [ALWAYS] if doc.always_available else []
    terms += [str(m) for m in sorted(set(doc.harvest_months)) if 1 <= m <= 12]
    return " ".join(terms)


def doc_fields(doc: ProductDoc) -> dict[str, Any]:
    """The Whoosh document for one ProductDoc (stored text is NFC)."""
    values: dict[str, Any] = {
        "id": str(doc.id),
        "pid": doc.id,
        "verified": "true" if doc.verified else "false",
        "trusted": "true" if doc.trusted else "false",
        "nwords": str(name_length(doc)),
        "season": season_terms(doc),
        "stars_n": doc.ocop_stars or 0,
        "created_n": _micros(doc.created_at),
        "price_n": NO_PRICE if doc.price_vnd is None else doc.price_vnd,
    }
    if doc.province_slug:
        values["province"] = doc.province_slug
    if doc.category_slug:
        values["category"] = doc.category_slug
    if doc.ocop_stars:
        values["stars"] = str(doc.ocop_stars)
    texts = field_texts(doc)
    for accented, folded, _boost in TEXT_FIELDS:
        value = nfc(texts[accented])
        values[accented] = value
        values[folded] = value
    return values
