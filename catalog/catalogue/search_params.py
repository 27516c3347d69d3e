"""Reading a product search from query parameters: one parser for the API and for the search
page and open data downloads, so all three find the same products.

A filter that names nothing (a province or OCOP group that does not exist, stars 9) is
refused everywhere with 400 and a message naming it (params.ParamError): dropping it would
answer a different question than the one asked. `strict` (the API) also refuses a wrong
sort, page, per_page or yes/no value, which the pages replace by their default.

Places add up: `region` (vung) stands for its provinces and joins those named by `province`
(tinh), so "Tây Nguyên and Hà Nội" lists both; a region is sent to the search backend as its
provinces, so no index knows about regions."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from catalog.catalogue import browse
from catalog.models import Category, Province
from catalog.platform import geo
from catalog.platform.clock import local_month
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
    "vung": "region",
    "nhom": "category",
    "sao": "stars",
    "xac-minh": "verified",
    "tin-cay": "trusted",
    "chung-nhan": "certified",
    "con-hang": "in_stock",
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


def region_named(raw: str, name: str = "region") -> geo.Region:
    """One of the six socio-economic regions by slug or name; else ParamError."""
    region = geo.resolve_region(raw[:MAX_NAME]) if _is_text(raw) else None
    if region is None:
        raise params.ParamError(name, f"Không có vùng “{_shown(raw)}”.")
    return region


def old_name_named(raw: str, name: str = "ten-cu") -> geo.ProvinceMatch:
    """A pre-2025 province merged into another (Bắc Giang, now Bắc Ninh); else ParamError:
    a current name (Hà Nội) is no old name to narrow to."""
    match = geo.match_province(raw[:MAX_NAME]) if _is_text(raw) else None
    if match is None or match.old_name is None:
        raise params.ParamError(
            name, f"“{_shown(raw)}” không phải tên một tỉnh cũ đã sáp nhập từ 1/7/2025."
        )
    return match


def region_province_slugs(args: MultiDict, name: str = "region") -> tuple[str, ...]:
    """The provinces of the regions asked for (vung / region), as slugs: a region is a set
    of provinces, so it reaches every backend as a province filter (no index change)."""
    ids = {i for raw in filter_values(args, name) for i in region_named(raw, name).province_ids}
    return tuple(p.slug for p in geo.all_provinces() if p.id in ids)


def chosen_places(args: MultiDict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(province slugs, region slugs) a search page's visitor ticked (tinh, vung), apart:
    the query holds them merged, the filter form shows each box as it was ticked."""
    provinces = (province_named(raw).slug for raw in filter_values(args, "tinh"))
    regions = (region_named(raw, "vung").slug for raw in filter_values(args, "vung"))
    return tuple(dict.fromkeys(provinces)), tuple(dict.fromkeys(regions))


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
    provinces += region_province_slugs(args)  # places add up: a region and a province
    categories = [category_named(raw).slug for raw in filter_values(args, "category")]
    return SearchQuery(
        text=params.query_text(args),
        provinces=tuple(dict.fromkeys(provinces)),
        categories=tuple(dict.fromkeys(categories)),
        stars=certified_stars(args, params.star_values(filter_values(args, "stars"), strict=True)),
        verified=positive_flag(args, "verified", strict=strict),
        trusted=positive_flag(args, "trusted", strict=strict),
        # "Đang có hàng" (issue 14.6): this month in Vietnam, decided now, never stored.
        available_month=local_month() if params.boolean(args, "in_stock", strict=strict) else None,
        sort=params.choice(args, "sort", SORTS, "relevance", strict=strict),
        page=params.page_number(args, strict=strict),
        per_page=params.per_page(args, default_per_page) if strict else default_per_page,
    )


# Consumers filter on what a producer or product has, never on what it lacks ("Chưa xác
# minh" is an officials' word): these flags take "true" only.
POSITIVE_FLAGS = {
    "verified": ("xac-minh", "Đã xác minh"),
    "trusted": ("tin-cay", "Địa chỉ tin cậy"),
    "certified": ("chung-nhan", "Chứng nhận OCOP còn hiệu lực"),
}
TRUE_VALUES = ("1", "true", "yes", "co", "có", "con-hieu-luc")


def positive_flag(args: MultiDict, name: str, *, strict: bool) -> bool | None:
    """True when the filter is asked for, None when not. A negative value (false, khong)
    is refused with 400 naming it, on the pages too: an old link asking for "not verified"
    must not silently list everything. Other junk: 400 when strict, else ignored."""
    raw = (args.get(name) or "").strip()
    if raw == "":
        return None
    if raw.lower() in TRUE_VALUES:
        return True
    page_name, label = POSITIVE_FLAGS[name]
    if params.boolean(MultiDict({name: raw}), name) is False or strict:
        raise params.ParamError(
            name,
            f"Không có bộ lọc “{_shown(raw)}” cho “{label}”: chỉ lọc được "
            f"{label.lower()} ({name}=true, trên trang: {page_name}=true).",
        )
    return None


def certified_stars(args: MultiDict, stars: tuple[int, ...]) -> tuple[int, ...]:
    """ "Chứng nhận OCOP còn hiệu lực" (certified=true): products showing stars, which the
    index holds only from a certificate record that is valid (ProductDoc.ocop_stars is
    Product.public_stars), so it is the stars filter with every star level, the same in
    every backend. Stars named as well narrow it."""
    if positive_flag(args, "certified", strict=True) and not stars:
        return tuple(sorted(params.OCOP_STARS))
    return stars
