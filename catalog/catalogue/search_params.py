"""Reading a product search from query parameters: one parser for the API and for the search
page and open data downloads, so all three find the same products.

A filter that names nothing (a province or OCOP group that does not exist, stars 9) is
refused everywhere with 400 and a message naming it (params.ParamError): dropping it would
answer a different question than the one asked. `strict` (the API) also refuses a wrong
sort, page, per_page or yes/no value, which the pages replace by their default."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from catalog.catalogue import browse
from catalog.models import Category, Province
from catalog.platform import geo
from catalog.platform.vietnamese import clean_text
from catalog.web import params
from search_index import SearchQuery
from search_index.types import SORTS

MAX_NAME = 100  # longer than any province or group name, old or new
MAX_VALUES = 64  # repeated filter values read (there are 34 provinces, six groups)
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


def province_named(raw: str) -> Province:
    """A province named by its name (old or new), slug or code; else ParamError."""
    raw = raw[:MAX_NAME]
    province = None
    if _is_text(raw):
        province = geo.resolve_province(raw) or browse.get_province(raw.strip())
    if province is None:
        raise params.ParamError("province", f"Không có tỉnh/thành phố “{_shown(raw)}”.")
    return province


def province_param(raw: str, *, strict: bool = True) -> Province | None:
    """province_named, or None instead of the ParamError when not strict."""
    try:
        return province_named(raw)
    except params.ParamError:
        if strict:
            raise
        return None


def category_named(raw: str) -> Category:
    """An OCOP group named by its name (2019 or 2023), short name or slug; else ParamError."""
    category = geo.resolve_category(raw[:MAX_NAME]) if _is_text(raw) else None
    if category is None:
        raise params.ParamError("category", f"Không có nhóm OCOP “{_shown(raw)}”.")
    return category


def _is_text(raw: str) -> bool:
    """No name holds control characters; a NUL byte is even an error to PostgreSQL."""
    return not any(ch < " " or ch == "\x7f" for ch in raw)


def _shown(raw: str) -> str:
    return clean_text(raw)[:60]


def filter_values(args: MultiDict, name: str) -> list[str]:
    """The non-empty values of a repeatable filter (a sane number of them)."""
    return [raw for raw in args.getlist(name)[:MAX_VALUES] if raw.strip()]


def parse_search(args: MultiDict, *, strict: bool, default_per_page: int) -> SearchQuery:
    """SearchQuery from query parameters shared by the API and the search page."""
    provinces = [province_named(raw).slug for raw in filter_values(args, "province")]
    categories = [category_named(raw).slug for raw in filter_values(args, "category")]
    return SearchQuery(
        text=params.query_text(args),
        provinces=tuple(dict.fromkeys(provinces)),
        categories=tuple(dict.fromkeys(categories)),
        stars=params.star_values(filter_values(args, "stars"), strict=True),
        verified=params.boolean(args, "verified", strict=strict),
        trusted=params.boolean(args, "trusted", strict=strict),
        sort=params.choice(args, "sort", SORTS, "relevance", strict=strict),
        page=params.page_number(args, strict=strict),
        per_page=params.per_page(args, default_per_page) if strict else default_per_page,
    )
