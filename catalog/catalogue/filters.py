"""Reading the listing filters from the query string. A filter that names nothing (tinh,
nhom, sao) is refused with 400 and a message (params.ParamError), as in search and the
API; sort and page fall back to their defaults."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from catalog.catalogue import browse
from catalog.catalogue.search_params import (
    POSITIVE_FLAGS,
    category_named,
    filter_values,
    old_name_named,
    positive_flag,
    province_named,
    region_named,
)
from catalog.platform import geo
from catalog.platform.clock import local_month
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
    regions: tuple[geo.Region, ...] = ()
    if "province_ids" not in fixed:
        found = (region_named(raw, "vung") for raw in filter_values(args, "vung"))
        regions = tuple(dict.fromkeys(found))
    old_names, recorded_as = _old_names(args, fixed.get("province_ids"))
    values: dict[str, object] = {
        "province_ids": province_ids,
        "regions": regions,
        "old_names": old_names,
        "recorded_as": recorded_as,
        "category_ids": category_ids,
        "stars": params.star_values(filter_values(args, "sao"), strict=True, name="sao"),
        "available_month": local_month() if params.boolean(args, "con-hang") else None,
        **{name: _positive(args, name) for name in POSITIVE_FLAGS},
        "sort": params.choice(args, "sap-xep", browse.SORTS, browse.DEFAULT_SORT),
        "page": params.page_number(args),
        "per_page": per_page,
    }
    values.update(fixed)
    return browse.BrowseFilters(**values)  # type: ignore[arg-type]  # values are checked above


def _positive(args: MultiDict, name: str) -> bool:
    """xac-minh / tin-cay / chung-nhan as on the search page: "true" only, a negative 400."""
    page_name = POSITIVE_FLAGS[name][0]
    return positive_flag(MultiDict({name: args.get(page_name, "")}), name, strict=True) is True


def _old_names(args: MultiDict, fixed_ids: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """ten-cu: the pre-2025 provinces asked for and every spelling recorded under them. On
    a province's page, an old name merged into another province names nothing there."""
    names: list[str] = []
    spellings: list[str] = []
    for raw in filter_values(args, "ten-cu"):
        match = old_name_named(raw)
        if isinstance(fixed_ids, tuple) and match.province.id not in fixed_ids:
            raise params.ParamError(
                "ten-cu",
                f"{match.old_name} nay thuộc {match.province.name_in_sentence},"
                " không thuộc tỉnh, thành phố đang xem.",
            )
        names.append(match.old_name or "")
        spellings += browse.recorded_spellings(match)
    return tuple(dict.fromkeys(names)), tuple(dict.fromkeys(spellings))
