"""A real gunicorn (gunicorn.conf.py, production settings, several workers) on a test's
instance, and a small browser-like HTTP client for it.

The server runs in its own process group with the test app's database, uploads and index
directories, rate limits off and a random secret key; without SMTP every e-mail stays in the
outbox table, where the test can read it. Its output goes to a log file the test can search
(for "database is locked", tracebacks or killed workers).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from flask import Flask

from catalog.config import PROJECT_ROOT
from tests.forms import find_csrf_token, hidden_versions
from tests.services import free_port

START_TIMEOUT_S = 60.0
READY = re.compile(r"start-up check \(pid (\d+)\)")


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (gunicorn's workers are its master's children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ")".
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


@dataclass
class Gunicorn:
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path
    workers: int

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _dump_stuck(self, ready: list[int]) -> None:
        _dump_stuck_workers(self, ready)

    def ready_pids(self) -> list[int]:
        """Workers that have finished creating the app (their start-up check is logged)."""
        ready = {int(pid) for pid in READY.findall(self.log())}
        return [pid for pid in self.worker_pids() if pid in ready]

    def wait_for_workers(self, timeout: float = START_TIMEOUT_S) -> list[int]:
        """Until all workers are up (a killed one is replaced) and the site answers."""
        deadline = time.monotonic() + timeout
        while True:
            pids = self.ready_pids()
            if len(pids) >= self.workers and _answers(self.url):
                return pids
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log()}")
            if time.monotonic() > deadline:
                self._dump_stuck(pids)
                raise RuntimeError(
                    f"gunicorn workers not all ready in {timeout}s (workers {self.worker_pids()},"
                    f" ready {pids}):\n{self.log()[-12000:]}"
                )
            time.sleep(0.1)


def _dump_stuck_workers(server: Gunicorn, ready: list[int]) -> None:
    """SIGABRT the workers that never got ready: faulthandler writes their stacks to the log."""
    for pid in set(server.worker_pids()) - set(ready):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGABRT)
    time.sleep(1.0)


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=5).status_code in (200, 503)
    except requests.RequestException:
        return False


def server_env(app: Flask, port: int, workers: int, threads: int) -> dict[str, str]:
    """The environment of a production gunicorn on the test app's instance."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHOVIET_")}
    config = app.config
    env.update(
        {
            "CHOVIET_SECRET_KEY": secrets.token_hex(20),  # 40 random characters
            "CHOVIET_INSTANCE_PATH": str(app.instance_path),
            "CHOVIET_DATABASE_URL": str(config["SQLALCHEMY_DATABASE_URI"]),
            "CHOVIET_UPLOADS_DIR": str(config["UPLOADS_DIR"]),
            "CHOVIET_SEARCH_INDEX_DIR": str(config["SEARCH_INDEX_DIR"]),
            "CHOVIET_SEARCH_BACKEND": str(config.get("SEARCH_BACKEND") or "whoosh"),
            "CHOVIET_RATELIMIT_ENABLED": "0",
            # Load tests write more listings in a minute than a co-op does in a day.
            "CHOVIET_QUOTA_LISTINGS_PER_DAY": "0",
            "CHOVIET_WORKERS": str(workers),
            "CHOVIET_THREADS": str(threads),
            "CHOVIET_BIND": f"127.0.0.1:{port}",
            "CHOVIET_SITE_URL": f"http://127.0.0.1:{port}",
            "CHOVIET_LOG_FORMAT": "text",
            "PYTHONFAULTHANDLER": "1",  # a stuck worker's stack, on SIGABRT (see above)
            # info: the start-up check logs "start-up check (pid N)" once a worker is ready.
            "CHOVIET_LOG_LEVEL": "info",
        }
    )
    if config.get("PRIVATE_DIR"):
        env["CHOVIET_PRIVATE_DIR"] = str(config["PRIVATE_DIR"])
    return env


@contextmanager
def gunicorn(
    app: Flask, log_dir: Path, *, workers: int = 3, threads: int = 2
) -> Iterator[Gunicorn]:
    """Start gunicorn on the test app's instance; stop it (SIGTERM, then SIGKILL) after."""
    port = free_port()
    log_path = log_dir / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and config
            [sys.executable, "-m", "gunicorn", "-c", str(PROJECT_ROOT / "gunicorn.conf.py")],
            cwd=PROJECT_ROOT,
            env=server_env(app, port, workers, threads),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Gunicorn(process, f"http://127.0.0.1:{port}", log_path, workers)
    try:
        server.wait_for_workers()
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


class Browser:
    """A person's browser: one cookie jar, forms posted with their CSRF token (and the
    version an edit form was opened at), redirects not followed (a 302 is how the site
    acknowledges a write).

    Production cookies are Secure (the site sits behind HTTPS); the test talks plain HTTP on
    loopback, so the jar is told to send them anyway, as the TLS proxy would.
    """

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.timeout = timeout

    def _insecure_cookies(self) -> None:
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, path: str) -> requests.Response:
        response = self.session.get(
            self.base_url + path, allow_redirects=False, timeout=self.timeout
        )
        self._insecure_cookies()
        return response

    def post_form(
        self,
        path: str,
        data: dict[str, Any],
        *,
        form_url: str | None = None,
        files: dict[str, Any] | None = None,
    ) -> requests.Response:
        page = self.get(form_url or path)
        token = find_csrf_token(page.text)
        if not token:
            raise AssertionError(f"no csrf_token on {form_url or path} (HTTP {page.status_code})")
        response = self.session.post(
            self.base_url + path,
            data={**hidden_versions(page.text), **data, "csrf_token": token},
            files=files,
            allow_redirects=False,
            timeout=self.timeout,
        )
        self._insecure_cookies()
        return response

    def sign_in(self, email: str, password: str) -> None:
        response = self.post_form("/tai-khoan/dang-nhap", {"email": email, "password": password})
        if response.status_code != 302:
            raise AssertionError(f"sign-in of {email} answered {response.status_code}")
