"""What every API response shares: pagination with Link headers, ETag and cache headers,
CORS for reading, and the per-IP rate limit.

Other sites (a provincial portal, a map) read the API from the browser, so every /api/
response allows any origin; the API only reads, so that exposes nothing a visitor could not
fetch anyway. Caching is short (60 s) because listings change when officials publish.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, jsonify, request
from werkzeug.datastructures import MultiDict

from catalog.web import params

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_AGE_S = 60
EXPOSED_HEADERS = (
    "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
)


def api_rate() -> str:
    """The limit read at request time, so CHOVIET_API_RATE and tests can change it."""
    return current_app.config["API_RATE"]


def page_args(args: MultiDict) -> tuple[int, int]:
    """(page, per_page), strict: a program should learn it asked for page 0."""
    page = params.page_number(args, strict=True)
    per_page = params.per_page(args, DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
    return page, per_page


def page_count(total: int, per_page: int) -> int:
    return max(1, ceil(total / per_page))


def _page_url(page: int) -> str:
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    pairs.append(("page", str(page)))
    return request.base_url + "?" + urlencode(pairs)


def link_header(page: int, pages: int) -> str:
    """RFC 8288 links to the first, previous, next and last pages."""
    links = [(1, "first")]
    if page > 1:
        links.append((min(page - 1, pages), "prev"))
    if page < pages:
        links.append((page + 1, "next"))
    links.append((pages, "last"))
    return ", ".join(f'<{_page_url(n)}>; rel="{rel}"' for n, rel in links)


def paginated(
    items: Sequence[dict[str, Any]], total: int, page: int, per_page: int, **extra: Any
) -> Response:
    """A page of a collection: the body says total and pages, the Link header where next."""
    pages = page_count(total, per_page)
    body: dict[str, Any] = {"total": total, "page": page, "per_page": per_page, "pages": pages}
    body.update(extra)
    body["items"] = list(items)
    response = jsonify(body)
    response.headers["Link"] = link_header(page, pages)
    return response


def finish(response: Response) -> Response:
    """After every /api/ response (also errors and unknown paths): CORS, then for a
    successful read an ETag, public caching and the 304 answer to If-None-Match."""
    if not request.path.startswith("/api/"):
        return response
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        headers["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match"
        headers["Access-Control-Max-Age"] = "86400"
        return response
    if response.status_code == 405 and "Allow" not in headers:
        # The JSON error page replaced werkzeug's answer, which said what is allowed.
        adapter = current_app.url_map.bind_to_environ(request.environ)
        headers["Allow"] = ", ".join(sorted(adapter.allowed_methods()))
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        if response.is_streamed:
            return response
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE_S
        response.add_etag()
        response.make_conditional(request)
    elif response.status_code >= 400:
        response.cache_control.no_store = True
    return response
