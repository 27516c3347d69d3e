"""Whole numbers read from text that people and programs send: URL parts, query strings,
form fields, "kind:id" values. One rule for the whole app, so no caller can forget it.

- Only ASCII digits: `str.isdigit()` also accepts "²", and Python's `int()` and the `\\d`
  of a regular expression accept "١٢" (Arabic-Indic) and other scripts' digits.
- Never past the database's integers: every id column is `Integer`, which PostgreSQL
  stores in 32 bits (2**31 - 1 at most, a larger value is a DataError); SQLite's 64-bit
  integers hold more, so the smaller bound serves both. A larger value names no row.
- Short: at most MAX_DIGITS digits are converted, so a 100,000-digit "number" costs nothing.

Anything else is "no number" (None); the caller decides whether that is a 404, a 400 or a
form error.
"""

from __future__ import annotations

import re
from collections.abc import Container

# The largest value an Integer column holds on both databases (PostgreSQL's INTEGER).
MAX_ID = 2**31 - 1
MAX_DIGITS = len(str(MAX_ID))
# One to MAX_DIGITS ASCII digits, nothing else (re.ASCII keeps \d out; we spell [0-9]).
DIGITS = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")
DIGITS_PATTERN = DIGITS.pattern


def whole_number(text: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """'12' → 12 (surrounding spaces allowed); None for signs, decimals, exponents,
    non-ASCII digits, values outside [minimum, maximum] (never above MAX_ID), non-strings."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        value = text
    elif isinstance(text, str):
        stripped = text.strip()
        if not DIGITS.fullmatch(stripped):
            return None
        value = int(stripped)
    else:
        return None
    if value < minimum or value > min(maximum, MAX_ID):
        return None
    return value


def row_id(text: object) -> int | None:
    """An id as it may name a row: 1 to MAX_ID, else None (no row has it)."""
    return whole_number(text, minimum=1)


def kind_and_id(value: object, kinds: Container[str]) -> tuple[str, int] | None:
    """'producer:123' → ('producer', 123) when the kind is one of `kinds` and the id could
    name a row; None otherwise (bulk actions, photo actions and the like)."""
    kind, sep, raw = str(value).partition(":")
    if not sep or kind not in kinds:
        return None
    number = row_id(raw)
    return (kind, number) if number is not None else None
