"""English words for kinds of products, and the Vietnamese search terms they stand for.

Product data stays Vietnamese; a foreign buyer types "honey" or "fish sauce". The glossary
(glossary_en.csv, data kept beside this module) maps English terms to Vietnamese ones, and
query.parse_query turns a whole English word or phrase typed *without diacritics* into a
query slot with those terms as alternatives (the English word itself stays one of them).

Why this cannot change a Vietnamese query: expansion needs whole words that match a
glossary term exactly (never a prefix, never part of a word: "tea" is not "te"), typed in
plain ASCII (anything with a Vietnamese mark is Vietnamese), and no English word of the
glossary is a Vietnamese word typed without accents (tests/search_index/test_glossary.py
checks that against the demo catalogue). The Vietnamese terms match accent-kept, so "fish"
→ "cá" does not find "cà phê".

The file: a header `english,vietnamese`, then one row per kind of product; several terms in
a cell are separated by "|". English terms are lower case ASCII words; Vietnamese terms are
NFC, lower case, tone marks placed as normalize_key places them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search_index.text import words

GLOSSARY_PATH = Path(__file__).with_name("glossary_en.csv")
SEPARATOR = "|"


@dataclass(frozen=True)
class Row:
    line: int
    english: tuple[str, ...]
    vietnamese: tuple[str, ...]


def _terms(cell: str) -> tuple[str, ...]:
    return tuple(" ".join(term.split()) for term in cell.split(SEPARATOR) if term.strip())


def read_rows(path: Path = GLOSSARY_PATH) -> list[Row]:
    """The rows as written (for the well-formedness test and for `Glossary`)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["english", "vietnamese"]:
            raise ValueError(f"{path.name}: the header must be 'english,vietnamese'")
        return [
            Row(n, _terms(row["english"] or ""), _terms(row["vietnamese"] or ""))
            for n, row in enumerate(reader, start=2)
        ]


class Glossary:
    """English term (as a tuple of lower-case words) → Vietnamese terms."""

    def __init__(self, rows: list[Row]) -> None:
        self.terms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for row in rows:
            for english in row.english:
                key = tuple(w.lower() for w in words(english))
                merged = self.terms.get(key, ()) + row.vietnamese
                self.terms[key] = tuple(dict.fromkeys(merged))
        self.longest = max((len(k) for k in self.terms), default=0)

    def match(self, typed: list[str], start: int) -> tuple[int, tuple[str, ...]]:
        """The longest English term at `typed[start:]` (lower-case words): how many words it
        takes and its Vietnamese terms; (0, ()) when none starts there."""
        for size in range(min(self.longest, len(typed) - start), 0, -1):
            found = self.terms.get(tuple(typed[start : start + size]))
            if found:
                return size, found
        return 0, ()


@lru_cache(maxsize=1)
def english() -> Glossary:
    """The glossary of this repository, read once per process."""
    return Glossary(read_rows())
