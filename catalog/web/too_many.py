"""The page a public form shows when its per-IP limit is reached: the standard error page at
429, in the form's own words ("you sent many complaints…"), with a private page's headers.

Each limited form names its endpoints and its words once (`explain`); the one handler below
serves them all on the public blueprint, and any other public page keeps the generic 429 page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from catalog.web.blueprints import public
from catalog.web.error_pages import render_error
from catalog.web.private_pages import private_token_page

# The wait ("2 giờ", "5 phút") → the page's (title, message).
Words = Callable[[str], tuple[str, str]]

_WORDS: dict[str, tuple[Words, bool]] = {}


def explain(endpoints: Iterable[str], words: Words, *, translate_wait: bool = True) -> None:
    """Give these endpoints' 429 page its own words; `translate_wait=False` keeps the wait in
    Vietnamese for words that are not translated either."""
    for endpoint in endpoints:
        _WORDS[endpoint] = (words, translate_wait)


def retry_after(exc: Exception, default: int) -> int:
    """Seconds until the limit that refused the request lets it through again."""
    limit = getattr(exc, "limit", None)
    return limit.limit.get_expiry() if limit is not None else default


def wait_text(seconds: int, *, translate: bool = True) -> str:
    """How long to wait, in whole hours or minutes (at least one minute)."""
    if seconds >= 3600:
        hours = seconds // 3600
        return _("%(n)s giờ", n=hours) if translate else f"{hours} giờ"
    minutes = max(1, seconds // 60)
    return _("%(n)s phút", n=minutes) if translate else f"{minutes} phút"


@public.errorhandler(429)
def too_many_page(exc: Exception) -> ResponseReturnValue:
    explained = _WORDS.get(request.endpoint or "")
    if explained is None:
        return render_error(429)
    words, translate_wait = explained
    title, message = words(wait_text(retry_after(exc, 3600), translate=translate_wait))
    html = render_template("errors/error.html", code=429, title=title, message=message)
    return private_token_page(current_app.make_response((html, 429)))
