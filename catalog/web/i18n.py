"""Languages of the public pages: Vietnamese for everyone, English for those who ask.

Vietnamese is the default for every visitor, whatever their browser's Accept-Language says:
the site serves a Vietnamese campaign, and guessing from the browser would show English to many
Vietnamese readers whose phones are set to English. A visitor switches with ``?hl=en`` (or back
with ``?hl=vi``); the choice is kept in the ``hl`` cookie so the rest of the visit follows it.
An unknown ``hl`` value is ignored. Product data (names, descriptions, provinces, producers)
has no translation and always shows in its Vietnamese original.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import IO
from urllib.parse import urlencode

from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import get_locale, gettext
from markupsafe import Markup, escape

from catalog.extensions import babel

DEFAULT_LOCALE = "vi"
LOCALES = ("vi", "en")
LOCALE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
COOKIE = "hl"
COOKIE_MAX_AGE = 365 * 24 * 3600
_SLUG = re.compile(r"^[a-z0-9_-]*$")


def N_(message: str) -> str:
    """Marks a Vietnamese label for extraction (babel.cfg keyword) without translating it:
    the value stays Vietnamese where it is stored and is translated at render time (|t)."""
    return message


def _valid(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value if value in LOCALES else None


def select_locale() -> str:
    """An explicit ``?hl=`` first, then the ``hl`` cookie, else Vietnamese (never the
    browser's Accept-Language: see the module docstring)."""
    if not has_request_context():  # commands and jobs: mails pick their language explicitly
        return DEFAULT_LOCALE
    return _valid(request.args.get(COOKIE)) or _valid(request.cookies.get(COOKIE)) or DEFAULT_LOCALE


def current_locale() -> str:
    """The language code of this request ("vi" or "en"), for <html lang> and the mails."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LOCALE


def _remember_choice(response: Response) -> Response:
    """Store an explicit ``?hl=`` choice for a year so later pages follow it. Pages differ by
    the cookie, so caches must keep them apart (Vary)."""
    if response.mimetype == "text/html":
        response.vary.add("Cookie")
    chosen = _valid(request.args.get(COOKIE))
    if chosen and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return response


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_choice)
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["LOCALE_NAMES"] = LOCALE_NAMES
    app.jinja_env.globals["switch_url"] = switch_url
    app.jinja_env.globals["alternate_url"] = alternate_url
    app.jinja_env.filters["t"] = translate_label
    app.jinja_env.filters["vi"] = vietnamese_data
    app.jinja_env.globals["lang_vi"] = lang_vi


def lang_vi() -> Markup:
    """` lang="vi"` on an element holding only Vietnamese data (a product, producer or place
    name, a unit, a description), on pages in another language: correct HTML for Vietnamese
    words inside an English page (screen readers pronounce them as Vietnamese), and how the
    tests tell data from interface text that is left to translate. Nothing on Vietnamese
    pages, where the whole document is already lang="vi"."""
    return Markup("") if current_locale() == DEFAULT_LOCALE else Markup(' lang="vi"')


def vietnamese_data(value: object) -> Markup:
    """The ``|vi`` filter: a Vietnamese data value inside interface text, escaped, in a
    ``<span lang="vi">`` on pages in another language (see lang_vi)."""
    text = escape("" if value is None else value)
    if not text or current_locale() == DEFAULT_LOCALE:
        return text
    return Markup('<span lang="vi">') + text + Markup("</span>")


def alternate_url(url: str, code: str) -> str:
    """A canonical (Vietnamese) URL in another language, for hreflang links."""
    if code == DEFAULT_LOCALE:
        return url
    return f"{url}{'&' if '?' in url else '?'}{COOKIE}={code}"


def switch_url(code: str) -> str:
    """The current page in another language (the switch links in the header and footer)."""
    args = request.args.copy()
    args.poplist(COOKIE)
    args[COOKIE] = code
    return f"{request.script_root}{request.path}?{urlencode(list(args.items(multi=True)))}"


def translate_label(value: object) -> str:
    """The ``|t`` filter: a fixed label stored as plain Vietnamese (status, kind, OCOP group,
    error title) in the visitor's language. Its msgid reaches the catalogue through
    extract_labels below, so the stored values never change."""
    return gettext(str(value)) if value else ""


def extract_labels(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: dict[str, str]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """A pybabel extractor (babel.cfg) for label tables kept as plain strings: every string
    value inside the module-level assignments named in ``names`` (dict keys and slugs skipped),
    or every dict key of those named in ``keys`` (REGIONS: region names keyed to provinces)."""
    names = _option_names(options, "names")
    key_names = _option_names(options, "keys")
    for name, value in _assignments(ast.parse(fileobj.read())):
        if name not in names | key_names:
            continue
        keys = {id(k) for d in ast.walk(value) if isinstance(d, ast.Dict) for k in d.keys}
        for const in ast.walk(value):
            if (
                isinstance(const, ast.Constant)
                and isinstance(const.value, str)
                and (id(const) in keys) == (name in key_names)
                and not _SLUG.match(const.value)
            ):
                yield const.lineno, "gettext", const.value, []


def _option_names(options: dict[str, str], key: str) -> set[str]:
    return {name.strip() for name in options.get(key, "").split(",") if name.strip()}


def _assignments(tree: ast.Module) -> Iterator[tuple[str, ast.expr]]:
    """(name, value) of the module-level assignments to a single name."""
    for node in tree.body:
        target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and value is not None:
            yield target.id, value
