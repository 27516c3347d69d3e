"""English words for kinds of products (search_index/glossary_en.csv): "honey" finds mật ong
and "fish sauce" nước mắm on every backend (Whoosh, PostgreSQL, the scan stand-in), while a
Vietnamese query keeps its meaning; and every row of the glossary is well formed."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest

from search_index import SearchQuery, glossary
from search_index.query import parse_query
from search_index.scan import Corpus
from search_index.text import fold_word, normalize_key, words
from tests.search_index.support import (
    CORPUS,
    backend_fixture,  # noqa: F401 (a fixture)
    ids,
    pg_database_fixture,  # noqa: F401 (a fixture)
)

DEMO_CSV = Path(__file__).resolve().parents[2] / "catalog" / "demo" / "catalogue.csv"
ENGLISH_TERM = re.compile(r"^[a-z]+(?: [a-z]+)*$")

# (query, ids that must be found, ids that must not be found), over support.CORPUS
CASES = [
    ("honey", {12}, set()),
    ("Honey", {12}, set()),
    ("HONEY ", {12}, set()),
    ("fish sauce", {2}, {14}),
    ("Fish Sauce Phu Quoc", {2}, set()),
    ("coffee", {14}, set()),
    ("tea", {11}, {14}),
    ("star anise", {8}, set()),
    ("silk", {16}, set()),
    ("rice", {21}, set()),
    ("pottery", {19}, set()),
    ("honey son la", {12}, set()),  # English and Vietnamese words together
    ("chili sauce", {17}, set()),
]


@pytest.mark.parametrize(("text", "found", "absent"), CASES, ids=[c[0] for c in CASES])
def test_english_words_find_vietnamese_products(backend, text, found, absent):
    result = set(ids(backend, text))
    assert found <= result, result
    assert not (absent & result), result


def test_glossary_terms_match_with_their_accents(backend):
    """ "fish" → "cá": the cá of a description, never the cà of cà phê."""
    result = ids(backend, "fish")
    assert 2 in result and 14 not in result, result


def test_vietnamese_queries_keep_their_meaning(backend):
    assert ids(backend, "te") == []  # not "tea"
    assert ids(backend, "mật ong") == [12]
    assert ids(backend, "nuoc mam")[0] == 2


def test_the_english_word_is_marked_as_its_vietnamese_term(backend):
    (hit,) = backend.search(SearchQuery(text="honey")).hits
    assert hit.highlights["name"] == "<mark>Mật</mark> <mark>ong</mark> Sức Khỏe"


def test_autocomplete_understands_whole_english_words(backend):
    assert backend.autocomplete("honey") == ["Mật ong Sức Khỏe"]
    assert backend.autocomplete("hone") == []  # a prefix of an English word is no term


def test_a_misspelt_word_next_to_an_english_term_is_corrected(backend):
    page = backend.search(SearchQuery(text="honey sonn la"))
    assert page.suggestion == "honey sơn la"


def test_the_scan_stand_in_understands_english_too():
    corpus = Corpus(CORPUS)
    assert corpus.search(SearchQuery(text="honey")).ids == [12]
    assert set(corpus.search(SearchQuery(text="fish sauce")).ids) == {2}
    fish = corpus.search(SearchQuery(text="fish")).ids
    assert 2 in fish and 14 not in fish
    assert corpus.search(SearchQuery(text="te")).ids == []
    assert corpus.autocomplete("honey") == ["Mật ong Sức Khỏe"]


# --- parsing -----------------------------------------------------------------------------


def test_longest_english_term_wins_and_only_whole_words_count():
    (slot,) = parse_query("fish sauce")
    assert slot.raw == "fish sauce"
    assert [[w.raw for w in r] for r in slot.readings] == [["fish", "sauce"], ["nước", "mắm"]]
    assert [s.raw for s in parse_query("fish sau")] == ["fish", "sau"]
    assert parse_query("teas")[0].plain is not None  # no term "teas": one plain word
    assert parse_query("tê")[0].plain is not None


def test_words_with_vietnamese_marks_are_never_english():
    assert all(s.plain is not None for s in parse_query("mật ong cà phê nước mắm"))
    assert all(s.plain is not None for s in parse_query("tèa"))


def test_glossary_terms_are_exact_and_never_prefixes():
    (slot,) = parse_query("honey")
    typed, vietnamese = slot.readings
    assert typed[0].prefix and not typed[0].exact  # the English word as typed
    assert all(w.exact and not w.prefix for w in vietnamese)


# --- the data ----------------------------------------------------------------------------


def test_every_glossary_row_is_well_formed():
    rows = glossary.read_rows()
    assert 60 <= len(rows) <= 200
    seen: dict[str, int] = {}
    for row in rows:
        assert row.english and row.vietnamese, f"line {row.line}: empty cell"
        for term in row.english:
            assert ENGLISH_TERM.match(term), f"line {row.line}: {term!r} is not lower-case ASCII"
            assert term not in seen, f"line {row.line}: {term!r} also on line {seen[term]}"
            seen[term] = row.line
        assert len(set(row.vietnamese)) == len(row.vietnamese), f"line {row.line}: repeated"
        for term in row.vietnamese:
            assert unicodedata.is_normalized("NFC", term), f"line {row.line}: {term!r} not NFC"
            assert term == normalize_key(term), f"line {row.line}: {term!r} not lower/canonical"
            assert words(term) and " ".join(words(term)) == term, f"line {row.line}: {term!r}"


def test_the_file_has_the_expected_layout():
    raw = glossary.GLOSSARY_PATH.read_text(encoding="utf-8")
    assert raw.startswith("english,vietnamese\n") and raw.endswith("\n")
    assert "\r" not in raw and "\ufeff" not in raw
    with glossary.GLOSSARY_PATH.open(encoding="utf-8", newline="") as handle:
        assert all(len(row) == 2 for row in csv.reader(handle))


def test_no_english_term_is_vietnamese_typed_without_accents():
    """Otherwise a Vietnamese query typed without accents would be read as English ("mat"
    is mật/mát, "pho" is phố/phở): no term may be made of words of the demo catalogue only
    ("conical hat" may stay: "conical" is no Vietnamese word, though "hat" is hạt)."""
    with DEMO_CSV.open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    vocabulary = {fold_word(w) for cell in cells for w in words(cell)}
    english = [term for row in glossary.read_rows() for term in row.english]
    clashes = [term for term in english if set(term.split()) <= vocabulary]
    assert clashes == [], clashes
