"""A lost or damaged search index, per process: one warning, one background rebuild.

The database is the truth and the index a projection, so an index directory deleted or
damaged while the site runs is an incident to repair, not an error to show: the search
service answers from the database meanwhile (catalog/catalogue/search_fallback.py), and
the first request that finds the index unavailable

* logs one warning for the incident (not one per request),
* starts one background thread that rebuilds the index under the sync lock (the job is
  search_sync.repair; another process may already be rebuilding, and the job then finds
  the index readable and only applies what is pending),
* and /healthz reports "degraded" until the index can be read again.

The incident ends when a job reports the index usable, or when a search or /healthz finds
it readable again (another process rebuilt it). A job that gave up (the lock stayed busy)
is started again by the next request that still finds the index unavailable. Only request
paths start a thread; commands and other callers repair in line or leave it to the next
request. This module knows nothing of search itself, so search_sync can use it without an
import cycle.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, has_request_context

from catalog.extensions import db

log = logging.getLogger(__name__)
STATE_KEY = "choviet_search_repair"


@dataclass
class Incident:
    kind: str  # "missing" or "unreadable" (search_index.IndexUnavailable.kind)
    started: float = field(default_factory=time.monotonic)
    attempts: int = 0  # background rebuilds started for it


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    incident: Incident | None = None
    thread: threading.Thread | None = None  # the last background rebuild started


def _state(app: Flask) -> _State:
    state = app.extensions.get(STATE_KEY)
    if state is None:
        state = app.extensions.setdefault(STATE_KEY, _State())
    return state


def report(kind: str, detail: str, job: Callable[[], bool]) -> None:
    """The index was found `kind` ("missing"/"unreadable"): warn once per incident and,
    on a request path, make sure a background `job` (returns True once the index is
    usable) is running."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    state = _state(app)
    with state.lock:
        incident = state.incident
        if incident is None:
            incident = state.incident = Incident(kind)
            log.warning(
                "search index %s (%s): answering searches from the database and rebuilding "
                "the index in the background",
                kind,
                detail,
            )
        if not has_request_context():
            return
        if state.thread is not None and state.thread.is_alive():
            return
        incident.attempts += 1
        state.thread = threading.Thread(
            target=_run, args=(app, job), name="choviet-search-repair", daemon=True
        )
        state.thread.start()


def _run(app: Flask, job: Callable[[], bool]) -> None:
    with app.app_context():
        try:
            usable = job()
        except Exception:
            log.exception("search index rebuild in the background failed; the next search retries")
            usable = False
        finally:
            db.session.remove()
        if usable:
            _resolve(app, "rebuilt")


def resolve() -> None:
    """The index answered again: end this process's incident, if there is one (a dict
    lookup when there is none, so every successful search may call it)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if _state(app).incident is not None:
        _resolve(app, "readable again")


def _resolve(app: Flask, how: str) -> None:
    state = _state(app)
    with state.lock:
        incident, state.incident = state.incident, None
    if incident is not None:
        log.warning(
            "search index %s after %.1f s (it was %s); searches use the index again",
            how,
            time.monotonic() - incident.started,
            incident.kind,
        )


def active() -> Incident | None:
    """This process's open incident, if any."""
    return _state(current_app._get_current_object()).incident  # type: ignore[attr-defined]


def rebuilding() -> bool:
    thread = _state(current_app._get_current_object()).thread  # type: ignore[attr-defined]
    return thread is not None and thread.is_alive()


def wait(app: Flask, timeout_s: float | None = None) -> bool:
    """Wait for the background rebuild, if one runs; True when none runs any more (tests,
    and closing the backend before a database is dropped or restored under it)."""
    thread = _state(app).thread
    if thread is None or thread is threading.current_thread():
        return True
    thread.join(timeout_s)
    return not thread.is_alive()
