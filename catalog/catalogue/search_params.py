"""Reading a product search from query parameters: one parser for the API (strict: a wrong
value is a 400 with a message) and for the search page and open data downloads (lenient: a
wrong value is dropped), so all three find the same products."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from catalog.catalogue import browse
from catalog.models import Province
from catalog.platform import geo
from catalog.web import params
from search_index import SearchQuery
from search_index.types import SORTS

# Page parameters (Vietnamese, like the listing pages) → API parameter names.
PARAM_NAMES = {
    "q": "q",
    "tinh": "province",
    "nhom": "category",
    "sao": "stars",
    "xac-minh": "verified",
    "tin-cay": "trusted",
    "sap-xep": "sort",
    "page": "page",
}


def page_args_as_api(args: MultiDict) -> MultiDict:
    """The search page's parameters under the API's names."""
    renamed: MultiDict = MultiDict()
    for page_name, api_name in PARAM_NAMES.items():
        for value in args.getlist(page_name):
            renamed.add(api_name, value)
    return renamed


def province_param(raw: str, *, strict: bool = True) -> Province | None:
    """A province named by its name (old or new), slug or code; ParamError when strict."""
    province = geo.resolve_province(raw) or browse.get_province(raw.strip())
    if province is None and strict:
        raise params.ParamError("province", f"Không có tỉnh/thành phố “{raw[:60]}”.")
    return province


def parse_search(args: MultiDict, *, strict: bool, default_per_page: int) -> SearchQuery:
    """SearchQuery from query parameters shared by the API and the search page."""
    provinces = []
    for raw in args.getlist("province"):
        province = province_param(raw, strict=strict)
        if province is not None:
            provinces.append(province.slug)
    categories = []
    for raw in args.getlist("category"):
        category = geo.resolve_category(raw)
        if category is None:
            if strict:
                raise params.ParamError("category", f"Không có nhóm OCOP “{raw[:60]}”.")
            continue
        categories.append(category.slug)
    return SearchQuery(
        text=params.query_text(args),
        provinces=tuple(dict.fromkeys(provinces)),
        categories=tuple(dict.fromkeys(categories)),
        stars=params.star_values(args.getlist("stars"), strict=strict),
        verified=params.boolean(args, "verified", strict=strict),
        trusted=params.boolean(args, "trusted", strict=strict),
        sort=params.choice(args, "sort", SORTS, "relevance", strict=strict),
        page=params.page_number(args, strict=strict),
        per_page=params.per_page(args, default_per_page) if strict else default_per_page,
    )
