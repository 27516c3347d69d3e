"""Pure Vietnamese text functions shared by the search analyzer, the importer, forms and slugs.

One definition for everyone matters because the same product name reaches us in several
spellings of the same characters:

* NFD (decomposed) input from some keyboards and macOS file names: "Bình" arrives as
  "B i n h + combining grave", and any `\\w+` tokenizer splits it into "bi" + "nh";
* two tone placements in open oa/oe/uy syllables ("hoà" vs "hòa", "thuỷ" vs "thủy"), which are
  different code points even in NFC;
* people typing without accents ("vai thieu") or with đ typed as d.

Nothing here imports Flask, Whoosh or the catalogue, so the functions are cheap to test and
safe to call from anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "WORD_RE",
    "accent_key",
    "canonical_tones",
    "fold",
    "fold_word",
    "match_word",
    "nfc",
    "normalize_key",
    "slugify",
    "tokenize",
    "unify_iy",
    "words",
]

# The five tone marks. Circumflex, breve and horn change the vowel itself and never move.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aeiouy")
# Open syllables whose tone mark is written in two places in the wild.
_MOVABLE = frozenset({"oa", "oe", "uy"})
# A word: letters/digits plus any combining marks NFC could not compose. Underscore is not a
# word character for us (Python's \w includes it).
WORD_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_FOLD_TABLE = {cp: None for cp in range(0x300, 0x370)} | {ord("đ"): "d", ord("Đ"): "d"}
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
# Syllables spelled with either i or y after a single consonant onset (kỹ/kĩ, Mỹ/Mĩ, lý/lí).
_IY_RE = re.compile(r"^(?:b|c|ch|d|đ|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|r|s|t|th|tr|v|x)([yýỳỷỹỵ])$")
_Y_TO_I = str.maketrans("yýỳỷỹỵ", "iíìỉĩị")


def nfc(s: str) -> str:
    """Unicode NFC. Decomposed input would otherwise split words and never match."""
    return unicodedata.normalize("NFC", s)


@lru_cache(maxsize=65536)
def _canonical_word(word: str) -> str:
    """Move the tone mark of an open oa/oe/uy syllable onto its first vowel ("hoà" → "hòa").

    Only a syllable that *ends* in oa/oe/uy is touched: with a final consonant or a third vowel
    (hoàng, huỳnh, ngoài, khuỷu, thuyền) everyone already writes the tone in the same place,
    and after "q" the u belongs to the onset, so quý keeps its tone on the y.
    """
    letters: list[list[str]] = []  # [base, vowel-quality marks, tone mark]
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch):
            if not letters:
                return word
            if ch in _TONES:
                letters[-1][2] = ch
            else:
                letters[-1][1] += ch
        else:
            letters.append([ch, "", ""])
    if len(letters) < 2:
        return word
    bases = "".join(letter[0].lower() for letter in letters)
    nucleus = bases[-2:]
    if nucleus not in _MOVABLE or (len(bases) > 2 and bases[-3] in _VOWELS):
        return word
    if bases[:-2].endswith("q"):
        return word
    first, second = letters[-2], letters[-1]
    if first[1] or second[1] or not second[2] or first[2]:
        return word
    first[2], second[2] = second[2], ""
    return nfc("".join(base + quality + tone for base, quality, tone in letters))


def canonical_tones(s: str) -> str:
    """Write every open oa/oe/uy syllable with its tone on the first vowel (hòa, thủy, khỏe).

    That is the placement most official names and most printed text use today; comparing on
    one placement makes "Thanh Hoá" and "Thanh Hóa" the same name. Case is preserved.
    """
    return WORD_RE.sub(lambda m: _canonical_word(m.group()), nfc(s))


def fold(s: str) -> str:
    """Lowercase, accent-free form: every diacritic removed and đ → d.

    đ has no decomposition in Unicode, so stripping combining marks alone leaves it; it is
    mapped explicitly.
    """
    return nfc(unicodedata.normalize("NFD", s.lower()).translate(_FOLD_TABLE))


def normalize_key(s: str) -> str:
    """Key for comparing names: accents kept, but NFC/NFD, tone placement, case and spacing
    no longer matter ("Thanh Hoá" == "thanh  hóa", "Hòa" != "Họa")."""
    return nfc(" ".join(canonical_tones(s).lower().split()))


def slugify(s: str) -> str:
    """URL slug without accents: "Đắk Lắk" → "dak-lak". Only [a-z0-9-]; may be empty."""
    return _SLUG_JUNK.sub("-", fold(s)).strip("-")


def words(s: str) -> list[str]:
    """The words of `s` in NFC as written (case and accents untouched)."""
    return WORD_RE.findall(nfc(s))


def tokenize(s: str) -> list[str]:
    """Words for the analyzer: NFC, canonical tone placement, lowercase; accents kept."""
    return [match_word(w) for w in WORD_RE.findall(nfc(s))]


def unify_iy(word: str) -> str:
    """Spell a consonant + i/y syllable with i (kỹ → kĩ, mỹ → mĩ) so both spellings match.

    Expects a lowercase word. Only syllables made of one consonant onset and the vowel are
    touched; "quý", "tuy", "ý" and "my" inside longer words are left alone.
    """
    m = _IY_RE.match(word)
    if m is None:
        return word
    return word[: m.start(1)] + m.group(1).translate(_Y_TO_I)


@lru_cache(maxsize=131072)
def match_word(word: str) -> str:
    """Accent-kept matching form of one word: canonical tones, lowercase, NFC."""
    return nfc(_canonical_word(nfc(word)).lower())


@lru_cache(maxsize=131072)
def fold_word(word: str) -> str:
    """Accent-free matching form of one word, i/y unified (cached: the analyzer calls this
    for every token it indexes)."""
    return unify_iy(fold(word))


@lru_cache(maxsize=131072)
def accent_key(word: str) -> str:
    """Accent-kept search key of one word: match_word plus i/y unification."""
    return unify_iy(match_word(word))
