"""What production serving needs around the views: request ids and structured logs, security
headers, hashed static files with long cache lifetimes, and /healthz."""

from __future__ import annotations

import logging

from flask import Flask

from catalog.serving.compression import init_compression
from catalog.serving.cookieless import init_cookieless
from catalog.serving.headers import init_headers
from catalog.serving.health import init_health
from catalog.serving.page_cache import init_page_cache
from catalog.serving.request_log import init_request_log
from catalog.serving.static_assets import init_static_assets

log = logging.getLogger(__name__)


def warn_about_local_counters(app: Flask) -> None:
    """memory:// rate-limit counters are per process: with N workers a client gets N times
    the limit (and more with several hosts). Production should share them in Redis."""
    storage = str(app.config.get("RATELIMIT_STORAGE_URI", ""))
    workers = int(app.config.get("WORKERS", 1))
    if app.config.get("ENV_NAME") == "production" and storage.startswith("memory") and workers > 1:
        log.warning(
            "rate limits are counted per process (%s) with %d workers: each client gets up to "
            "%d times each limit; set CHOVIET_REDIS_URL to share the counters",
            storage,
            workers,
            workers,
        )


def init_serving(app: Flask) -> None:
    """Wire every serving concern into the app (called once from create_app)."""
    init_headers(app)
    init_static_assets(app)
    init_health(app)
    init_cookieless(app)
    # Before the request log: its request-id hook must still come first, then the page cache
    # answers hits ahead of every other hook (catalog/serving/page_cache.py).
    init_page_cache(app)
    # Compression next to last: it runs after every hook but the request log, on the final
    # body (the page cache has kept its uncompressed copy by then).
    init_compression(app)
    # Last: its after_request hook goes to the front of the list, so it runs after every
    # other one (including /healthz's) and logs the final status.
    init_request_log(app)
    warn_about_local_counters(app)
