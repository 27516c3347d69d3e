"""Open data downloads: /du-lieu/san-pham.csv and .json take the query parameters of the
search page (/tim-kiem) and of the listing (/san-pham), and export every matching product,
not just the page on screen. Without parameters: the whole published catalogue."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from flask import Response, abort, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from catalog.catalogue import open_data
from catalog.catalogue.filters import browse_filters
from catalog.catalogue.search_params import page_args_as_api, parse_search
from catalog.web.blueprints import public as bp

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
FILE_NAME = "cho-viet-san-pham"
# Parameters only the search page has: their presence means "export this search".
SEARCH_ONLY = ("q", "xac-minh", "tin-cay")
MAX_AGE_S = 300


def selection_from(args: MultiDict) -> open_data.Selection:
    """Lenient like the pages: an unknown value is dropped, never an error."""
    if any((args.get(name) or "").strip() for name in SEARCH_ONLY):
        query = parse_search(page_args_as_api(args), strict=False, default_per_page=100)
        return open_data.Selection(search=query)
    filters = browse_filters(args, open_data.BATCH)
    return open_data.Selection(listing=replace(filters, page=1))


@bp.get("/du-lieu/san-pham.<fmt>")
def open_data_file(fmt: str) -> ResponseReturnValue:
    if fmt not in FORMATS:
        abort(404)
    data = open_data.export(selection_from(request.args))
    if fmt == "csv":
        chunks = open_data.csv_chunks(data)
    else:
        chunks = open_data.json_chunks(data, source=request.url)
    response = Response(stream_with_context(chunks), content_type=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{FILE_NAME}.{fmt}"'
    response.headers["X-Total-Count"] = str(data.total)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_S
    return response


@bp.app_template_global()
def open_data_url(fmt: str) -> str:
    """The download of what the current page lists: its filters, every page of it."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    base = url_for("public.open_data_file", fmt=fmt)
    return f"{base}?{urlencode(pairs)}" if pairs else base
