"""Marking matched words in result text, safely.

Whoosh's highlighter re-analyses the stored text and would have to agree with our folded
analyzer; it also leaves escaping to the caller. Here every word of the stored text is folded
with the same function as the index, compared with the query's folded words, and the output
is built piece by piece: matched words inside <mark>, *everything* else through html.escape.
A product description containing "<script>" therefore comes out as "&lt;script&gt;".
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from html import escape

from search_index.text import WORD_RE, accent_key, fold, fold_word, nfc

SNIPPET_CHARS = 200
_LEAD_CHARS = 60
ELLIPSIS = "…"


@dataclass(frozen=True)
class Terms:
    """What to mark: folded whole words, a folded prefix for the word being typed, and
    accent-kept whole words (Vietnamese terms of the English glossary, matched exactly)."""

    words: frozenset[str]
    prefix: str | None = None
    exact: frozenset[str] = frozenset()

    def matches(self, word: str) -> bool:
        key = fold_word(word)
        if key in self.words:
            return True
        if self.exact and accent_key(word) in self.exact:
            return True
        return self.prefix is not None and key.startswith(self.prefix)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Whole folded words (and the prefix) as one regular expression over folded text.

        fold_word spells consonant + y with i (mỹ → mi), so the y spelling is looked for too;
        every hit is confirmed with matches() on the original word.
        """
        needles = set(self.words) | {fold_word(w) for w in self.exact}
        needles.update([w[:-1] + "y" for w in needles if w.endswith("i")])
        alternatives = sorted((re.escape(n) for n in needles), key=len, reverse=True)
        if self.prefix:
            starts = {self.prefix}
            if self.prefix.endswith("i"):
                starts.add(self.prefix[:-1] + "y")
            alternatives += [re.escape(start) + r"[^\W_]*" for start in sorted(starts)]
        body = "|".join(alternatives) or r"(?!)"
        return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])")

    def __bool__(self) -> bool:
        return bool(self.words) or bool(self.prefix) or bool(self.exact)


def _render(text: str, spans: Collection[tuple[int, int]], start: int, end: int) -> str:
    out: list[str] = []
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        out.append(escape(text[pos:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def _spans(text: str, terms: Terms) -> list[tuple[int, int]]:
    folded = fold(text)
    if len(folded) == len(text):
        # The usual case: folding kept every position, so one regex pass over the folded
        # text finds the candidates (a description on a result page rarely has many).
        found = terms.pattern.finditer(folded)
        return [m.span() for m in found if terms.matches(text[m.start() : m.end()])]
    return [m.span() for m in WORD_RE.finditer(text) if terms.matches(m.group())]


def mark(text: str, terms: Terms) -> str:
    """The whole text, escaped, with matched words in <mark>."""
    text = nfc(text)
    return _render(text, _spans(text, terms), 0, len(text))


def snippet(text: str, terms: Terms, size: int = SNIPPET_CHARS) -> str | None:
    """About `size` characters around the first match, escaped and marked; None when no
    word matches (the caller then shows its own plain text)."""
    text = nfc(text)
    spans = _spans(text, terms)
    if not spans:
        return None
    first = spans[0][0]
    start = 0 if first <= _LEAD_CHARS else _word_start(text, first - _LEAD_CHARS, first)
    end = min(len(text), start + size)
    if end < len(text):
        end = _word_end(text, end, floor=max(first + 1, spans[0][1]))
    body = _render(text, spans, start, end).strip()
    return (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(text) else "")


def _word_start(text: str, pos: int, limit: int) -> int:
    """Move `pos` forward to the start of the next word so a snippet never starts mid-word
    (but never past the match at `limit`)."""
    space = text.find(" ", pos, limit)
    return pos if space == -1 else space + 1


def _word_end(text: str, pos: int, floor: int) -> int:
    """Move `pos` back to a space so a snippet never ends mid-word (but not before `floor`)."""
    space = text.rfind(" ", floor, pos + 1)
    return pos if space == -1 else space


def highlights(name: str, description: str, terms: Terms) -> dict[str, str]:
    """A hit's highlights: the whole name, marked, and a marked snippet of the description
    when a word matches there (without one the page shows its own plain text)."""
    result = {"name": mark(name, terms)}
    fragment = snippet(description, terms)
    if fragment is not None:
        result["description"] = fragment
    return result
