"""Static files and /healthz never carry the session cookie.

Flask-Login looks at the session after every request, which makes Flask add `Vary: Cookie`
to every response. On a stylesheet or font cached for a year that would make browsers and
shared caches keep one copy per cookie value (so fetch again after each sign-in or language
change), and a health probe has no business with a session at all.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

COOKIELESS_ENDPOINTS = frozenset({"static", "healthz"})


class CookielessForAssets(SecureCookieSessionInterface):
    """The usual signed-cookie sessions, except that nothing is saved (no Set-Cookie, no
    Vary: Cookie) for the endpoints in COOKIELESS_ENDPOINTS."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if request.endpoint in COOKIELESS_ENDPOINTS:
            return
        super().save_session(app, session, response)


def init_cookieless(app: Flask) -> None:
    app.session_interface = CookielessForAssets()
