"""/healthz: database, search-index lag and disk space, as a load balancer and monitoring
read them: 200 ok, 200 degraded (search lagging), 503 fail (database or disk)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import IndexOutbox
from tests.conftest import close_app, make_app
from tests.services import free_port

HEALTHZ = "/healthz"


def test_all_good_is_200_ok_with_figures(client):
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["failing"] == []
    checks = body["checks"]
    assert checks["database"]["status"] == "ok" and checks["database"]["latency_ms"] >= 0
    assert checks["search_index"] == {
        "status": "ok",
        "pending": 0,
        "oldest_age_s": None,
        "max_age_s": 300,
        "index": "ok",
        "rebuilding": False,
    }
    disk = checks["disk"]
    assert disk["status"] == "ok" and disk["min_free_bytes"] == 500 * 1024 * 1024
    for folder in ("instance", "uploads"):
        assert disk[folder]["free_bytes"] > 0 and 0 < disk[folder]["free_percent"] <= 100


def test_the_answer_is_not_cached_sets_no_cookie_and_reveals_no_paths(app, client, login_as):
    login_as("official")
    response = client.get(HEALTHZ + "?hl=en")
    assert "no-store" in response.headers["Cache-Control"]
    # Nothing in it depends on who asks (no session read): no cookie, no "Vary: Cookie";
    # only the encoding may vary (compression).
    assert "Set-Cookie" not in response.headers
    assert response.headers.get("Vary", "Accept-Encoding") == "Accept-Encoding"
    assert response.headers["X-Request-ID"]
    text = response.get_data(as_text=True)
    assert app.instance_path not in text and "sqlite" not in text and "postgres" not in text


def test_pending_outbox_rows_are_counted_and_old_ones_make_it_degraded(app, client):
    now = datetime.now(UTC)
    with write_transaction():
        db.session.add(IndexOutbox(product_id=1, reason="test", created_at=now))
    fresh = client.get(HEALTHZ)
    assert fresh.status_code == 200 and fresh.get_json()["status"] == "ok"
    assert fresh.get_json()["checks"]["search_index"]["pending"] == 1
    with write_transaction():
        old = now - timedelta(minutes=10)
        db.session.add(IndexOutbox(product_id=2, reason="test", created_at=old))
    lagging = client.get(HEALTHZ)
    body = lagging.get_json()
    # Search is stale but every page works: keep the host in rotation, alert on "degraded".
    assert lagging.status_code == 200 and body["status"] == "degraded"
    index = body["checks"]["search_index"]
    assert index["status"] == "degraded" and index["pending"] == 2
    assert 590 <= index["oldest_age_s"] <= 3600
    assert body["failing"] == []


def test_the_outbox_age_limit_comes_from_the_configuration(app, client):
    app.config["HEALTH_MAX_OUTBOX_AGE_S"] = 3600
    with write_transaction():
        created = datetime.now(UTC) - timedelta(minutes=10)
        db.session.add(IndexOutbox(product_id=1, reason="test", created_at=created))
    assert client.get(HEALTHZ).get_json()["status"] == "ok"


def test_too_little_free_disk_is_503_fail(app, client):
    app.config["HEALTH_MIN_FREE_MB"] = 10**12  # an exabyte: no test machine has that free
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "fail" and body["failing"] == ["disk"]
    assert body["checks"]["disk"]["instance"]["status"] == "fail"


def test_an_unreachable_database_is_503_fail_not_a_500(tmp_path: Path):
    """A PostgreSQL address where nothing listens: the check fails fast and cleanly."""
    nowhere = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/nothing"
    down = make_app(tmp_path / "down", SQLALCHEMY_DATABASE_URI=nowhere)
    with down.app_context():
        response = down.test_client().get(HEALTHZ)
        close_app(down)
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "fail" and body["failing"] == ["database"]
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError"}
    assert body["checks"]["search_index"] == {"status": "unknown"}
    assert "nobody" not in response.get_data(as_text=True)


def test_health_checks_are_never_rate_limited(app, client):
    app.config["API_RATE"] = "1 per minute"
    statuses = {client.get(HEALTHZ).status_code for _ in range(10)}
    assert statuses == {200}
