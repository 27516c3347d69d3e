"""Serving stored image variants with long cache headers (the name is the content hash).

The bytes are streamed from the uploads storage (a directory or an S3 bucket). Since a name
never changes content, its ETag is the name itself: a browser's revalidation is answered
304 without even asking the storage. A size added to the pipeline after a picture was stored
is made on its first request (images.ensure_variant), so no stored picture needs migrating.
"""

from __future__ import annotations

from time import time

from flask import Response, abort, request
from flask.typing import ResponseReturnValue
from werkzeug.wsgi import wrap_file

from catalog.platform.images import ensure_variant, variant_key
from catalog.storage import current_storage
from catalog.web.blueprints import public as bp

ONE_YEAR = 365 * 24 * 3600
CACHE_CONTROL = f"public, max-age={ONE_YEAR}, immutable"


@bp.get("/anh/<digest>-<size>.webp")
def image(digest: str, size: str) -> ResponseReturnValue:
    try:
        key = variant_key(digest, size)
    except ValueError:
        abort(404)
    etag = f"{digest}-{size}"
    if request.if_none_match.contains(etag):
        return _headers(Response(status=304), etag, f"{digest}-{size}.webp")
    storage = current_storage()
    try:
        stored = storage.open(key)
    except FileNotFoundError:
        if not ensure_variant(storage, digest, size):
            abort(404)
        stored = storage.open(key)
    response = Response(
        wrap_file(request.environ, stored.stream), mimetype="image/webp", direct_passthrough=True
    )
    response.content_length = stored.size
    if stored.modified is not None:
        response.last_modified = stored.modified  # type: ignore[assignment]  # werkzeug's setter takes a timestamp too
    _headers(response, etag, f"{digest}-{size}.webp")
    return response.make_conditional(request, accept_ranges=True, complete_length=stored.size)


def _headers(response: Response, etag: str, name: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.expires = int(time() + ONE_YEAR)  # type: ignore[assignment]  # the setter takes a timestamp
    response.headers["Content-Disposition"] = f"inline; filename={name}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
