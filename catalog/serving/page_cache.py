"""Whole public pages kept in memory for anonymous visitors, never stale after a write.

Rendering a product or search page costs 30–40 ms of CPU and the home and full listing pages
about 270 ms, against well under 1 ms for a bare endpoint, so serving anonymous visitors at a
useful rate means not rendering the same page again and again. Each process keeps the HTML of
the public pages it rendered (a byte-bounded LRU) and hands it back while it is still right:

* **Invalidation across processes and hosts.** Every write transaction increments the
  ``site_version`` row in the same commit (catalog/database.py, catalog/models/site.py), and
  so does the search outbox apply that follows a write. Each request reads the number (one
  primary-key lookup) and a stored page is served only if it was rendered at that very number:
  a change made by any worker on any host is visible on the very next request.
* **Time.** Pages also depend on the date (campaigns running in Vietnam's day, certificates
  expired by the server's), both part of the key, and every entry has a maximum age
  (CHOVIET_PAGE_CACHE_TTL_S, default 60 s) to bound anything else that changes with the clock.
* **Only what is the same for every anonymous visitor.** GET requests to the allow-listed
  public HTML pages, keyed by address, query string and language. Nothing is stored or served
  for a signed-in user (the session's ``_user_id`` or a remember-me cookie), a session carrying
  flash messages or a cart (the product page's order form shows its count), a response other
  than 200 HTML, one marked private or no-store, one that sets a cookie, or a render that
  changed the session in any way besides the CSRF token.
* **CSRF tokens are hole-punched.** Product pages carry forms: the token of the request that
  rendered the page is replaced by a placeholder when stored, and a hit calls
  ``generate_csrf()`` for its own session and puts that token in, so the session cookie and the
  token are exactly those a fresh render would give.

Hits are answered by a before_request hook placed right after the request id is assigned, so
user loading, the outbox check and the view are skipped; the after_request hooks (security
headers, language cookie and Vary, the request log) run on hits as on any response. Every
allow-listed GET gets ``X-Cache: hit`` or ``X-Cache: miss``.

Settings: CHOVIET_PAGE_CACHE (1; 0 turns it off), CHOVIET_PAGE_CACHE_MB (64, per process),
CHOVIET_PAGE_CACHE_TTL_S (60). App config keys PAGE_CACHE, PAGE_CACHE_MB and PAGE_CACHE_TTL_S
take precedence (tests).
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Flask, Response, current_app, g, request, session
from flask_wtf.csrf import generate_csrf

from catalog.database import mark_read_only, reset_read_only
from catalog.models.site import latest_site_version, read_site_version
from catalog.promotion.campaigns import local_today
from catalog.web.i18n import select_locale

# The public HTML pages whose content is the same for every anonymous visitor.
CACHED_ENDPOINTS = frozenset(
    {
        "public.home",
        "public.products",
        "public.product",
        "public.producer",
        "public.province",
        "public.category",
        "public.search",
        "public.campaigns",
        "public.campaign",
        "public.stories",
        "public.story",
    }
)
# Session keys a render may set without making the page specific to this visitor: the CSRF
# secret (hole-punched) and Flask-Login's freshness flag for anonymous sessions.
NEUTRAL_SESSION_KEYS = frozenset({"csrf_token", "_fresh"})
# Session keys that make a page this visitor's own: signed in, messages waiting, a cart.
PERSONAL_SESSION_KEYS = ("_user_id", "_flashes", "cart")
EXTENSION_KEY = "choviet_page_cache"
_G_KEY = "_page_cache"

Key = tuple[tuple[str, str, str], str, bytes, str, tuple[date, date]]


@dataclass(frozen=True)
class Entry:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    version: int
    stored_at: float
    has_csrf: bool

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


class PageStore:
    """A thread-safe LRU of entries bounded by bytes, with a maximum age per entry."""

    def __init__(
        self, max_bytes: int, ttl_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_bytes = max_bytes
        self.ttl_s = ttl_s
        self.clock = clock
        self.bytes = 0
        self.newest_version = -1
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def peek(self, key: Key) -> Entry | None:
        """The entry for `key` if there is one young enough, whatever its version."""
        entry = self._entries.get(key)
        if entry is None or self.clock() - entry.stored_at > self.ttl_s:
            return None
        return entry

    def get(self, key: Key, version: int) -> Entry | None:
        """The entry for `key` if it was stored at `version` and is not too old."""
        with self._lock:
            if version > self.newest_version:
                # Everything stored before is stale: free the memory at once.
                self._clear()
                self.newest_version = version
                return None
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.version != version or self.clock() - entry.stored_at > self.ttl_s:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: Key, entry: Entry) -> bool:
        size = entry.size
        if size > self.max_bytes // 4:
            return False  # one huge page must not flush everything else
        with self._lock:
            if entry.version < self.newest_version:
                return False  # rendered from data older than what others already saw
            if entry.version > self.newest_version:
                self._clear()
                self.newest_version = entry.version
            self._drop(key)
            self._entries[key] = entry
            self.bytes += size
            while self.bytes > self.max_bytes and self._entries:
                self._drop(next(iter(self._entries)))
        return True

    def clear(self) -> None:
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._entries.clear()
        self.bytes = 0

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.bytes -= entry.size


@dataclass
class _Pending:
    """What a miss remembers until its response is ready to store."""

    key: Key
    version: int
    session_before: dict[str, Any]


# A marker that cannot occur in a rendered page (random per process).
_CSRF_HOLE = f"\x00csrf-{secrets.token_hex(8)}\x00".encode()


def _setting(app: Flask, name: str, default: str) -> str:
    if name in app.config:
        return str(app.config[name])
    return os.environ.get(f"CHOVIET_{name}", default)


def enabled_for(app: Flask) -> bool:
    return _setting(app, "PAGE_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def store_for(app: Flask) -> PageStore | None:
    return app.extensions.get(EXTENSION_KEY)


def _personal_request() -> bool:
    """Whether this visitor might see a page made for them (checked without loading a user)."""
    if any(session.get(name) for name in PERSONAL_SESSION_KEYS):
        return True
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return remember in request.cookies


def _key() -> Key:
    # Both dates: campaigns follow the day in Vietnam, certificate expiry and the footer's
    # year the server's own date (date.today()); either turning over makes new pages.
    days = (local_today(), date.today())
    origin = (request.scheme, request.host, request.script_root)  # links may be absolute
    return (origin, request.path, request.query_string, select_locale(), days)


def _read_version() -> int:
    """The site version, read as a read-only transaction (no write lock on SQLite)."""
    token = mark_read_only(True)
    try:
        return read_site_version()
    finally:
        reset_read_only(token)


def serve_from_cache() -> Response | None:
    """before_request: answer from the store, or note what to store after the render."""
    if request.method != "GET" or request.endpoint not in CACHED_ENDPOINTS:
        return None
    store = store_for(current_app)
    if store is None:
        return None
    if _personal_request():
        setattr(g, _G_KEY, "bypass")
        return None
    key = _key()
    # A likely hit checks the latest version on a connection of its own (cheap); a miss reads
    # it in the session's transaction instead, the snapshot the page will be rendered from, so
    # the page is never stored under a version newer than its data.
    entry = store.get(key, latest_site_version()) if store.peek(key) is not None else None
    if entry is None:
        setattr(g, _G_KEY, _Pending(key, _read_version(), dict(session)))
        return None
    setattr(g, _G_KEY, "hit")
    body = entry.body
    if entry.has_csrf:
        body = body.replace(_CSRF_HOLE, generate_csrf().encode())
    response = Response(body, status=200, headers=list(entry.headers))
    response.headers["X-Cache"] = "hit"
    return response


def _storable(response: Response, pending: _Pending) -> bool:
    if response.status_code != 200 or response.mimetype != "text/html":
        return False
    if response.is_streamed or response.direct_passthrough or "Set-Cookie" in response.headers:
        return False
    if response.cache_control.private or response.cache_control.no_store:
        return False
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return False
    before, after = pending.session_before, dict(session)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    return not (changed - NEUTRAL_SESSION_KEYS)


def store_response(response: Response) -> Response:
    """after_request (runs before the other hooks): keep a miss's page, mark X-Cache."""
    state = g.get(_G_KEY)
    if state is None or state == "hit":
        return response
    # "miss" for every allow-listed page not served from the cache, personal ones included.
    response.headers["X-Cache"] = "miss"
    store = store_for(current_app)
    if not isinstance(state, _Pending) or store is None or not _storable(response, state):
        return response
    body = response.get_data()
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if token:
        body = body.replace(token.encode(), _CSRF_HOLE)
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("content-length", "x-cache")
    )
    store.put(state.key, Entry(body, headers, state.version, store.clock(), bool(token)))
    return response


def init_page_cache(app: Flask) -> None:
    """Create this process's store and put the hooks in place."""
    if not enabled_for(app):
        return
    megabytes = float(_setting(app, "PAGE_CACHE_MB", "64"))
    ttl_s = float(_setting(app, "PAGE_CACHE_TTL_S", "60"))
    app.extensions[EXTENSION_KEY] = PageStore(int(megabytes * 1024 * 1024), ttl_s)
    # First of the app's before_request hooks; init_serving calls this just before
    # init_request_log, whose request-id hook then goes in front of it.
    app.before_request_funcs.setdefault(None, []).insert(0, serve_from_cache)
    # Registered last, so it runs first: it sees the view's own headers and cookies.
    app.after_request(store_response)
