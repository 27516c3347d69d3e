"""Request ids and one structured log line per request.

Every request gets an id: a sane X-Request-ID from the proxy in front of us (so one id follows
the request through nginx, gunicorn and our logs) or a fresh one. It is echoed in the
response's X-Request-ID header, kept in `g.request_id`, and stamped on every log record made
while the request runs, so an error a user reports with its id can be found in the logs.

Logs are JSON lines in production (one object per line, for a log shipper) and plain text on
a developer machine; CHOVIET_LOG_FORMAT chooses explicitly. Only the path is logged, never the
query string, and path parts that carry e-mailed tokens are masked.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any, TextIO

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# URL parts named like these carry secrets (e-mailed links); they are masked in the log.
_SECRET_ARGS = ("token",)
_MASK = "[hidden]"

log = logging.getLogger("catalog.request")


def request_id_from(incoming: str | None) -> str:
    """The proxy's id when it is short and plain, else a new random one."""
    if incoming and _SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def loggable_path() -> str:
    """The request path without its query string, with token arguments masked."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if any(secret in name for secret in _SECRET_ARGS) and isinstance(value, str) and value:
            path = path.replace(value, _MASK)
    return path


class RequestIdFilter(logging.Filter):
    """Stamps `request_id` on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, request_id, the request fields
    passed as `extra={"fields": {...}}`, and the traceback of an exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class _OurHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is at the time (like logging.lastResort), and marks the
    handler we installed, so a second create_app() replaces it rather than adding one."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(app: Flask) -> None:
    """Root logger: one stderr handler in the configured format, with request ids."""
    fmt = str(app.config.get("LOG_FORMAT", "text")).lower()
    if fmt not in ("json", "text"):
        raise RuntimeError(f"CHOVIET_LOG_FORMAT must be json or text, got {fmt!r}")
    handler = _OurHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(str(app.config.get("LOG_LEVEL", "INFO")).upper())


def _start() -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g._request_started = time.perf_counter()


def _signed_in_user_id() -> int | None:
    """The user Flask-Login already loaded for this request; never loads one just to log."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "id", None)


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or request_id_from(None)
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("_request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    fields = {
        "method": request.method,
        "path": loggable_path(),
        "status": response.status_code,
        "duration_ms": duration_ms,
        "remote_addr": request.remote_addr,
        "user_id": _signed_in_user_id(),
    }
    level = logging.ERROR if response.status_code >= 500 else logging.INFO
    log.log(
        level,
        "%s %s %s %sms",
        fields["method"],
        fields["path"],
        fields["status"],
        duration_ms,
        extra={"fields": fields, "request_id": request_id},
    )
    return response


def init_request_log(app: Flask) -> None:
    """Request ids and the per-request log line (logging itself is set up by create_app)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    # App-level after_request functions run last-registered first: at the front of the list
    # this one runs after all others, so it logs the final status (e.g. a 304 the API makes).
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
