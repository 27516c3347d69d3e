"""Servers some tests need besides the app: a PostgreSQL server and a Redis server.

`make test` starts a throwaway PostgreSQL cluster (.ci/pg-cluster) and passes its address in
CHOVIET_TEST_POSTGRES_URL; Redis is started per test session from Debian's redis-server.
When `make test` runs (CHOVIET_REQUIRE_SERVICES=1) a missing server fails the test with a
clear message; a developer running one file by hand without them gets a skip instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REDIS_SERVER = "/usr/bin/redis-server"


def missing(message: str) -> None:
    """Fail under `make test`, skip otherwise."""
    if os.environ.get("CHOVIET_REQUIRE_SERVICES") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def postgres_server_url() -> str:
    """SQLAlchemy URL of a PostgreSQL server where tests may create and drop databases."""
    url = os.environ.get("CHOVIET_TEST_POSTGRES_URL", "").strip()
    if not url:
        missing(
            "PostgreSQL is needed: run `make test` (it starts a throwaway cluster with "
            ".ci/pg-cluster) or set CHOVIET_TEST_POSTGRES_URL=postgresql+psycopg://..."
        )
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A private redis-server on a free loopback port; yields its redis:// URL."""
    binary = shutil.which("redis-server") or REDIS_SERVER
    if not Path(binary).exists():
        missing("Redis is needed: install Debian's redis-server (.ci/run does this in CI)")
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
