"""Response schemas of the OpenAPI document (openapi.py), from the constants the views use.

Closed objects say `additionalProperties: false` and list every key as required, so a field
added to a view without being described here fails the tests (tests/catalogue/test_openapi.py
validates real responses against the document with openapi-core).
"""

from __future__ import annotations

from typing import Any

from catalog.models import OCOP_STARS, PRODUCER_TYPES
from catalog.web.api_http import MAX_PER_PAGE

Schema = dict[str, Any]
CERTIFICATE_STATES = ("valid", "expiring", "expired", "revoked")


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **extra: Any) -> Schema:
    return {"type": [kind, "null"], **extra}


def closed(properties: dict[str, Any], **extra: Any) -> Schema:
    """An object with exactly these keys, all present."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        **extra,
    }


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
URL = {"type": "string", "format": "uri"}
COUNT = {"type": "integer", "minimum": 0}
STARS = {"type": ["integer", "null"], "enum": [*OCOP_STARS, None]}
VERIFIED_AT = {
    "type": ["string", "null"],
    "format": "date-time",
    "description": "When an official verified the producer; null unless verified.",
}

PRODUCT = {
    "id": INTEGER,
    "slug": STRING,
    "name": STRING,
    "category": nullable("string"),
    "province": STRING,
    "ocop_stars": {**STARS, "description": "Stars while the certificate is valid, else null."},
    "price_vnd": nullable("integer", minimum=0),
    "unit": nullable("string"),
    "availability": {
        "type": "string",
        "enum": ["in_stock", "out_of_stock", "seasonal"],
        "description": "Còn hàng / hết hàng / theo mùa, as the producer set it.",
    },
    "harvest_months": {
        **array({"type": "integer", "minimum": 1, "maximum": 12}),
        "description": "Harvest months (1–12) of a seasonal product; empty otherwise.",
    },
    "available_now": {
        **BOOLEAN,
        "description": "In stock, or seasonal and in season this month (Vietnam time).",
    },
    "producer": closed(
        {
            "id": INTEGER,
            "name": STRING,
            "verified": BOOLEAN,
            "verified_at": VERIFIED_AT,
            "trusted": BOOLEAN,
        }
    ),
    "url": URL,
    "image": nullable("string", format="uri"),
}
PRODUCT_DETAIL = {
    **PRODUCT,
    "description": STRING,
    "category_slug": nullable("string"),
    "province_slug": STRING,
    "province_recorded_as": nullable("string", description="Pre-2025 province name used."),
    "certificate_no": nullable("string"),
    "certificate_status": {"type": ["string", "null"], "enum": [*CERTIFICATE_STATES, None]},
    "certified_stars": STARS,
    "certificate_year": nullable("integer"),
    "ocop_claim": {
        "type": ["object", "null"],
        "description": "Stars the producer declared with no certificate on record (shown as "
        "“tự khai, chưa đối chiếu”); never OCOP stars. Null once a record exists.",
        "properties": {
            "stars": {"type": "integer", "enum": [3, 4, 5]},
            "year": nullable("integer"),
            "checked": {"type": "boolean", "enum": [False]},
        },
        "required": ["stars", "year", "checked"],
        "additionalProperties": False,
    },
    "images": array(URL),
}
PRODUCER = {
    "id": INTEGER,
    "slug": STRING,
    "name": STRING,
    "type": {"type": ["string", "null"], "enum": [*PRODUCER_TYPES, None]},
    "type_label": nullable("string"),
    "province": STRING,
    "province_slug": STRING,
    "ward": nullable("string"),
    "address": nullable("string"),
    "phone": nullable("string"),
    "email": nullable("string"),
    "website": nullable("string"),
    "tax_code": nullable("string"),
    "verified": {**BOOLEAN, "description": "“Đã xác minh”: an official checked its papers."},
    "verified_at": VERIFIED_AT,
    "trusted": {**BOOLEAN, "description": "“Địa chỉ tin cậy”: an official vouches for it."},
    "products": COUNT,
    "url": URL,
    "logo": nullable("string", format="uri"),
}
PRODUCER_DETAIL = {
    **PRODUCER,
    "description": nullable("string"),
    "representative": nullable("string"),
    "facebook_url": nullable("string"),
    "zalo": nullable("string"),
    "product_ids": array(INTEGER),
}
PROVINCE = {
    "code": INTEGER,
    "slug": STRING,
    "name": STRING,
    "full_name": STRING,
    "region": STRING,
    "region_slug": {**STRING, "description": "The value of the products' `region` filter."},
    "old_names": array(STRING),
    "products": COUNT,
}
CATEGORY = {
    "slug": STRING,
    "name": STRING,
    "short_name": STRING,
    "description": STRING,
    "products": COUNT,
    "url": URL,
}
CAMPAIGN = {
    "id": INTEGER,
    "slug": STRING,
    "title": STRING,
    "summary": STRING,
    "starts_on": {"type": "string", "format": "date"},
    "ends_on": {"type": "string", "format": "date"},
    "province": nullable("string"),
    "province_slug": nullable("string"),
    "products": COUNT,
    "url": URL,
    "banner": nullable("string", format="uri"),
}
CAMPAIGN_DETAIL = {
    **CAMPAIGN,
    "description": {**STRING, "description": "Markdown."},
    "product_ids": array(INTEGER),
}
FACET = closed({"value": STRING, "label": STRING, "count": COUNT})
FACET_NAMES = ("province", "region", "category", "stars", "verified", "trusted", "certified")


def page_of(item: str, **extra: Schema) -> Schema:
    return closed(
        {
            "total": COUNT,
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "pages": {"type": "integer", "minimum": 1},
            **extra,
            "items": array(ref(item)),
        }
    )


SCHEMAS: dict[str, Schema] = {
    "Error": closed({"error": closed({"code": INTEGER, "message": STRING})}),
    "Product": closed(PRODUCT),
    "ProductDetail": closed(PRODUCT_DETAIL),
    "ProductPage": page_of(
        "Product",
        facets={
            "type": "object",
            "properties": {name: array(FACET) for name in FACET_NAMES},
            "additionalProperties": False,
        },
        suggestion=nullable("string", description="“Did you mean” for a misspelt query."),
    ),
    "Producer": closed(PRODUCER),
    "ProducerDetail": closed(PRODUCER_DETAIL),
    "ProducerPage": page_of("Producer"),
    "Province": closed(PROVINCE),
    "ProvinceList": closed({"items": array(ref("Province"))}),
    "Category": closed(CATEGORY),
    "CategoryList": closed({"items": array(ref("Category"))}),
    "Campaign": closed(CAMPAIGN),
    "CampaignDetail": closed(CAMPAIGN_DETAIL),
    "CampaignPage": page_of("Campaign"),
    "Suggestions": closed(
        {
            "suggestions": array(STRING),
            "items": array(
                closed(
                    {
                        "text": STRING,
                        "kind": {"type": "string", "enum": ["product", "search", "producer"]},
                        "url": {
                            **URL,
                            "description": "What picking it opens: the product (search when"
                            " several products bear the name) or the producer.",
                        },
                    }
                )
            ),
        }
    ),
}
