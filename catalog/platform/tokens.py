"""Signed, expiring links for e-mail verification, password reset and invitations; and the
hash under which private tracking tokens (complaint and order status, handover links) are
stored, so a leaked database holds no usable link.

Tokens carry the user's password timestamp where it matters, so a reset link works once:
using it changes the password, which invalidates the link (sessions end through the user's
session version, catalog/accounts/sessions.py).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

# "known-device": the sign-in throttle's cookie of browsers that signed in before.
PURPOSES = (
    "verify-email",
    "reset-password",
    "invitation",
    "staff-invitation",
    "claim",
    "known-device",
)


class TokenError(ValueError):
    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"choviet-{purpose}")


def make(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str, max_age: int | None = None) -> dict[str, Any]:
    """The payload of a valid token; TokenError when forged, garbled or expired."""
    age = max_age if max_age is not None else current_app.config["TOKEN_MAX_AGE_S"]
    try:
        payload = _serializer(purpose).loads(token, max_age=age)
    except SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except (BadSignature, UnicodeError, ValueError) as exc:
        raise TokenError(expired=False) from exc
    if not isinstance(payload, dict):
        raise TokenError(expired=False)
    return payload


def token_hash(token: str) -> str:
    """What the database keeps of a private link's token (SHA-256, hex)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
