"""Operating the site: start-up checks (the search index) and backup / restore."""

from __future__ import annotations

import os

from flask import Flask


def init_ops(app: Flask) -> None:
    """Start-up checks and the `flask ops` commands (called once from create_app)."""
    from catalog.ops import startup
    from catalog.ops.cli import ops_cli

    app.cli.add_command(ops_cli)
    if startup.enabled(app.config):
        startup.check_and_repair(app)
    elif not app.config.get("TESTING"):
        # Said in the log all the same, so a process that watches the log for started
        # workers (tests/serving/gunicorn_support.py) sees every backend's workers start.
        startup.log.info(
            "search index start-up check (pid %d): not needed for the %s backend or turned off",
            os.getpid(),
            app.config.get("SEARCH_BACKEND"),
        )
