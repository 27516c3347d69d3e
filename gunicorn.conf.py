"""Gunicorn settings for production (`make serve`), read from CHOVIET_* environment variables
like every other setting. See docs/operations.md."""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


wsgi_app = "app:app"
bind = os.environ.get("CHOVIET_BIND", "127.0.0.1:8000").split(",")
# Sync workers with a few threads each: pages are short and mostly CPU (templates), and a
# second thread covers the time a worker waits on SQLite's write lock or PostgreSQL.
workers = _int("CHOVIET_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
threads = _int("CHOVIET_THREADS", 2)
worker_class = "gthread"
timeout = _int("CHOVIET_WORKER_TIMEOUT", 30)
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = _int("CHOVIET_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# Our own structured request log (catalog/serving) replaces gunicorn's access log.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("CHOVIET_LOG_LEVEL", "info").lower()
# X-Forwarded-* headers: the app believes them only through CHOVIET_PROXY_HOPS (werkzeug's
# ProxyFix, catalog/serving/headers.py). Gunicorn agrees: with no proxy hops it believes no
# peer's X-Forwarded-Proto either; with a proxy it believes only the proxy's address
# (CHOVIET_FORWARDED_ALLOW_IPS, default the loopback nginx).
proxy_hops = _int("CHOVIET_PROXY_HOPS", 0)
forwarded_allow_ips = os.environ.get(
    "CHOVIET_FORWARDED_ALLOW_IPS", "127.0.0.1,::1" if proxy_hops > 0 else ""
)
proxy_allow_ips = forwarded_allow_ips
raw_env = [
    "CHOVIET_ENV=" + os.environ.get("CHOVIET_ENV", "production"),
    # The app warns at start-up when several workers count rate limits in memory.
    f"CHOVIET_WORKERS={workers}",
]
# gunicorn's control socket (gunicornc) defaults to one path per user ($HOME/.gunicorn), so
# two servers on a host (a blue/green switch, the tests, make bench-load) would take it from
# each other. Off unless CHOVIET_CONTROL_SOCKET names a path for this server.
control_socket = os.environ.get("CHOVIET_CONTROL_SOCKET", "").strip() or None
control_socket_disable = control_socket is None
if control_socket is None:
    del control_socket
