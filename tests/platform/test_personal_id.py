"""The 12-digit personal identification number, as household businesses' tax code: its fixed
structure refuses placeholders and typing mistakes (there is no check digit)."""

from __future__ import annotations

from datetime import date

import pytest

from catalog.platform.personal_id import birth_year, is_valid_personal_id
from catalog.platform.vietnamese import normalize_tax_code

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    "number",
    [
        "001085012345",  # Hà Nội, man born 1985
        "079199000001",  # TP. Hồ Chí Minh, woman born 1990
        "096204123456",  # Cà Mau, man born 2004
        "004326999999",  # Cao Bằng, woman born 2026
    ],
)
def test_well_formed_numbers_are_accepted(number):
    assert is_valid_personal_id(number, TODAY)


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("000000000000", "one digit repeated, and no province 000"),
        ("111111111111", "one digit repeated"),
        ("999999999999", "one digit repeated"),
        ("003085012345", "003 is no province's code"),
        ("097085012345", "codes stop at 096"),
        ("001227012345", "born in 2027"),
        ("001485012345", "born in 2185"),
        ("00108501234", "11 digits"),
        ("0010850123456", "13 digits"),
        ("00108501234²", "a superscript digit"),
        ("٠٠١٠٨٥٠١٢٣٤٥", "Arabic-Indic digits"),
        ("", "empty"),
    ],
)
def test_impossible_numbers_are_refused(number, why):
    assert not is_valid_personal_id(number, TODAY), why


def test_the_century_comes_from_the_fourth_digit():
    numbers = ["001085012345", "001185012345", "001205012345", "001305012345"]
    assert [birth_year(n) for n in numbers] == [1985, 1985, 2005, 2005]


def test_tax_codes_accept_only_valid_personal_ids():
    assert normalize_tax_code("001 085 012 345") == "001085012345"
    assert normalize_tax_code("000000000000") is None
    assert normalize_tax_code("001²85012345") is None
    assert normalize_tax_code("0100109106") == "0100109106"  # a 10-digit enterprise code
