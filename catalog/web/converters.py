"""The app's URL converters: every `<int:…>` rule matches only what could name a row, and
every `<slug>` only text a database column can hold.

Werkzeug's own converter matches `\\d+`, which in Python also takes "١٢" (and `int()` turns
it into 12), and any length: /san-pham/9223372036854775808 reached the view and crashed the
database driver (SQLite's OverflowError, PostgreSQL's DataError past 2**31 - 1). This one
matches ASCII digits only, as many as MAX_ID has, and never above MAX_ID; anything else
does not match, so the answer is the ordinary 404 page (JSON under /api/). Registered as
`int` before any blueprint, so every rule gets it without saying so (catalog.create_app).

Text placeholders (`<slug>`, `<string:…>`) refuse control characters the same way: a NUL
byte ("/san-pham/%00") is text PostgreSQL cannot even compare (DataError, a 500), and no
slug, token or digest has one. (Query-string filters drop control characters when they
are read: catalog.catalogue.search_params.)
"""

from __future__ import annotations

import builtins

from flask import Flask
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

from catalog.platform.numbers import DIGITS_PATTERN, MAX_ID

# What a one-segment placeholder may hold: anything but "/" and C0 control characters.
TEXT_CHARACTERS = r"[^/\x00-\x1f\x7f]"


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` and `<int(min=…, max=…):…>`: ASCII digits, at most MAX_ID."""

    regex = DIGITS_PATTERN

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        # werkzeug passes the rule's arguments by these names, shadowing the builtins
        bound = MAX_ID if max is None else builtins.min(max, MAX_ID)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=bound, signed=signed)


class TextConverter(UnicodeConverter):
    """`<slug>`, `<string(maxlength=…):…>`: werkzeug's, without control characters."""

    def __init__(
        self,
        map: Map,
        minlength: int = 1,
        maxlength: int | None = None,
        length: int | None = None,
    ) -> None:
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", TEXT_CHARACTERS, 1)


def init_converters(app: Flask) -> None:
    """Before any rule is added (rules pick their converter when they are bound): the
    bounded `int`, and the text converter as the default."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter
