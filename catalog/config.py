"""Settings come only from environment variables (CHOVIET_*), with defaults that are safe on
one developer machine. Production refuses to start on the default secret key or a short one,
and without CHOVIET_SITE_URL.
Nothing reads settings files (no .env, no config.py): every new key is listed in
docs/operations.md."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_SECRET = "dev-only-not-secret"
MIN_SECRET_LENGTH = 32


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
        # Certificate scans and import files: never served publicly (catalog/storage).
        "PRIVATE_DIR": Path(_env("PRIVATE_DIR", str(instance / "private"))),
        # Set a bucket to keep both in S3-compatible storage instead (several hosts);
        # credentials come from boto3's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
        "S3_BUCKET": _env("S3_BUCKET", ""),
        "S3_ENDPOINT_URL": _env("S3_ENDPOINT_URL", ""),
        "S3_REGION": _env("S3_REGION", ""),
        "S3_PREFIX": _env("S3_PREFIX", ""),
        "SEARCH_BACKEND": _env("SEARCH_BACKEND", "whoosh"),
        # "postgres" backend: its database (default: the app's own, which must then be
        # PostgreSQL); tables live in their own schema (search_index/postgres_schema.py).
        "SEARCH_DATABASE_URL": _env("SEARCH_DATABASE_URL", "").strip(),
        "SEARCH_INDEX_DIR": Path(_env("SEARCH_INDEX_DIR", str(instance / "search"))),
        # Check the Whoosh index at start-up and rebuild it if missing or corrupted (catalog/ops):
        # "1"/"0"; empty means on, except in test apps (TESTING), which are made by the hundred.
        "SEARCH_STARTUP_CHECK": _env("SEARCH_STARTUP_CHECK", ""),
        "MAX_UPLOAD_BYTES": _env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
        # Whole request body cap: several photos per form plus the form fields.
        "MAX_CONTENT_LENGTH": _env_int("MAX_REQUEST_BYTES", 90 * 1024 * 1024),
        # Per producer (catalog/listings/quotas.py), far above what a co-operative uses: new
        # listings per day (Vietnam's calendar day), bytes of photos stored (three WebP
        # variants, ~0.3-0.6 MB per photo: 300 MB is 500+ photos), certificate scans stored.
        # 0: no limit.
        "QUOTA_LISTINGS_PER_DAY": _env_int("QUOTA_LISTINGS_PER_DAY", 20),
        "QUOTA_PHOTO_BYTES": _env_int("QUOTA_PHOTO_BYTES", 300 * 1024 * 1024),
        "QUOTA_CERTIFICATE_SCANS": _env_int("QUOTA_CERTIFICATE_SCANS", 50),
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
        # Rate-limit counters: memory:// counts per process; CHOVIET_REDIS_URL (below) shares
        # them between every worker and host. An explicit CHOVIET_RATELIMIT_STORAGE_URI wins.
        "REDIS_URL": _env("REDIS_URL", "").strip(),
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", ""),
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
        # Per account as well (catalog/accounts/sign_in_throttle.py): after this many wrong
        # passwords for one e-mail address (registered or not), each further attempt waits
        # SIGN_IN_DELAY_S, then twice as long after each new failure, up to SIGN_IN_MAX_DELAY_S;
        # the count is forgotten once SIGN_IN_ACCOUNT_WINDOW_S pass without a failure after
        # the last delay. Kept in the database: every worker and host counts together. 0: off.
        "SIGN_IN_ACCOUNT_FAILURES": _env_int("SIGN_IN_ACCOUNT_FAILURES", 5),
        "SIGN_IN_ACCOUNT_WINDOW_S": _env_int("SIGN_IN_ACCOUNT_WINDOW_S", 3600),
        "SIGN_IN_DELAY_S": _env_int("SIGN_IN_DELAY_S", 60),
        "SIGN_IN_MAX_DELAY_S": _env_int("SIGN_IN_MAX_DELAY_S", 3600),
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
        # The provincial department whose officials review producers and listings, named in
        # e-mails and producer pages ("Cán bộ <name> tỉnh X"). OCOP is coordinated by the
        # agriculture side in most provinces, but each deployment names its own.
        "DEPARTMENT_NAME": _env("DEPARTMENT_NAME", "Sở Nông nghiệp và Môi trường").strip()
        or "Sở Nông nghiệp và Môi trường",
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "TESTING": False,
        # Serving (catalog/serving): log lines as JSON or text, how many reverse proxies in
        # front of us may set X-Forwarded-For/-Proto, and the /healthz thresholds.
        "LOG_FORMAT": _env("LOG_FORMAT", ""),  # default: json in production, else text
        "LOG_LEVEL": _env("LOG_LEVEL", "info").upper(),
        "PROXY_HOPS": _env_int("PROXY_HOPS", 0),
        "WORKERS": _env_int("WORKERS", 1),
        "HEALTH_MIN_FREE_MB": _env_int("HEALTH_MIN_FREE_MB", 500),
        "HEALTH_MAX_OUTBOX_AGE_S": _env_int("HEALTH_MAX_OUTBOX_AGE_S", 300),
        # Whole public pages for anonymous visitors, per process (catalog/serving/page_cache.py).
        "PAGE_CACHE": _env("PAGE_CACHE", "1"),
        "PAGE_CACHE_MB": _env("PAGE_CACHE_MB", "64"),
        "PAGE_CACHE_TTL_S": _env("PAGE_CACHE_TTL_S", "60"),
        # gzip/brotli/zstd for text responses (catalog/serving/compression.py); "0" turns it off.
        "COMPRESS": _env("COMPRESS", "1"),
    }
    settings.update(overrides)
    for key in ("UPLOADS_DIR", "SEARCH_INDEX_DIR", "INSTANCE_PATH"):
        settings[key] = Path(settings[key])
    if not settings["LOG_FORMAT"]:
        settings["LOG_FORMAT"] = "json" if settings["ENV_NAME"] == "production" else "text"
    if not settings["RATELIMIT_STORAGE_URI"]:
        settings["RATELIMIT_STORAGE_URI"] = settings["REDIS_URL"] or "memory://"
    if str(settings["RATELIMIT_STORAGE_URI"]).startswith(("redis://", "rediss://")):
        # Redis down must never turn sign-in into a 500: count in memory meanwhile, and do
        # not hang a worker on an unreachable server.
        settings.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
        settings.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 2, "socket_timeout": 2}
        )
    if settings["ENV_NAME"] == "production":
        check_production_secret(str(settings["SECRET_KEY"]))
        check_production_site_url(str(settings["PUBLIC_BASE_URL"]))
    check_search_database(settings)
    return settings


def check_search_database(settings: dict[str, Any]) -> None:
    """The postgres search backend needs a PostgreSQL database: refuse to start rather than
    fail on the first search."""
    if str(settings.get("SEARCH_BACKEND") or "").lower() != "postgres":
        return
    url = str(settings.get("SEARCH_DATABASE_URL") or settings["SQLALCHEMY_DATABASE_URI"])
    if not url.startswith(("postgresql", "postgres:")):
        raise RuntimeError(
            "CHOVIET_SEARCH_BACKEND=postgres needs a PostgreSQL database: set "
            "CHOVIET_SEARCH_DATABASE_URL=postgresql+psycopg://... (or run the app itself on "
            "PostgreSQL with CHOVIET_DATABASE_URL)"
        )


def check_production_site_url(url: str) -> None:
    """E-mailed links, canonical links and printed QR labels carry the public address: without
    CHOVIET_SITE_URL they would point at the development default (127.0.0.1), and a printed
    label cannot be corrected, so production refuses to start."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuntimeError(
            "CHOVIET_SITE_URL must be set in production to the site's public address "
            "(e.g. https://choviet.example.vn): e-mails and printed QR labels carry it"
        )
    if parts.hostname in ("127.0.0.1", "localhost", "::1", "0.0.0.0"):  # nosec B104 - compared, not bound
        log.warning(
            "CHOVIET_SITE_URL is %s: links and QR codes will only work on this machine", url
        )


def check_production_secret(secret: str) -> None:
    """Sessions, CSRF tokens and e-mailed links are signed with the secret key: a default or
    short one lets anyone forge them, so production refuses to start with either."""
    if secret == DEFAULT_SECRET:
        raise RuntimeError(
            "CHOVIET_SECRET_KEY must be set to a random value in production "
            '(e.g. python3 -c "import secrets; print(secrets.token_hex(32))")'
        )
    if len(secret) < MIN_SECRET_LENGTH:
        raise RuntimeError(
            f"CHOVIET_SECRET_KEY is too short for production ({len(secret)} characters): use "
            f"at least {MIN_SECRET_LENGTH} random characters "
            '(e.g. python3 -c "import secrets; print(secrets.token_hex(32))")'
        )
