"""Settings come only from environment variables (CHOVIET_*), with defaults that are safe on
one developer machine. Production refuses to start on the default secret key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-only-not-secret"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"CHOVIET_{name}", default)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"CHOVIET_{name}")
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError(f"CHOVIET_{name} must be an integer, got {raw!r}") from exc


def load_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from the environment, then apply overrides (tests)."""
    instance = Path(_env("INSTANCE_PATH", str(PROJECT_ROOT / "instance"))).resolve()
    overrides = dict(overrides or {})
    instance = Path(overrides.pop("INSTANCE_PATH", instance))
    env = _env("ENV", "development")
    settings: dict[str, Any] = {
        "ENV_NAME": env,
        "INSTANCE_PATH": instance,
        "SECRET_KEY": _env("SECRET_KEY", DEFAULT_SECRET),
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL", f"sqlite:///{instance / 'choviet.db'}"),
        "SQLITE_BUSY_TIMEOUT_MS": _env_int("SQLITE_BUSY_TIMEOUT_MS", 15000),
        "UPLOADS_DIR": Path(_env("UPLOADS_DIR", str(instance / "uploads"))),
        "SEARCH_BACKEND": _env("SEARCH_BACKEND", "whoosh"),
        "SEARCH_INDEX_DIR": Path(_env("SEARCH_INDEX_DIR", str(instance / "search"))),
        "MAX_UPLOAD_BYTES": _env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
        # Whole request body cap: several photos per form plus the form fields.
        "MAX_CONTENT_LENGTH": _env_int("MAX_REQUEST_BYTES", 90 * 1024 * 1024),
        "PER_PAGE": _env_int("PER_PAGE", 24),
        "SITE_URL": _env("SITE_URL", "http://127.0.0.1:5000"),
        # Absolute links on public pages (canonical, OpenGraph, sitemap, QR codes) come from
        # the same CHOVIET_SITE_URL as e-mail links, but only when it is set: unset (development)
        # they follow the request's host. Set it in production, so a forged Host header can
        # never end up in canonical links or cached pages.
        "PUBLIC_BASE_URL": _env("SITE_URL", "").rstrip("/"),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": env == "production",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _env("RATELIMIT_ENABLED", "1") not in ("0", "false", "no"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Per client IP (Flask-Limiter syntax, several separated by ";"). Mobile carriers put
        # many people behind one address, so only sign-in is tight.
        "LOGIN_RATE": _env("LOGIN_RATE", "5 per minute"),
        "REGISTER_RATE": _env("REGISTER_RATE", "10 per hour"),
        "PASSWORD_RESET_RATE": _env("PASSWORD_RESET_RATE", "5 per 15 minutes"),
        "RESEND_VERIFICATION_RATE": _env("RESEND_VERIFICATION_RATE", "5 per 15 minutes"),
        "INVITE_RATE": _env("INVITE_RATE", "20 per hour"),
        # Consumers' complaints ("phản ánh"), per client IP: the spam guard besides a honeypot.
        "COMPLAINT_RATE": _env("COMPLAINT_RATE", "5 per hour; 20 per day"),
        # The public read API (/api/v1), per client IP across all its endpoints.
        "API_RATE": _env("API_RATE", "120 per minute"),
        # Order requests sent from the cart, per client IP (besides a honeypot).
        "ORDER_RATE": _env("ORDER_RATE", "10 per hour; 30 per day"),
        # Per e-mail address typed into registration, reset and resend forms, whatever the IP:
        # nobody can flood someone's mailbox with our messages.
        "MAIL_PER_ADDRESS_RATE": _env("MAIL_PER_ADDRESS_RATE", "3 per hour"),
        "REMEMBER_COOKIE_DURATION": 30 * 24 * 3600,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env == "production",
        "WTF_CSRF_TIME_LIMIT": 6 * 3600,
        # Links sent by e-mail (verification, reset, invitations) expire after this.
        "TOKEN_MAX_AGE_S": _env_int("TOKEN_MAX_AGE_S", 48 * 3600),
        "SMTP_HOST": _env("SMTP_HOST", ""),
        "SMTP_PORT": _env_int("SMTP_PORT", 587),
        "SMTP_USER": _env("SMTP_USER", ""),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _env("SMTP_STARTTLS", "1") not in ("0", "false", "no"),
        "MAIL_FROM": _env("MAIL_FROM", "Chợ Việt <no-reply@choviet.local>"),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "TESTING": False,
    }
    settings.update(overrides)
    for key in ("UPLOADS_DIR", "SEARCH_INDEX_DIR", "INSTANCE_PATH"):
        settings[key] = Path(settings[key])
    if settings["ENV_NAME"] == "production" and settings["SECRET_KEY"] == DEFAULT_SECRET:
        raise RuntimeError("CHOVIET_SECRET_KEY must be set to a random value in production")
    return settings
