"""The search results page: the same query parsing as the API, lenient for people."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue

from catalog.catalogue import search as search_service
from catalog.catalogue.search_params import page_args_as_api, parse_search
from catalog.platform import geo
from catalog.web.blueprints import public as bp
from catalog.web.i18n import N_

# Labels stay Vietnamese here; N_ marks them for the catalogue and the template shows them
# with |t in the visitor's language.
SORT_LABELS = {
    "relevance": N_("Phù hợp nhất"),
    "stars": N_("Nhiều sao OCOP"),
    "newest": N_("Mới nhất"),
    "price_asc": N_("Giá thấp đến cao"),
    "price_desc": N_("Giá cao đến thấp"),
}
# Facet labels built by services/search.py, translated in the template with |t.
FACET_LABELS = (
    N_("3 sao"),
    N_("4 sao"),
    N_("5 sao"),
    N_("Chưa xác minh"),
    N_("Chưa đánh dấu tin cậy"),
)


@bp.get("/tim-kiem")
def search() -> ResponseReturnValue:
    query = parse_search(
        page_args_as_api(request.args),
        strict=False,
        default_per_page=current_app.config["PER_PAGE"],
    )
    results = search_service.run_search(query)
    return render_template(
        "public/search.html",
        results=results,
        query=query,
        sorts=SORT_LABELS,
        provinces={p.slug: p for p in geo.all_provinces()},
        categories={c.slug: c for c in geo.all_categories()},
    )
