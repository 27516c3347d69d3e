"""Static files under content-hashed names, cached by browsers for a year.

At start-up each process reads static/ once and names every file after a hash of its content:
`url_for('static', filename='css/site.css')` gives `/static/css/site.3f2a9c81d0.css`. A changed
file gets a new name, so the old one may be cached forever (`immutable`) and a deploy is seen
at once. The plain name still works with `no-cache` and an ETag (for links from outside).

Stylesheets refer to fonts with `url(...)`: those references are rewritten, in memory, to the
fonts' hashed names before the stylesheet itself is hashed, so fonts get the long cache too
and a new font gives the stylesheet a new name. Names that are not in the manifest (an old or
made-up hash) fall through to the plain file lookup, which answers 404 for them and for any
path outside static/.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request, send_file, send_from_directory

HASH_LENGTH = 10
ONE_YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")
_QUERY_OR_FRAGMENT = re.compile(r"([^?#]*)(.*)", re.DOTALL)


@dataclass
class Manifest:
    """Plain name → hashed name, and hashed name → what to send."""

    hashed: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # hashed name → file on disk
    rewritten: dict[str, bytes] = field(default_factory=dict)  # hashed name → CSS in memory


def hashed_name(name: str, content: bytes) -> str:
    """`css/site.css` → `css/site.<hash>.css` (the hash before the last suffix)."""
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    folder, base = posixpath.split(name)
    stem, dot, suffix = base.rpartition(".")
    new_base = f"{stem}.{digest}.{suffix}" if dot and stem else f"{base}.{digest}"
    return posixpath.join(folder, new_base)


def rewrite_css(name: str, css: str, hashed: dict[str, str]) -> str:
    """Point each relative `url(...)` of the stylesheet `name` at the hashed file name."""
    folder = posixpath.dirname(name)

    def replace(match: re.Match[str]) -> str:
        quote, target = match.group(1), match.group(2)
        if target.startswith(("data:", "/", "#")) or "://" in target:
            return match.group(0)
        parts = _QUERY_OR_FRAGMENT.match(target)
        assert parts is not None  # the pattern matches any string
        path, tail = parts.groups()
        resolved = posixpath.normpath(posixpath.join(folder, path))
        if resolved not in hashed:
            return match.group(0)
        relative = posixpath.relpath(hashed[resolved], folder or ".")
        return f"url({quote}{relative}{tail}{quote})"

    return _CSS_URL.sub(replace, css)


def build_manifest(static_folder: Path) -> Manifest:
    """Hash every file under static/ (stylesheets last, after the files they refer to)."""
    manifest = Manifest()
    paths = sorted(
        p for p in static_folder.rglob("*") if p.is_file() and not p.name.startswith(".")
    )
    stylesheets = [p for p in paths if p.suffix == ".css"]
    for path in paths:
        if path.suffix == ".css":
            continue
        name = path.relative_to(static_folder).as_posix()
        new = hashed_name(name, path.read_bytes())
        manifest.hashed[name] = new
        manifest.files[new] = path
    for path in stylesheets:
        name = path.relative_to(static_folder).as_posix()
        css = rewrite_css(name, path.read_text(encoding="utf-8"), manifest.hashed).encode()
        new = hashed_name(name, css)
        manifest.hashed[name] = new
        manifest.rewritten[new] = css
    return manifest


def _manifest() -> Manifest:
    return current_app.extensions["choviet_static"]


def serve_static(filename: str) -> Response:
    """The `static` endpoint: hashed names from the manifest with the long cache, any other
    name as the plain file (no-cache + ETag), 404 when it does not exist."""
    manifest = _manifest()
    if filename in manifest.rewritten:
        response = Response(manifest.rewritten[filename], mimetype="text/css")
        response.set_etag(filename.rsplit(".", 2)[-2])
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.make_conditional(request)  # in place (it returns the same response)
    elif filename in manifest.files:
        response = send_file(manifest.files[filename], max_age=ONE_YEAR, conditional=True)
    else:
        folder = current_app.static_folder
        assert folder is not None
        return send_from_directory(folder, filename, max_age=None)
    response.headers["Cache-Control"] = IMMUTABLE
    return response


def _hash_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = _manifest().hashed.get(values["filename"], values["filename"])


def init_static_assets(app: Flask) -> None:
    if app.static_folder is None:
        return
    app.extensions["choviet_static"] = build_manifest(Path(app.static_folder))
    app.view_functions["static"] = serve_static
    app.url_defaults(_hash_static_urls)
