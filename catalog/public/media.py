"""Serving stored image variants with long cache headers (the name is the content hash)."""

from __future__ import annotations

from flask import abort, current_app, send_file

from ..services.images import variant_path
from . import bp

ONE_YEAR = 365 * 24 * 3600


@bp.get("/anh/<digest>-<size>.webp")
def image(digest: str, size: str):  # type: ignore[no-untyped-def]
    try:
        path = variant_path(current_app.config["UPLOADS_DIR"], digest, size)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=ONE_YEAR, conditional=True)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
