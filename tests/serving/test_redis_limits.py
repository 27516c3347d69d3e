"""Rate-limit counters in Redis (CHOVIET_REDIS_URL) are shared by every worker and host.

Each "host" is its own process with its own app, as on real machines (Flask-Limiter keeps one
storage per process, so two apps in one process would share counters whatever the setting).
Sign-in attempts alternate between two hosts: with Redis the sixth attempt anywhere is
refused (LOGIN_RATE "5 per minute"); with memory:// each host counts alone, which is why
production with several workers or hosts needs Redis.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
import redis

from catalog.config import load_settings
from tests import databases
from tests.conftest import close_app, make_app
from tests.forms import post_form
from tests.services import redis_server

LOGIN = "/tai-khoan/dang-nhap"
REPLY_TIMEOUT_S = 120


def attempt_login(client: Any) -> int:
    response = post_form(client, LOGIN, {"email": "ai@example.vn", "password": "sai-mat-khau-1"})
    return response.status_code


def run_host(instance: str, redis_url: str, conn: Any) -> None:
    """A host process: settings from the environment like production, then one sign-in
    attempt per "login" message, answered with its HTTP status."""
    # Per IP only: the per-account limit lives in the shared database whatever the storage
    # (tests/accounts/test_sign_in_throttle.py) and would delay the sixth attempt anyway.
    os.environ["CHOVIET_SIGN_IN_ACCOUNT_FAILURES"] = "0"
    if redis_url:
        os.environ["CHOVIET_REDIS_URL"] = redis_url
    else:
        os.environ.pop("CHOVIET_REDIS_URL", None)
        os.environ["CHOVIET_RATELIMIT_STORAGE_URI"] = "memory://"
    app = make_app(Path(instance))
    with app.app_context():
        client = app.test_client()
        conn.send(("ready", app.config["RATELIMIT_STORAGE_URI"]))
        while conn.recv() == "login":
            conn.send(attempt_login(client))
        close_app(app)


class Host:
    def __init__(self, process: Any, conn: Any) -> None:
        self.process, self.conn = process, conn

    def reply(self) -> Any:
        if not self.conn.poll(REPLY_TIMEOUT_S):
            raise AssertionError("a host process did not answer (see its stderr)")
        return self.conn.recv()

    def login(self) -> int:
        self.conn.send("login")
        return self.reply()


@contextmanager
def hosts(instance: Path, redis_url: str, count: int = 2) -> Iterator[list[Host]]:
    ctx = multiprocessing.get_context("spawn")
    started = []
    try:
        for _ in range(count):
            parent, child = ctx.Pipe()
            process = ctx.Process(target=run_host, args=(str(instance), redis_url, child))
            process.start()
            started.append(Host(process, parent))
        for host in started:
            assert host.reply() == ("ready", redis_url or "memory://")
        yield started
    finally:
        for host in started:
            if host.process.is_alive():
                with suppress(OSError):
                    host.conn.send("stop")
            host.process.join(timeout=30)
            if host.process.is_alive():
                host.process.terminate()
                host.process.join(timeout=10)


@pytest.fixture
def shared_db(tmp_path: Path, migrated_db: Path) -> Iterator[Path]:
    """One database for both hosts, as on a real multi-host set-up."""
    instance = tmp_path / "shared"
    databases.clone(migrated_db, instance)
    yield instance
    databases.drop(instance)


@pytest.mark.slow
def test_two_hosts_share_the_sign_in_limit_through_redis(tmp_path, shared_db):
    with redis_server(tmp_path / "redis") as url, hosts(shared_db, url) as (one, two):
        statuses = [host.login() for host in (one, two, one, two, one, two, one, two)]
    assert statuses == [422] * 5 + [429] * 3


@pytest.mark.slow
def test_with_memory_counters_each_host_counts_alone(shared_db):
    with hosts(shared_db, "") as (one, two):
        statuses = [host.login() for host in (one, two, one, two, one, two, one, two)]
    # Eight attempts, four per host: nobody is stopped; a client gets 5 × hosts attempts.
    assert statuses == [422] * 8


def test_the_counters_live_in_redis(tmp_path, app, monkeypatch):
    with redis_server(tmp_path / "redis") as url:
        monkeypatch.setenv("CHOVIET_REDIS_URL", url)
        monkeypatch.delenv("CHOVIET_RATELIMIT_STORAGE_URI", raising=False)
        limited = make_app(Path(app.instance_path))
        with limited.app_context():
            assert limited.config["RATELIMIT_STORAGE_URI"] == url
            client = limited.test_client()
            assert attempt_login(client) == 422
            keys = redis.Redis.from_url(url).keys("*")
            close_app(limited)
    assert any(b"account.login" in key or b"login" in key for key in keys), keys


def test_sign_in_still_works_when_redis_goes_away(tmp_path, app, monkeypatch):
    """Counting falls back to memory: a Redis outage never turns sign-in into a 500."""
    with redis_server(tmp_path / "redis") as url:
        monkeypatch.setenv("CHOVIET_REDIS_URL", url)
        monkeypatch.delenv("CHOVIET_RATELIMIT_STORAGE_URI", raising=False)
        limited = make_app(Path(app.instance_path))
    with limited.app_context():
        client = limited.test_client()
        statuses = [attempt_login(client) for _ in range(6)]
        close_app(limited)
    assert statuses == [422] * 5 + [429]


def test_storage_follows_the_environment(monkeypatch):
    monkeypatch.delenv("CHOVIET_RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("CHOVIET_REDIS_URL", raising=False)
    assert load_settings()["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("CHOVIET_REDIS_URL", "redis://cache.internal:6379/2")
    settings = load_settings()
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/2"
    assert settings["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
    monkeypatch.setenv("CHOVIET_RATELIMIT_STORAGE_URI", "memcached://m:11211")
    assert load_settings()["RATELIMIT_STORAGE_URI"] == "memcached://m:11211"
