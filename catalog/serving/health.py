"""GET /healthz: is this process fit to serve, for load balancers and monitoring.

Three checks, each with its figures:
- database: `SELECT 1` answered, and how long it took;
- search_index: rows waiting in the search outbox and the age of the oldest (the index lag),
  and whether the index itself can be read (`index`: ok, missing or unreadable; `rebuilding`:
  this process rebuilds it in the background);
- disk: free bytes and percent where the instance directory and the uploads live.

Status "fail" (HTTP 503) when the database cannot be reached or a disk has less than
CHOVIET_HEALTH_MIN_FREE_MB free: this host should be taken out of rotation. Status
"degraded" (still HTTP 200) when the oldest outbox row is older than
CHOVIET_HEALTH_MAX_OUTBOX_AGE_S: search shows stale results but every page works, and the
outbox is shared by all hosts, so pulling hosts out would only make things worse; monitoring
should alert on it instead. A missing or unreadable Whoosh index is "degraded" (HTTP 200) too:
search is answered from the database meanwhile and the index is being rebuilt (the probe
starts that rebuild if no search has yet), and with one Whoosh host there is no other host to
send visitors to. The answer holds no paths, addresses or error texts, is never
cached, sets no cookie, and is neither rate-limited nor subject to CSRF.
"""

from __future__ import annotations

import logging
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from sqlalchemy import func, select, text

from catalog.extensions import csrf, db, limiter
from catalog.models import IndexOutbox
from catalog.platform import search_sync

ENDPOINT = "healthz"
MIB = 1024 * 1024

log = logging.getLogger(__name__)


def check_database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception as exc:  # noqa: BLE001 - any failure means the database is unusable
        log.warning("health: database check failed: %s", type(exc).__name__)
        db.session.rollback()
        return {"status": "fail", "error": type(exc).__name__}
    return {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


def check_search_index(max_age_s: int) -> dict[str, Any]:
    try:
        pending, oldest = db.session.execute(
            select(func.count(IndexOutbox.id), func.min(IndexOutbox.created_at))
        ).one()
    except Exception as exc:  # noqa: BLE001 - e.g. a database never migrated
        log.warning("health: outbox check failed: %s", type(exc).__name__)
        return {"status": "fail", "error": type(exc).__name__}
    finally:
        db.session.rollback()
    age = None
    if oldest is not None:
        age = max(0.0, round((datetime.now(UTC) - oldest).total_seconds(), 1))
    index, rebuilding = _index_state()
    lagging = age is not None and age > max_age_s
    status = "degraded" if lagging or index != "ok" else "ok"
    return {
        "status": status,
        "pending": pending,
        "oldest_age_s": age,
        "max_age_s": max_age_s,
        "index": index,
        "rebuilding": rebuilding,
    }


def _index_state() -> tuple[str, bool]:
    try:
        return search_sync.index_health()
    except Exception as exc:  # noqa: BLE001 - the probe answers whatever happens
        log.warning("health: search index check failed: %s", type(exc).__name__)
        db.session.rollback()
        return "unknown", False


def disk_figures(path: Path, min_free_bytes: int) -> dict[str, Any]:
    usage = shutil.disk_usage(path)
    free_percent = round(100 * usage.free / usage.total, 1) if usage.total else 0.0
    status = "ok" if usage.free >= min_free_bytes else "fail"
    return {"status": status, "free_bytes": usage.free, "free_percent": free_percent}


def check_disk(folders: dict[str, Path], min_free_mb: int) -> dict[str, Any]:
    min_free = min_free_mb * MIB
    result: dict[str, Any] = {"status": "ok", "min_free_bytes": min_free}
    for name, folder in folders.items():
        if not folder.is_dir():
            continue  # e.g. uploads on S3-compatible storage: no local folder to watch
        figures = disk_figures(folder, min_free)
        result[name] = figures
        if figures["status"] != "ok":
            result["status"] = "fail"
    return result


def overall(checks: dict[str, dict[str, Any]]) -> str:
    statuses = {check["status"] for check in checks.values()}
    if "fail" in statuses:
        return "fail"
    return "degraded" if "degraded" in statuses else "ok"


def healthz() -> Response:
    config = current_app.config
    checks: dict[str, dict[str, Any]] = {"database": check_database()}
    if checks["database"]["status"] == "ok":
        checks["search_index"] = check_search_index(int(config["HEALTH_MAX_OUTBOX_AGE_S"]))
    else:
        checks["search_index"] = {"status": "unknown"}
    folders = {"instance": Path(current_app.instance_path), "uploads": Path(config["UPLOADS_DIR"])}
    checks["disk"] = check_disk(folders, int(config["HEALTH_MIN_FREE_MB"]))
    status = overall(checks)
    body = {
        "status": status,
        "failing": sorted(name for name, check in checks.items() if check["status"] == "fail"),
        "checks": checks,
    }
    response = jsonify(body)
    response.status_code = 503 if status == "fail" else 200
    response.cache_control.no_store = True
    return response


def _no_cookies(response: Response) -> Response:
    """A probe must not get a session or language cookie (e.g. from ?hl=)."""
    if request.endpoint == ENDPOINT:
        response.headers.remove("Set-Cookie")
    return response


def init_health(app: Flask) -> None:
    view = limiter.exempt(csrf.exempt(healthz))
    app.add_url_rule("/healthz", endpoint=ENDPOINT, view_func=view, methods=["GET"])
    # At the front: app-level after_request functions run last-registered first, so this
    # one runs after the language cookie is set by catalog/web/i18n.py.
    app.after_request_funcs.setdefault(None, []).insert(0, _no_cookies)
