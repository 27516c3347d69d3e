"""Absolute links, built one way.

Two bases, for two readers: `site_url` builds from CHOVIET_SITE_URL, so an e-mail, a digest
or a handover link is the same whether a request, a command or the importer made it;
`public_base_url`/`absolute_url` serve the page being rendered (canonical links, OpenGraph,
QR codes): the configured public address in production, else the address the request came
to (development and tests)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.routing import BuildError


def site_url(endpoint: str, fallback_blueprint: str | None = None, **values: object) -> str:
    """The absolute link to `endpoint` under SITE_URL. With `fallback_blueprint`, an endpoint
    that cannot be built links to that blueprint's home instead of failing."""
    base = current_app.config["SITE_URL"]
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )
    try:
        return adapter.build(endpoint, values or None, force_external=True)
    except BuildError:
        if fallback_blueprint is None:
            raise
        blueprint = current_app.blueprints.get(fallback_blueprint)
        prefix = (blueprint.url_prefix if blueprint else None) or ""
        return base.rstrip("/") + prefix + "/"


def public_base_url() -> str:
    """PUBLIC_BASE_URL when set (production), else the address this request came to; no
    trailing slash."""
    configured = current_app.config.get("PUBLIC_BASE_URL") or ""
    return (configured or request.url_root).rstrip("/")


def absolute_url(path: str) -> str:
    """An absolute URL for a path from url_for() (already absolute URLs pass through)."""
    if path.startswith(("http://", "https://")):
        return path
    root = request.script_root
    if root and path.startswith(root):
        path = path[len(root) :]
    return public_base_url() + path
