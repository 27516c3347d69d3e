"""What is searched and what ranks, for every backend: the fields, their boosts, and the
document values relevance and its tie-breaks are computed from.

The Whoosh backend (whoosh_schema.py, whoosh_rank.py) and the PostgreSQL one
(postgres_schema.py, postgres_query.py) both read these, so they rank alike and pass one test
table. This module imports no search engine: a PostgreSQL deployment never loads Whoosh.

Relevance is a weighted sum over the (field, variant, word) matches of a document:

    field boost × idf(word in that field) × (1, or 1 + ACCENT_BOOST for the accent-kept
    variant, or PREFIX_BOOST for a prefix match)

Ties go to fewer words in the name (a more specific product), more OCOP stars, then newer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from search_index.text import words
from search_index.types import ProductDoc

# Searchable fields: (accent-kept field, folded field, boost). Name matters most.
TEXT_FIELDS: tuple[tuple[str, str, float], ...] = (
    ("name", "name_f", 6.0),
    ("producer", "producer_f", 3.0),
    ("place", "place_f", 2.5),
    ("group", "group_f", 2.0),
    ("desc", "desc_f", 1.0),
)
# Fields whose folded vocabulary the last, still-being-typed word is matched against as a
# prefix. Descriptions are left out: a two-letter prefix there expands to hundreds of terms.
PREFIX_FIELDS = ("name_f", "producer_f", "place_f", "group_f")
ACCENT_BOOST = 1.0  # the accent-kept variant adds this much again on top of the folded one
PREFIX_BOOST = 0.3  # a word matched only as a prefix counts for less than a whole word
# Names longer than this rank as equally long (the tie-break needs no finer steps).
MAX_NWORDS = 20


def field_texts(doc: ProductDoc) -> dict[str, str]:
    """The text of each searchable field of `doc`, by accent-kept field name (as given:
    each backend normalises it the way it stores it)."""
    return {
        "name": doc.name,
        "producer": doc.producer_name,
        "place": " ".join([doc.province_name, *doc.province_aliases]),
        "group": doc.category_name or "",
        "desc": doc.description,
    }


def name_length(doc: ProductDoc) -> int:
    """Words in the name, capped: among equally good matches the shorter name is the more
    specific product (what BM25's length normalisation would do for the name field)."""
    return min(MAX_NWORDS, len(words(doc.name)))


def epoch_micros(value: datetime) -> int:
    """Microseconds since the epoch, the recency key; a naive time is UTC (the catalogue
    stores naive UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1_000_000)
