"""Production refuses to start on a default or weak secret key; settings come only from
environment variables; several workers without shared rate-limit counters are warned about."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from catalog import create_app
from catalog.config import DEFAULT_SECRET, MIN_SECRET_LENGTH, PROJECT_ROOT, load_settings
from tests.conftest import close_app, make_app


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("CHOVIET_ENV", "production")
    monkeypatch.delenv("CHOVIET_SECRET_KEY", raising=False)
    monkeypatch.setenv("CHOVIET_SITE_URL", "https://choviet.example.vn")
    return monkeypatch


def test_production_refuses_the_default_secret(production_env, tmp_path):
    with pytest.raises(RuntimeError, match="CHOVIET_SECRET_KEY must be set"):
        load_settings()
    production_env.setenv("CHOVIET_SECRET_KEY", DEFAULT_SECRET)
    with pytest.raises(RuntimeError, match="CHOVIET_SECRET_KEY must be set"):
        create_app({"INSTANCE_PATH": tmp_path})


@pytest.mark.parametrize("secret", ["changeme", "x" * (MIN_SECRET_LENGTH - 1)])
def test_production_refuses_a_short_secret(production_env, secret):
    production_env.setenv("CHOVIET_SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match=rf"too short.*\({len(secret)} characters\)"):
        load_settings()


def test_production_starts_with_a_long_random_secret(production_env):
    production_env.setenv("CHOVIET_SECRET_KEY", "k" * MIN_SECRET_LENGTH)
    settings = load_settings()
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["LOG_FORMAT"] == "json"


def test_development_accepts_the_default_secret(monkeypatch):
    monkeypatch.delenv("CHOVIET_ENV", raising=False)
    monkeypatch.delenv("CHOVIET_SECRET_KEY", raising=False)
    settings = load_settings()
    assert settings["SECRET_KEY"] == DEFAULT_SECRET and not settings["SESSION_COOKIE_SECURE"]


def test_new_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("CHOVIET_PROXY_HOPS", "2")
    monkeypatch.setenv("CHOVIET_HEALTH_MIN_FREE_MB", "1024")
    monkeypatch.setenv("CHOVIET_HEALTH_MAX_OUTBOX_AGE_S", "60")
    monkeypatch.setenv("CHOVIET_LOG_FORMAT", "json")
    monkeypatch.setenv("CHOVIET_WORKERS", "4")
    settings = load_settings()
    assert settings["PROXY_HOPS"] == 2 and settings["WORKERS"] == 4
    assert settings["HEALTH_MIN_FREE_MB"] == 1024 and settings["HEALTH_MAX_OUTBOX_AGE_S"] == 60
    assert settings["LOG_FORMAT"] == "json"
    monkeypatch.setenv("CHOVIET_PROXY_HOPS", "one")
    with pytest.raises(RuntimeError, match="CHOVIET_PROXY_HOPS must be an integer"):
        load_settings()


def test_negative_proxy_hops_refuse_to_start(tmp_path):
    with pytest.raises(RuntimeError, match="CHOVIET_PROXY_HOPS"):
        make_app(tmp_path, PROXY_HOPS=-1)


def test_no_code_reads_settings_files():
    """Only CHOVIET_* environment variables configure the app: no config.py, .env or .ini."""
    pattern = re.compile(r"from_pyfile|from_envvar|from_file|from_object|load_dotenv|dotenv_values")
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for folder in ("catalog", "search_index")
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    offenders += [
        name
        for name in ("app.py", "gunicorn.conf.py")
        if pattern.search((PROJECT_ROOT / name).read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_new_setting_is_documented():
    docs = (PROJECT_ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for name in (
        "CHOVIET_ENV",
        "CHOVIET_SECRET_KEY",
        "CHOVIET_LOG_FORMAT",
        "CHOVIET_LOG_LEVEL",
        "CHOVIET_PROXY_HOPS",
        "CHOVIET_REDIS_URL",
        "CHOVIET_HEALTH_MIN_FREE_MB",
        "CHOVIET_HEALTH_MAX_OUTBOX_AGE_S",
        "CHOVIET_BIND",
        "CHOVIET_WORKERS",
        "CHOVIET_THREADS",
        "CHOVIET_FORWARDED_ALLOW_IPS",
    ):
        assert name in docs, name


def start_production(instance: Path, monkeypatch, **env: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CHOVIET_ENV", "production")
    monkeypatch.setenv("CHOVIET_SECRET_KEY", "w" * 40)
    monkeypatch.setenv("CHOVIET_SITE_URL", "https://choviet.example.vn")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    started = make_app(instance, SECRET_KEY="w" * 40)
    with started.app_context():
        close_app(started)


def test_several_workers_without_redis_are_warned_about(app, monkeypatch, caplog):
    monkeypatch.delenv("CHOVIET_REDIS_URL", raising=False)
    monkeypatch.delenv("CHOVIET_RATELIMIT_STORAGE_URI", raising=False)
    caplog.set_level(logging.WARNING, logger="catalog.serving")
    start_production(Path(app.instance_path), monkeypatch, CHOVIET_WORKERS="1")
    assert "CHOVIET_REDIS_URL" not in caplog.text
    start_production(Path(app.instance_path), monkeypatch, CHOVIET_WORKERS="5")
    assert "5 workers" in caplog.text and "set CHOVIET_REDIS_URL" in caplog.text
    caplog.clear()
    start_production(
        Path(app.instance_path),
        monkeypatch,
        CHOVIET_WORKERS="5",
        CHOVIET_REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert "CHOVIET_REDIS_URL" not in caplog.text


@pytest.mark.parametrize("site_url", [None, "", "choviet.example.vn", "ftp://choviet.example.vn"])
def test_production_refuses_to_start_without_a_public_address(production_env, site_url):
    """Hand-over QR codes and e-mailed links would point at 127.0.0.1 for ever."""
    production_env.setenv("CHOVIET_SECRET_KEY", "k" * MIN_SECRET_LENGTH)
    if site_url is None:
        production_env.delenv("CHOVIET_SITE_URL")
    else:
        production_env.setenv("CHOVIET_SITE_URL", site_url)
    with pytest.raises(RuntimeError, match="CHOVIET_SITE_URL must be set in production"):
        load_settings()


def test_production_warns_about_a_loopback_public_address(production_env, caplog):
    production_env.setenv("CHOVIET_SECRET_KEY", "k" * MIN_SECRET_LENGTH)
    production_env.setenv("CHOVIET_SITE_URL", "http://127.0.0.1:8000")
    with caplog.at_level(logging.WARNING, logger="catalog.config"):
        settings = load_settings()
    assert settings["PUBLIC_BASE_URL"] == "http://127.0.0.1:8000"
    assert "only work on this machine" in caplog.text
