"""The search results page: the same query parsing as the API, lenient for people."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue

from catalog.catalogue import api_reads
from catalog.catalogue import search as search_service
from catalog.catalogue.search_params import chosen_places, page_args_as_api, parse_search
from catalog.models import Producer
from catalog.platform import geo
from catalog.web.blueprints import public as bp
from catalog.web.i18n import N_
from search_index import SearchQuery

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
    N_("Đã xác minh"),
    N_("Địa chỉ tin cậy"),
    N_("Chứng nhận OCOP còn hiệu lực"),
)


@bp.get("/tim-kiem")
def search() -> ResponseReturnValue:
    query = parse_search(
        page_args_as_api(request.args),
        strict=False,
        default_per_page=current_app.config["PER_PAGE"],
    )
    results = search_service.run_search(query)
    producers, producer_total, product_counts = _matching_producers(query)
    chosen_provinces, chosen_regions = chosen_places(request.args)  # issue 14.2: vung
    return render_template(
        "public/search.html",
        results=results,
        query=query,
        chosen_provinces=chosen_provinces,
        chosen_regions=chosen_regions,
        region_facets=search_service.region_facets(results),
        regions={r.slug: r for r in geo.all_regions()},
        producers=producers,
        producer_total=producer_total,
        producer_products=product_counts,
        sorts=SORT_LABELS,
        provinces={p.slug: p for p in geo.all_provinces()},
        categories={c.slug: c for c in geo.all_categories()},
    )


PRODUCERS_SHOWN = 5


def _matching_producers(query: SearchQuery) -> tuple[list[Producer], int, dict[int, int]]:
    """Producers whose name matches the text, above the products (first page only): the
    province and trust filters narrow them too; group and stars are about products."""
    if not query.text or query.page != 1:
        return [], 0, {}
    provinces = {p.slug: p.id for p in geo.all_provinces()}
    filters = api_reads.ProducerFilters(
        province_ids=tuple(provinces[s] for s in query.provinces if s in provinces),
        verified=query.verified,
        trusted=query.trusted,
        text=query.text,
    )
    producers, total = api_reads.list_producers(filters, 1, PRODUCERS_SHOWN)
    return producers, total, api_reads.product_counts([p.id for p in producers])
