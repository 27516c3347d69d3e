"""GET /api/v1/openapi.json: the OpenAPI 3.1 document of API v1, built in code from the
constants the views use (sorts, stars, producer types, page limits), so it cannot go stale
on those; tests/catalogue/test_openapi.py checks it against the real responses."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from catalog.catalogue.openapi_schemas import SCHEMAS, Schema, ref
from catalog.models import OCOP_STARS, PRODUCER_TYPES
from catalog.platform import geo
from catalog.platform.numbers import MAX_ID
from catalog.web.api_http import DEFAULT_PER_PAGE, MAX_AGE_S, MAX_PER_PAGE
from catalog.web.blueprints import api as bp
from catalog.web.params import MAX_PAGE, MAX_QUERY_LEN
from search_index.types import SORTS

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
DESCRIPTION = (
    "Read-only data of Chợ Việt: OCOP and Vietnamese-made products, their producers, the "
    "34 provinces (with the pre-2025 names they absorbed), the six OCOP groups and "
    "published campaigns. Every response allows any origin (CORS), carries an ETag and "
    f"`Cache-Control: public, max-age={MAX_AGE_S}`, and answers If-None-Match with 304. "
    "Requests are limited per client IP (429 with a JSON error). Error messages are in "
    "Vietnamese."
)


def _query(name: str, schema: Schema, description: str, **extra: Any) -> Schema:
    return {"name": name, "in": "query", "schema": schema, "description": description, **extra}


def _many(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _reference_values() -> tuple[Schema, Schema]:
    """Provinces (slug or code) and OCOP groups (slug) as enums: a program gets the exact
    list; people's spellings (old names, no accents) are accepted too but not enumerated."""
    provinces = geo.all_provinces()
    province = {
        "type": "string",
        "enum": [p.slug for p in provinces] + [str(p.id) for p in provinces],
    }
    category = {"type": "string", "enum": [c.slug for c in geo.all_categories()]}
    return province, category


def parameters() -> dict[str, Schema]:
    province, category = _reference_values()
    return {
        "page": _query(
            "page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page."
        ),
        "per_page": _query(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
            "Items per page.",
        ),
        "q": _query(
            "q", {"type": "string"}, "Search text, accents optional (first 200 characters)."
        ),
        "producer_q": _query(
            "q",
            {"type": "string", "maxLength": MAX_QUERY_LEN},
            "Producer name, accents optional (đ as d): every word must be a word of the name,"
            " the last may be its beginning; best matches first instead of by name. Counted"
            " after NFC, control characters dropped;"
            f" longer than {MAX_QUERY_LEN} characters: 400.",
        ),
        "provinces": _query(
            "province",
            _many(province),
            "Province slug or code (names, old pre-2025 names too); repeat for several.",
            style="form",
            explode=True,
        ),
        "province": _query("province", province, "Province slug or code (names, old names too)."),
        "region": _query(
            "region",
            _many({"type": "string", "enum": [r.slug for r in geo.all_regions()]}),
            "Socio-economic region (slug, or name): its provinces, added to those of"
            " `province`; repeat for several. Unknown: 400.",
            style="form",
            explode=True,
        ),
        "category": _query(
            "category",
            _many(category),
            "OCOP group slug (or name); repeat for several.",
            style="form",
            explode=True,
        ),
        "stars": _query(
            "stars",
            _many({"type": "integer", "enum": list(OCOP_STARS)}),
            "OCOP stars (valid certificates only); repeat for several.",
            style="form",
            explode=True,
        ),
        # Positive filters only: `false` is refused (400), as "not verified" is no consumer's
        # question (the officials' pages have it).
        "verified": _query(
            "verified",
            {"type": "boolean", "enum": [True]},
            "Only producers an official verified (papers checked); `true` only.",
        ),
        "trusted": _query(
            "trusted",
            {"type": "boolean", "enum": [True]},
            "Only producers an official vouches for; `true` only.",
        ),
        "certified": _query(
            "certified",
            {"type": "boolean", "enum": [True]},
            "Only products with a valid OCOP certificate on record; `true` only.",
        ),
        "sort": _query("sort", {"type": "string", "enum": list(SORTS)}, "Order of the results."),
        "type": _query("type", {"type": "string", "enum": list(PRODUCER_TYPES)}, "Producer type."),
        "If-None-Match": {
            "name": "If-None-Match",
            "in": "header",
            "schema": {"type": "string"},
            "description": "An ETag from an earlier response: 304 when nothing changed.",
        },
    }


