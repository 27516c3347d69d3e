"""Free-text search for the public: asks the index for ranked ids, loads the rows.

The backend returns ids, highlights and facet counts; the database stays the truth, so a
product hidden a moment ago is dropped here even if the index has not caught up yet.

Every caller (the search page, the API, open data, autocomplete) comes through here, so
all of them keep working when the index is missing or damaged: the answer then comes from
the database (search_fallback.py, `SearchResults.source == "database"`) while the index is
rebuilt in the background (platform/search_repair.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from catalog.catalogue import browse, search_fallback
from catalog.models import Product
from catalog.platform import geo, search_repair, search_sync
from catalog.platform.search_sync import backend
from search_index import IndexUnavailable, SearchPage, SearchQuery
from search_index.types import FacetCount


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    query: SearchQuery
    page: SearchPage
    products: list[Product]
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    # "index", or "database" while the index is unavailable (see the module docstring)
    source: str = "index"

    @property
    def total(self) -> int:
        return self.page.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.page.total // self.page.per_page))

    def highlight(self, product_id: int, field_name: str) -> Markup | None:
        """The backend's fragment: matches in <mark>, everything else already escaped."""
        for hit in self.page.hits:
            if hit.id == product_id:
                fragment = hit.highlights.get(field_name)
                return Markup(fragment) if fragment else None
        return None


def run_search(query: SearchQuery) -> SearchResults:
    source = "index"
    try:
        page = backend().search(query)
    except IndexUnavailable as exc:
        search_sync.index_unavailable(exc)
        page, source = search_fallback.search(query), "database"
    else:
        _index_answered()
    products = browse.load_in_order(page.ids)
    facets = _label(page.facets)
    return SearchResults(query=query, page=page, products=products, facets=facets, source=source)


def _index_answered() -> None:
    """End an incident this process had (another process rebuilt the index) and drop the
    fallback's copy of the catalogue (two dictionary look-ups when there is none)."""
    if search_repair.active() is not None:
        search_repair.resolve()
    search_fallback.forget()


def _label(facets: dict[str, tuple[FacetCount, ...]]) -> dict[str, list[Facet]]:
    provinces = {p.slug: p.name for p in geo.all_provinces()}
    categories = {c.slug: c.short_name for c in geo.all_categories()}
    labels = {
        "province": provinces,
        "category": categories,
        "stars": {s: f"{s} sao" for s in ("3", "4", "5")},
        "verified": {"true": "Đã xác minh"},
        "trusted": {"true": "Địa chỉ tin cậy"},
    }
    result: dict[str, list[Facet]] = {}
    for name, counts in facets.items():
        names = labels.get(name, {})
        if name in POSITIVE_ONLY:  # consumers filter on what is there, not on what lacks
            counts = tuple(c for c in counts if c.value == "true")
        result[name] = [Facet(c.value, names.get(c.value, c.value), c.count) for c in counts]
    # "Chứng nhận OCOP còn hiệu lực": every product showing stars (search_params.
    # certified_stars), so its count is the stars facet's total.
    certified = sum(c.count for c in facets.get("stars", ()))
    result["certified"] = (
        [Facet("true", "Chứng nhận OCOP còn hiệu lực", certified)] if certified else []
    )
    return result


POSITIVE_ONLY = ("verified", "trusted")


def region_facets(results: SearchResults) -> list[Facet]:
    """Region counts summed from the province facet (a region is its provinces; the index
    knows none), in the order of the six regions, empty ones left out."""
    by_slug = {f.value: f.count for f in results.facets.get("province", [])}
    slugs = {p.id: p.slug for p in geo.all_provinces()}
    facets = []
    for region in geo.all_regions():
        count = sum(by_slug.get(slugs[i], 0) for i in region.province_ids)
        if count:
            facets.append(Facet(region.slug, region.name, count))
    return facets


def autocomplete(prefix: str, limit: int = 8) -> list[str]:
    if not prefix.strip():
        return []
    try:
        names = backend().autocomplete(prefix, limit)
    except IndexUnavailable as exc:
        search_sync.index_unavailable(exc)
        return search_fallback.autocomplete(prefix, limit)
    _index_answered()
    return names
