"""Free-text search for the public: asks the index for ranked ids, loads the rows.

The backend returns ids, highlights and facet counts; the database stays the truth, so a
product hidden a moment ago is dropped here even if the index has not caught up yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from catalog.catalogue import browse
from catalog.models import Product
from catalog.platform import geo
from catalog.platform.search_sync import backend
from search_index import SearchPage, SearchQuery
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
    page = backend().search(query)
    products = browse.load_in_order(page.ids)
    return SearchResults(query=query, page=page, products=products, facets=_label(page.facets))


def _label(facets: dict[str, tuple[FacetCount, ...]]) -> dict[str, list[Facet]]:
    provinces = {p.slug: p.name for p in geo.all_provinces()}
    categories = {c.slug: c.short_name for c in geo.all_categories()}
    labels = {
        "province": provinces,
        "category": categories,
        "stars": {s: f"{s} sao" for s in ("3", "4", "5")},
        "verified": {"true": "Đã xác minh", "false": "Chưa xác minh"},
        "trusted": {"true": "Địa chỉ tin cậy", "false": "Chưa đánh dấu tin cậy"},
    }
    result: dict[str, list[Facet]] = {}
    for name, counts in facets.items():
        names = labels.get(name, {})
        result[name] = [Facet(c.value, names.get(c.value, c.value), c.count) for c in counts]
    return result


def autocomplete(prefix: str, limit: int = 8) -> list[str]:
    if not prefix.strip():
        return []
    return backend().autocomplete(prefix, limit)
