"""Domain rules for Vietnamese data: tax codes, phone numbers, producer types,
province-name keys. Money and numbers, as each language writes them, are in
number_format.py. Text folding itself lives in search_index.text so the search analyzer,
the importer, forms and slugs all share one definition."""

from __future__ import annotations

import re

from stdnum.vn import mst

from catalog.platform.personal_id import is_valid_personal_id
from search_index.text import fold, nfc, normalize_key, slugify

__all__ = [
    "ZALO_HOSTS",
    "clean_multiline",
    "clean_text",
    "fold",
    "infer_producer_type",
    "mobile_phone",
    "nfc",
    "normalize_key",
    "normalize_phone",
    "normalize_tax_code",
    "province_key",
    "slugify",
]

_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """NFC, trimmed, inner runs of white space collapsed; control characters dropped."""
    if not value:
        return ""
    value = "".join(ch for ch in nfc(value) if ch.isprintable() or ch in "\n\t")
    return _SPACES.sub(" ", value).strip()


def clean_multiline(value: str | None) -> str:
    """clean_text for each line, line breaks kept (descriptions, messages, replies are
    paragraphs); Windows line ends become plain ones."""
    lines = [clean_text(line) for line in nfc(value or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


_ASCII_DIGITS = re.compile(r"[0-9]+")


def normalize_tax_code(value: str) -> str | None:
    """Return the canonical tax code, or None when it is not valid.

    Accepts a 10-digit enterprise code with its check digit, a 13-digit branch code
    (10 + 3, often written with a dash), or the 12-digit personal identification number
    that household businesses use as their tax code since 1 July 2025.
    """
    compact = re.sub(r"[\s.\-]", "", value or "")
    if not _ASCII_DIGITS.fullmatch(compact):  # str.isdigit() also takes "²" and "١٢"
        return None
    if len(compact) == 12:
        return compact if is_valid_personal_id(compact) else None
    if len(compact) in (10, 13) and mst.is_valid(compact):
        return compact if len(compact) == 10 else f"{compact[:10]}-{compact[10:]}"
    return None


# Mobile prefixes after the 2018 renumbering (03x, 05x, 07x, 08x, 09x); landlines are
# 02 + area code, 11 digits in all.
_MOBILE = re.compile(r"^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}$")
_LANDLINE = re.compile(r"^02\d{9}$")


def normalize_phone(value: str) -> str | None:
    """Return a Vietnamese phone number as 10/11 national digits, or None if invalid."""
    compact = re.sub(r"[\s.\-()]", "", value or "")
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("84") and len(compact) in (11, 12):
        compact = "0" + compact[2:]
    if _MOBILE.match(compact) or _LANDLINE.match(compact):
        return compact
    return None


# Where a producer's Zalo link may point (Zalo, the messenger most Vietnamese buyers use).
ZALO_HOSTS = ("zalo.me", "oa.zalo.me", "zalo.vn")


def mobile_phone(value: str | None) -> str | None:
    """The number as 10 national digits when it is a Vietnamese mobile number, else None.

    Zalo accounts are opened with a mobile number, so a Zalo link to a landline (02x…) or
    to garbage leads nowhere: pages offer "Nhắn Zalo" only for what this accepts. Any form
    normalize_phone reads is accepted (spaces, dots, +84 or 84 in front)."""
    number = normalize_phone(value or "")
    return number if number is not None and _MOBILE.match(number) else None


_TYPE_PREFIXES = (
    (("htx", "hop tac xa"), "hop_tac_xa"),
    (("ho kinh doanh", "hkd", "ho san xuat", "co so"), "ho_kinh_doanh"),
    (("to hop tac", "tht"), "to_hop_tac"),
    (("cong ty", "cty", "doanh nghiep", "dntn"), "doanh_nghiep"),
)


def infer_producer_type(name: str) -> str | None:
    """Guess the producer type from its name, as provincial lists rarely state it."""
    folded = fold(name)
    for prefixes, kind in _TYPE_PREFIXES:
        if any(folded == p or folded.startswith(p + " ") for p in prefixes):
            return kind
    return None


_PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp.", "tp ", "t.p ", "t.p. ")


def province_key(name: str) -> str:
    """Matching key for a province name: no accents, no 'Tỉnh'/'Thành phố' prefix."""
    key = fold(clean_text(name)).replace("-", " ")
    key = _SPACES.sub(" ", key).strip()
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :].strip()
            break
    return key
