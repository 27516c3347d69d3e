"""Reading the listing filters from the query string. A filter that names nothing (tinh,
nhom, sao) is refused with 400 and a message (params.ParamError), as in search and the
API; sort and page fall back to their defaults."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from catalog.catalogue import browse
from catalog.catalogue.search_params import category_named, filter_values, province_named
from catalog.platform import geo
from catalog.web import params


def browse_filters(args: MultiDict, per_page: int, **fixed: object) -> browse.BrowseFilters:
    """The filters of a listing page; `fixed` ones come from the page itself (the province
    of /tinh/<slug>), and the query parameter they replace is not read."""
    provinces = {p.slug: p.id for p in geo.all_provinces()}
    categories = {c.slug: c.id for c in geo.all_categories()}
    province_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    if "province_ids" not in fixed:
        province_ids = tuple(
            dict.fromkeys(
                provinces.get(raw) or province_named(raw).id for raw in filter_values(args, "tinh")
            )
        )
    if "category_ids" not in fixed:
        category_ids = tuple(
            dict.fromkeys(
                categories.get(raw) or category_named(raw).id for raw in filter_values(args, "nhom")
            )
        )
    values: dict[str, object] = {
        "province_ids": province_ids,
        "category_ids": category_ids,
        "stars": params.star_values(filter_values(args, "sao"), strict=True, name="sao"),
        "sort": params.choice(args, "sap-xep", browse.SORTS, browse.DEFAULT_SORT),
        "page": params.page_number(args),
        "per_page": per_page,
    }
    values.update(fixed)
    return browse.BrowseFilters(**values)  # type: ignore[arg-type]  # values are checked above
