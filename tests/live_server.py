"""A real HTTP server on loopback for browser checks, serving an app in a thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
# Flags that keep Chromium from reaching out to the (closed) network at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 at a free port; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def require_chromium() -> Path:
    """Browser checks fail loudly, never skip, when Chromium is missing."""
    if not CHROMIUM.exists():
        raise RuntimeError(
            "Chromium is missing: install Debian's package (apt-get install chromium); "
            ".ci/run does this in CI. Playwright cannot download its own browser here."
        )
    return CHROMIUM