def _path_param(name: str, schema: Schema) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _header(description: str) -> Schema:
    return {"required": True, "schema": {"type": "string"}, "description": description}


def _error(description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def _ok(schema_name: str, *, paged: bool = False) -> Schema:
    headers = {
        "ETag": _header("Hash of the body."),
        "Cache-Control": _header(f"public, max-age={MAX_AGE_S}"),
        "Access-Control-Allow-Origin": _header("*"),
    }
    if paged:
        headers["Link"] = _header("RFC 8288 links: first, prev, next, last.")
    return {
        "description": "OK",
        "headers": headers,
        "content": {"application/json": {"schema": ref(schema_name)}},
    }


def _get(
    summary: str, schema_name: str, params: tuple[str, ...] = (), *, paged: bool = False,
    path_param: Schema | None = None,
) -> Schema:  # fmt: skip
    names = ("page", "per_page", *params) if paged else params
    parameters = [{"$ref": f"#/components/parameters/{n}"} for n in (*names, "If-None-Match")]
    responses = {
        "200": _ok(schema_name, paged=paged),
        "304": {"description": "Not modified: If-None-Match matched the ETag."},
        "429": _error("Too many requests from this IP."),
    }
    if set(names) - {"q"}:  # free text is never refused
        responses["400"] = _error("A query parameter is invalid.")
    if path_param is not None:
        parameters.insert(0, path_param)
        responses["404"] = _error("No such public item.")
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def _moved(path: Schema, description: str) -> Schema:
    """A path that answers 301 for names other than the canonical one."""
    path["get"]["responses"]["301"] = {
        "description": description,
        "headers": {"Location": _header("The canonical URL.")},
    }
    return path


def _by_id(name: str) -> Schema:
    return _path_param(name, {"type": "integer", "minimum": 0, "maximum": MAX_ID})


def paths() -> dict[str, Schema]:
    product_filters = (
        "q",
        "provinces",
        "region",
        "category",
        "stars",
        "verified",
        "trusted",
        "certified",
        "sort",
    )
    return {
        "/products": _get("Search products", "ProductPage", product_filters, paged=True),
        "/products/{product_id}": _get(
            "One product", "ProductDetail", path_param=_by_id("product_id")
        ),
        "/producers": _get(
            "Producers",
            "ProducerPage",
            ("producer_q", "province", "type", "verified", "trusted"),
            paged=True,
        ),
        "/producers/{producer_id}": _get(
            "One producer", "ProducerDetail", path_param=_by_id("producer_id")
        ),
        "/provinces": _get("The 34 provinces", "ProvinceList"),
        "/provinces/{province}": _moved(
            _get(
                "One province by slug or code",
                "Province",
                path_param=_path_param("province", {"type": "string"}),
            ),
            "Another name for a province, a pre-2025 one above all (bac-giang, “Bắc Giang”,"
            " now Bắc Ninh): the Location is the province's own URL, query kept.",
        ),
        "/categories": _get("The six OCOP groups", "CategoryList"),
        "/categories/{slug}": _get(
            "One OCOP group", "Category", path_param=_path_param("slug", {"type": "string"})
        ),
        "/campaigns": _get("Published campaigns", "CampaignPage", ("province",), paged=True),
        "/campaigns/{campaign_id}": _get(
            "One campaign", "CampaignDetail", path_param=_by_id("campaign_id")
        ),
        "/autocomplete": _get("Search suggestions", "Suggestions", ("q",)),
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }


def document() -> Schema:
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Chợ Việt API",
            "version": API_VERSION,
            "description": DESCRIPTION + f" Limit: {current_app.config['API_RATE']}.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths(),
        "components": {"schemas": SCHEMAS, "parameters": parameters()},
    }


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    return jsonify(document())
