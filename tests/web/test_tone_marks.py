"""One tone-mark style in the interface (issue 14.9): the one the official place names use
("Thanh Hóa", "Khánh Hòa"), so "xóa", "hủy", "khóa", "minh họa", "tùy", never "xoá", "huỷ".
Search accepts both (search_index/text.py); what we write is one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LETTERS = (
    "a-zA-Zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
)
# An open oa/oe/uy syllable with the mark on its second vowel ("quý": qu is the onset).
OLD_STYLE = re.compile(
    rf"(?<![{LETTERS}])[{LETTERS}]*?(?<![qQ])(?:[oO][àáảãạèéẻẽẹ]|[uU][ỳýỷỹỵ])(?![{LETTERS}])"
)
# Where both styles are named on purpose: the normalisation that makes them match.
EXPLAINS_BOTH = {"catalog/catalogue/producer_search.py"}


def interface_files() -> list[Path]:
    files = [
        *ROOT.glob("templates/**/*.html"),
        *ROOT.glob("static/js/*.js"),
        ROOT / "catalog/translations/messages.pot",
        *(p for p in ROOT.glob("catalog/**/*.py") if "migrations" not in p.parts),
    ]
    return [p for p in files if str(p.relative_to(ROOT)) not in EXPLAINS_BOTH]


def test_the_pattern_tells_the_styles_apart() -> None:
    assert OLD_STYLE.search("Xoá sản phẩm") and OLD_STYLE.search("đã huỷ")
    assert not OLD_STYLE.search("Xóa sản phẩm, đã hủy, quý khách, khoản, hoạt động")


def test_the_interface_writes_one_tone_mark_style() -> None:
    found = []
    files = interface_files()
    assert len(files) > 100  # the whole interface, not an empty glob
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in OLD_STYLE.finditer(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)}")
    assert found == []
