"""The interface text of a page, without its Vietnamese data (for test_english_pages.py).

English pages show product, producer and place data in its Vietnamese original, inside
elements marked lang="vi" (correct HTML for Vietnamese words in an English page, and what
lets a screen reader pronounce them). Everything else a visitor reads or hears is interface
text and must be English: text nodes and the attributes that are read out or shown (alt,
title, aria-label, placeholder, value of buttons, and the data-label-* texts the scripts
show). The <head> (title, meta descriptions: they name the product) is left out, and so are
scripts and styles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Latin letters with a Vietnamese mark (tone, circumflex, breve, horn, đ).
VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE
)
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
SKIPPED = frozenset({"head", "script", "style", "template"})
# The site's own name is a name, the same in every language.
NAMES = ("Chợ Việt",)
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


@dataclass
class _Open:
    tag: str
    data: bool  # inside lang="vi" or a skipped element


@dataclass
class InterfaceText(HTMLParser):
    found: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Open] = []

    def _inside_data(self) -> bool:
        return bool(self.stack) and self.stack[-1].data

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        lang = values.get("lang", "")
        data = (
            self._inside_data()
            or tag in SKIPPED
            or lang.startswith("vi")
            or (lang != "" and not lang.startswith("en"))
        )
        if not data:
            texts = [values[a] for a in READ_ATTRIBUTES if a in values]
            texts += [v for k, v in values.items() if k.startswith("data-label")]
            if tag == "input" and values.get("type") in ("submit", "button"):
                texts.append(values.get("value", ""))
            self.found.extend(f"<{tag} {t}>" for t in texts if VIETNAMESE.search(_unnamed(t)))
        if tag not in VOID:
            self.stack.append(_Open(tag, data))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):  # tolerate an implied end tag (</p>)
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._inside_data() and VIETNAMESE.search(_unnamed(data)):
            where = self.stack[-1].tag if self.stack else "?"
            self.found.append(f"<{where}> {' '.join(data.split())}")


def _unnamed(text: str) -> str:
    for name in NAMES:
        text = text.replace(name, "")
    return text


def vietnamese_interface_text(html: str) -> list[str]:
    """Interface texts (outside lang="vi" elements) that contain Vietnamese letters."""
    parser = InterfaceText()
    parser.feed(html)
    parser.close()
    return parser.found
