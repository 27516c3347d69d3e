"""Operating the site: start-up checks (the search index) and backup / restore."""

from __future__ import annotations

from flask import Flask


def init_ops(app: Flask) -> None:
    """Start-up checks and the `flask ops` commands (called once from create_app)."""
    from . import startup
    from .cli import ops_cli

    app.cli.add_command(ops_cli)
    if startup.enabled(app.config):
        startup.check_and_repair(app)
