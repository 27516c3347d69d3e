"""Reading the listing filters from the query string (lenient: bad values are dropped)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from catalog.catalogue import browse
from catalog.platform import geo
from catalog.web import params


def browse_filters(args: MultiDict, per_page: int, **fixed: object) -> browse.BrowseFilters:
    provinces = {p.slug: p.id for p in geo.all_provinces()}
    categories = {c.slug: c.id for c in geo.all_categories()}
    province_ids = tuple(provinces[s] for s in args.getlist("tinh") if s in provinces)
    category_ids = tuple(categories[s] for s in args.getlist("nhom") if s in categories)
    values: dict[str, object] = {
        "province_ids": province_ids,
        "category_ids": category_ids,
        "stars": params.star_values(args.getlist("sao")),
        "sort": params.choice(args, "sap-xep", browse.SORTS, browse.DEFAULT_SORT),
        "page": params.page_number(args),
        "per_page": per_page,
    }
    values.update(fixed)
    return browse.BrowseFilters(**values)  # type: ignore[arg-type]  # values are checked above
