"""Plain values that cross the seam between the catalogue and a search backend.

They are frozen dataclasses with no ORM objects so that a backend never reaches into the
database and the catalogue never depends on how a backend stores things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

SORTS = ("relevance", "stars", "newest", "price_asc", "price_desc")
FACET_FIELDS = ("province", "category", "stars", "verified", "trusted")


@dataclass(frozen=True)
class ProductDoc:
    """Everything search needs to know about one published product."""

    id: int
    slug: str
    name: str
    producer_name: str
    description: str = ""
    category_slug: str | None = None
    category_name: str | None = None
    province_slug: str = ""
    province_name: str = ""
    # Pre-2025 province names the product is still known under (e.g. "Bắc Giang").
    province_aliases: tuple[str, ...] = ()
    ocop_stars: int | None = None
    verified: bool = False
    # "Địa chỉ tin cậy": an official vouches for the producer.
    trusted: bool = False
    price_vnd: int | None = None
    created_at: datetime | None = None
    # Stock (issue 14.6): in stock all year, or only in its harvest months (1–12; none for a
    # sold-out product). Months are indexed, "available now" is decided at query time.
    always_available: bool = True
    harvest_months: tuple[int, ...] = ()

    def available_in(self, month: int) -> bool:
        """Whether the product can be bought in `month` (SearchQuery.available_month)."""
        return self.always_available or month in self.harvest_months


@dataclass(frozen=True)
class SearchQuery:
    """A consumer's question. Filters hold slugs (province, category) and star numbers."""

    text: str = ""
    provinces: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    stars: tuple[int, ...] = ()
    verified: bool | None = None
    trusted: bool | None = None
    # "Đang có hàng": only products available in this month (1–12, Vietnam time, chosen by
    # the caller at query time); None: any.
    available_month: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 24


@dataclass(frozen=True)
class SearchHit:
    id: int
    score: float = 0.0
    # Field name -> HTML fragment with matches in <mark>; all other text is escaped.
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class SearchPage:
    total: int
    page: int
    per_page: int
    hits: tuple[SearchHit, ...] = ()
    # Facet field (see FACET_FIELDS) -> counts, most frequent first.
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def ids(self) -> list[int]:
        return [hit.id for hit in self.hits]


@dataclass(frozen=True)
class Drift:
    """Difference between the ids the database publishes and the ids the index holds."""

    missing: frozenset[int] = frozenset()
    extra: frozenset[int] = frozenset()
    # The index was built with another schema (e.g. before a facet was added): rebuild it.
    outdated: bool = False

    @property
    def clean(self) -> bool:
        return not self.missing and not self.extra and not self.outdated
