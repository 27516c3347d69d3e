"""The 12-digit personal identification number (số định danh cá nhân, printed on the CCCD),
which household businesses use as their tax code since 1 July 2025.

Its structure is fixed by Circular 07/2016/TT-BCA, Article 7 (kept by Circular 59/2021/TT-BCA):
three digits for the province where the birth was registered (the statistics office's code of
the 63 provinces before the 2025 merger: numbers issued earlier keep them), one digit for sex and
century of birth (0/1: 1900s, 2/3: 2000s, 4/5: 2100s…), two digits for the year of birth, then six
random digits. There is no check digit, so this is the most that can be verified offline: it
refuses typing mistakes and made-up numbers such as 000000000000, not a real number of the wrong
person.
"""

from __future__ import annotations

import re
from datetime import date

_TWELVE_DIGITS = re.compile(r"[0-9]{12}")

# The 63 provinces' codes (Decision 124/2004/QĐ-TTg as amended), used as the first three digits.
BIRTH_PROVINCE_CODES = frozenset(
    {1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36}
    | {37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72}
    | {74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96}
)
OLDEST_BIRTH_YEAR = 1900


def birth_year(number: str) -> int:
    """The year of birth a well-formed number encodes (the century from its fourth digit)."""
    century = 1900 + 100 * (int(number[3]) // 2)
    return century + int(number[4:6])


def is_valid_personal_id(number: str, today: date | None = None) -> bool:
    """12 ASCII digits, a known birth-province code, a birth year not in the future, and not
    one digit repeated (a placeholder, never issued)."""
    if not _TWELVE_DIGITS.fullmatch(number or ""):
        return False
    if len(set(number)) == 1 or int(number[:3]) not in BIRTH_PROVINCE_CODES:
        return False
    year = birth_year(number)
    return OLDEST_BIRTH_YEAR <= year <= (today or date.today()).year
