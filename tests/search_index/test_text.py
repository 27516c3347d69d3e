"""Vietnamese text rules in search_index.text: NFC, tone placement, folding, keys, slugs."""

from __future__ import annotations

import unicodedata

import pytest

from search_index.text import (
    accent_key,
    canonical_tones,
    fold,
    fold_word,
    nfc,
    normalize_key,
    slugify,
    tokenize,
    unify_iy,
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def test_nfc_composes_decomposed_input():
    assert nfc(nfd("Bình Định")) == "Bình Định"
    assert len(nfc(nfd("ệ"))) == 1


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("hoà", "hòa"),
        ("hoá", "hóa"),
        ("hoạ", "họa"),
        ("thuỷ", "thủy"),
        ("thuý", "thúy"),
        ("khoẻ", "khỏe"),
        ("loè", "lòe"),
        ("toả", "tỏa"),
        ("HOÀ", "HÒA"),
        ("Thuỷ", "Thủy"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Khánh Hoà, Hoà Bình", "Khánh Hòa, Hòa Bình"),
        # already canonical, or not an open oa/oe/uy syllable: untouched
        ("hòa", "hòa"),
        ("hoàng", "hoàng"),
        ("huỳnh", "huỳnh"),
        ("ngoài", "ngoài"),
        ("khuỷu", "khuỷu"),
        ("quý", "quý"),
        ("quỳ", "quỳ"),
        ("thuyền", "thuyền"),
        ("quyển", "quyển"),
        ("hoa", "hoa"),
        ("thuế", "thuế"),
    ],
)
def test_canonical_tones(given, expected):
    assert canonical_tones(given) == expected


def test_canonical_tones_accepts_nfd():
    assert canonical_tones(nfd("Hoà Bình")) == "Hòa Bình"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Vải thiều Lục Ngạn", "vai thieu luc ngan"),
        ("Đặc sản Đắk Lắk", "dac san dak lak"),
        ("Cà phê", "ca phe"),
        ("NƯỚC MẮM", "nuoc mam"),
        ("ưu đãi ơ ư", "uu dai o u"),
    ],
)
def test_fold(given, expected):
    assert fold(given) == expected
    assert fold(nfd(given)) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Vải thiều Lục Ngạn", "vai-thieu-luc-ngan"),
        ("Đắk Lắk", "dak-lak"),
        ("Hồ Chí Minh", "ho-chi-minh"),
        ("  --Nước mắm (Phú Quốc)!! ", "nuoc-mam-phu-quoc"),
        ("Bà Rịa – Vũng Tàu", "ba-ria-vung-tau"),
        ("Trà 100% hữu cơ", "tra-100-huu-co"),
        ("***", ""),
    ],
)
def test_slugify(given, expected):
    assert slugify(given) == expected
    assert slugify(nfd(given)) == expected


def test_normalize_key_ignores_form_placement_case_and_spacing():
    assert normalize_key("  Thanh   Hoá ") == normalize_key("thanh hóa") == "thanh hóa"
    assert normalize_key(nfd("Hòa Bình")) == normalize_key("hoà bình")
    assert normalize_key("Hòa") != normalize_key("Họa")
    assert normalize_key("Hòa") != normalize_key("Hoa")


def test_tokenize_keeps_accents_and_splits_on_punctuation():
    assert tokenize(nfd("Vải thiều (Lục_Ngạn), 500g")) == ["vải", "thiều", "lục", "ngạn", "500g"]
    assert tokenize("Thuỷ Nguyên") == ["thủy", "nguyên"]
    assert tokenize("<script>alert(1)</script>") == ["script", "alert", "1", "script"]
    assert tokenize("\x00\x1f ((") == []


def test_i_and_y_spellings_match():
    assert accent_key("Kỹ") == accent_key("kĩ")
    assert accent_key("Mỹ") == accent_key("Mĩ")
    assert fold_word("Lý") == fold_word("lí") == "li"
    assert unify_iy("quý") == "quý"
    assert unify_iy("tuy") == "tuy"
    assert accent_key("mỹ") != accent_key("mì")
