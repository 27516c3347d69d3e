"""Browsers that have signed in to an account before, so the per-account throttle can tell
the owner's own phone from a stranger (OWASP's "device cookies").

After a correct password the browser gets a signed cookie listing (hashes of) the addresses
that signed in on it, up to a few. An attempt for one of those addresses from that browser
counts under a throttle key of its own (catalog/accounts/sign_in_throttle.py), so someone
guessing from elsewhere cannot make the owner wait. The cookie is HttpOnly, sent only to the
account pages, and names no address in clear; it is no way in by itself (the password is
still checked), and a copied one is throttled like any other, on its own key.
"""

from __future__ import annotations

import hashlib

from flask import current_app, request
from werkzeug.wrappers import Response

from catalog.accounts.email_addresses import normalize_email
from catalog.platform import tokens

COOKIE = "cv_known_device"
PATH = "/tai-khoan/"
MAX_AGE_S = 180 * 24 * 3600
MAX_ACCOUNTS = 5
MAX_COOKIE_CHARS = 1000


def _digest(email: str) -> str:
    return hashlib.sha256(normalize_email(email).encode("utf-8")).hexdigest()[:24]


def _listed() -> list[str]:
    """The digests in this browser's cookie ([] when missing, forged, expired or odd)."""
    raw = request.cookies.get(COOKIE, "")
    if not raw or len(raw) > MAX_COOKIE_CHARS:
        return []
    try:
        payload = tokens.read("known-device", raw, max_age=MAX_AGE_S)
    except tokens.TokenError:
        return []
    listed = payload.get("a")
    if not isinstance(listed, list):
        return []
    return [d for d in listed if isinstance(d, str)][:MAX_ACCOUNTS]


def knows(email: str) -> bool:
    """Whether this browser signed in with this address before."""
    return _digest(email) in _listed()


def remember(response: Response, email: str) -> Response:
    """After a correct password: this browser is known for this address (newest first)."""
    digest = _digest(email)
    listed = [digest, *(d for d in _listed() if d != digest)][:MAX_ACCOUNTS]
    response.set_cookie(
        COOKIE,
        tokens.make("known-device", {"a": listed}),
        max_age=MAX_AGE_S,
        path=PATH,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response
