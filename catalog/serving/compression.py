"""Text responses compressed for the browsers that ask (Flask-Compress): HTML, CSS, JS, JSON,
SVG and XML, the bytes a phone on a slow link waits for (issue 14, point 5).

What is left alone, and why:

* Images (WebP), fonts (WOFF2), PDFs and XLSX are compressed already; CSV downloads and any
  other type outside MIMETYPES are sent as they are, so a spreadsheet export streams as before.
* Streamed responses (the open-data JSON and CSV downloads) are sent as they are, chunk by
  chunk: compressing them would hold their generator inside another. Static text files sent
  from disk (JS, SVG) are read whole first (at most MAX_BUFFERED bytes, the file closed at
  once) and then compressed like a rendered page.
* Partial content (206) and every status outside 200–299 stay as they are, as do responses
  smaller than 500 bytes.
* ETags: a compressed answer's strong ETag gets the encoding appended ("x:br"), as HTTP wants
  for a different representation, and a revalidation with it is still answered 304.

The hook runs after every other one except the request log (registered just before it), so
the page cache keeps the uncompressed page and each answer is compressed for its own request's
Accept-Encoding. CHOVIET_COMPRESS=0 (app config COMPRESS) turns it off.
"""

from __future__ import annotations

from flask import Flask, Response
from flask_compress import Compress

MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/geo+json",
    "image/svg+xml",
    "application/xml",
    "text/xml",
    "text/plain",
]


_MIMETYPES = frozenset(MIMETYPES)
# Static text files are read into memory to be compressed only up to this size.
MAX_BUFFERED = 1024 * 1024


def enabled_for(app: Flask) -> bool:
    return str(app.config.get("COMPRESS", "1")).strip().lower() not in ("0", "false", "no", "off")


def init_compression(app: Flask) -> None:
    """Install the compression hook at the front of the app's after_request list (see the
    module docstring for where it runs)."""
    if not enabled_for(app):
        return
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_REGISTER", False)  # we place the hook ourselves
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress = Compress(app)

    def _compress(response: Response) -> Response:
        if response.status_code == 206:  # a byte range of the identity representation
            return response
        _buffer_small_file(response)
        return compress.after_request(response)

    app.after_request_funcs.setdefault(None, []).insert(0, _compress)


def _buffer_small_file(response: Response) -> None:
    """A small text file streamed from disk (send_file) becomes an ordinary body, its file
    closed here, so it can be compressed whole; anything else is left streaming."""
    length = response.content_length
    if not (
        response.is_streamed
        and response.direct_passthrough
        and response.status_code == 200
        and response.mimetype in _MIMETYPES
        and length is not None
        and length <= MAX_BUFFERED
    ):
        return
    chunks = response.response
    try:
        body = b"".join(c.encode() if isinstance(c, str) else c for c in chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    response.direct_passthrough = False
    response.set_data(body)
