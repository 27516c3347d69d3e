"""Tables of the PostgreSQL search backend, and how a ProductDoc becomes a row.

The words are analysed in Python with the same functions as the Whoosh analyzer
(text.py: NFC, tone placement, folding, i/y), not with PostgreSQL's parser and `unaccent`:
those split "kỹ-thuật" and "ST25" differently, keep đ in some rules and know nothing of
"hoà"/"hòa", so the two backends would disagree. Each document gets one tsvector whose
lexemes are tagged with their field and variant ("nf:vai" = folded word of the name,
"na:vải" = accent-kept word of the name) and built with array_to_tsvector, so PostgreSQL
stores exactly our words; a GIN index over it answers whole-word and prefix (`:*`)
lookups per field.

The tables live in their own schema (default `choviet_search`) so that Alembic's
autogenerate, which looks at the app's default schema only, never proposes to drop them.
A small vocabulary table (folded word, accented form) serves spelling suggestions.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    cast,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.dialects.postgresql import insert as pg_insert

from search_index.text import WORD_RE, accent_key, fold_word, nfc
from search_index.types import ProductDoc
from search_index.weights import epoch_micros, field_texts, name_length

SCHEMA_VERSION = "2"  # 2: always_available, months (issue 14.6)
DEFAULT_SCHEMA = "choviet_search"
# Field of TEXT_FIELDS -> lexeme tag. Tags are all two letters and a colon, so a prefix
# query "nf:vai:*" can only match words of that field and variant.
FIELD_TAGS = {"name": "n", "producer": "p", "place": "l", "group": "g", "desc": "d"}
# PostgreSQL refuses lexemes over 2 KB; query words are capped at 40 characters anyway.
MAX_LEXEME_CHARS = 100
DOCS, VOCAB, META = "search_documents", "search_vocab", "search_meta"
BUILD_SUFFIX = "_build"


def lexeme(field: str, variant: str, word: str) -> str:
    """The tagged lexeme of `word` (already keyed) in `field`; variant "a" or "f"."""
    return f"{FIELD_TAGS[field]}{variant}:{word[:MAX_LEXEME_CHARS]}"


def make_tables(metadata: MetaData, suffix: str = "") -> tuple[Table, Table]:
    """The documents and vocabulary tables (named with `suffix` while a rebuild fills them).

    Index and key names are explicit so that a rebuild can rename them with its tables.
    """
    docs = Table(
        DOCS + suffix,
        metadata,
        Column("id", BigInteger, nullable=False, autoincrement=False),
        Column("name", Text, nullable=False),
        Column("description", Text, nullable=False),
        Column("province", Text),
        Column("category", Text),
        Column("stars", SmallInteger),  # NULL when the product has no (valid) OCOP stars
        Column("verified", Boolean, nullable=False),
        Column("trusted", Boolean, nullable=False),
        # Stock: in stock all year, else the harvest months as a bitmask (bit m-1: month m).
        Column("always_available", Boolean, nullable=False),
        Column("months", SmallInteger, nullable=False),
        Column("price", BigInteger),
        Column("created_us", BigInteger),  # microseconds since the epoch, UTC
        Column("nwords", SmallInteger, nullable=False),
        Column("words", TSVECTOR, nullable=False),
        PrimaryKeyConstraint("id", name=f"{DOCS}{suffix}_pkey"),
    )
    Index(f"{DOCS}{suffix}_words", docs.c.words, postgresql_using="gin")
    vocab = Table(
        VOCAB + suffix,
        metadata,
        # "C" collation: the primary key's b-tree then serves `folded LIKE 'x%'`.
        Column("folded", Text(collation="C"), nullable=False),
        Column("accented", Text(collation="C"), nullable=False),
        PrimaryKeyConstraint("folded", "accented", name=f"{VOCAB}{suffix}_pkey"),
    )
    return docs, vocab


def make_meta(metadata: MetaData) -> Table:
    """Key/value pairs: "schema_version", and "documents", the number of documents, kept
    by every write in the same transaction (relevance needs it on every query)."""
    return Table(
        META,
        metadata,
        Column("key", Text, primary_key=True),
        Column("value", Text, nullable=False),
    )


def lock_key(schema: str, purpose: str) -> int:
    """A stable 32-bit advisory lock key for one schema and purpose."""
    return zlib.crc32(f"choviet-search:{schema}:{purpose}".encode())


def ensure_schema(conn: Connection, schema: str, metadata: MetaData) -> None:
    """Create the schema and tables if missing; safe when several processes start at once
    (serialised by a transaction-level advisory lock). The caller commits."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(schema, "schema")})
    preparer = conn.dialect.identifier_preparer
    conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {preparer.quote_schema(schema)}"))
    tables = [metadata.tables[f"{schema}.{name}"] for name in (DOCS, VOCAB, META)]
    metadata.create_all(conn, tables=tables, checkfirst=True)
    meta = metadata.tables[f"{schema}.{META}"]
    docs = metadata.tables[f"{schema}.{DOCS}"]
    conn.execute(
        pg_insert(meta).values(key="schema_version", value=SCHEMA_VERSION).on_conflict_do_nothing()
    )
    count = select(literal("documents"), cast(func.count(), Text)).select_from(docs)
    conn.execute(pg_insert(meta).from_select(["key", "value"], count).on_conflict_do_nothing())


def _micros(value: datetime | None) -> int | None:
    return None if value is None else epoch_micros(value)


def _clean(value: str | None) -> str:
    """NFC without NUL characters, which PostgreSQL text cannot hold."""
    return nfc(value or "").replace("\x00", "")


def doc_row(doc: ProductDoc) -> dict[str, Any]:
    """The documents-table row of one ProductDoc; "lexemes" feeds array_to_tsvector."""
    lexemes: set[str] = set()
    for field, value in field_texts(doc).items():
        for word in WORD_RE.findall(nfc(value)):
            accented, folded = accent_key(word), fold_word(word)
            if folded:
                lexemes.add(lexeme(field, "f", folded))
            if accented:
                lexemes.add(lexeme(field, "a", accented))
    return {
        "id": int(doc.id),
        "name": _clean(doc.name),
        "description": _clean(doc.description),
        "province": _clean(doc.province_slug) or None,
        "category": _clean(doc.category_slug) or None,
        "stars": int(doc.ocop_stars) if doc.ocop_stars else None,
        "verified": bool(doc.verified),
        "trusted": bool(doc.trusted),
        "always_available": bool(doc.always_available),
        "months": sum(1 << (m - 1) for m in set(doc.harvest_months) if 1 <= m <= 12),
        "price": None if doc.price_vnd is None else int(doc.price_vnd),
        "created_us": _micros(doc.created_at),
        "nwords": name_length(doc),
        "lexemes": sorted(lexemes),
    }


def vocab_pairs(doc: ProductDoc) -> set[tuple[str, str]]:
    """(folded word, accent-kept word) pairs of every text field of `doc`."""
    pairs: set[tuple[str, str]] = set()
    for value in field_texts(doc).values():
        for word in WORD_RE.findall(nfc(value)):
            folded = fold_word(word)[:MAX_LEXEME_CHARS]
            if folded:
                pairs.add((folded, accent_key(word)[:MAX_LEXEME_CHARS]))
    return pairs
