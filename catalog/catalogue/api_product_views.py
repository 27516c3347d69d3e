"""GET /api/v1/products (search with filters and facets), /products/<id>, /autocomplete
(product names, and every suggestion with the page it opens: suggestions.py)."""

from __future__ import annotations

from flask import abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from catalog.catalogue import browse, search, suggestions
from catalog.catalogue.search_params import parse_search
from catalog.certificates import claims
from catalog.models import Product
from catalog.models.seasons import is_available, seasonal_months
from catalog.platform.clock import local_month
from catalog.platform.links import absolute_url
from catalog.trust import verification
from catalog.web import params
from catalog.web.api_http import DEFAULT_PER_PAGE, paginated
from catalog.web.blueprints import api as bp

API_PER_PAGE = DEFAULT_PER_PAGE


def product_json(product: Product) -> dict:
    cover = product.cover
    return {
        "id": product.id,
        "slug": product.slug,
        "name": product.name,
        "category": product.category.name if product.category else None,
        "province": product.province.name,
        # Stars while the certificate is valid, as on the site (an expired one shows none).
        "ocop_stars": product.public_stars,
        "price_vnd": product.price_vnd,
        "unit": product.unit or None,
        # Stock and season (issue 14.6): "available_now" for this month in Vietnam.
        "availability": str(product.availability),
        "harvest_months": list(seasonal_months(product)),
        "available_now": is_available(product, local_month()),
        "producer": {
            "id": product.producer.id,
            "name": product.producer.name,
            **verification.public_fields(product.producer),
            "trusted": product.producer.trusted,
        },
        "url": absolute_url(url_for("public.product", slug=product.slug)),
        "image": absolute_url(url_for("public.image", digest=cover.digest, size="medium"))
        if cover
        else None,
    }


@bp.get("/products")
def products() -> ResponseReturnValue:
    query = parse_search(request.args, strict=True, default_per_page=API_PER_PAGE)
    results = search.run_search(query)
    return paginated(
        [product_json(p) for p in results.products],
        results.total,
        query.page,
        query.per_page,
        facets={
            name: [{"value": f.value, "label": f.label, "count": f.count} for f in facets]
            for name, facets in (*results.facets.items(), ("region", search.region_facets(results)))
        },
        suggestion=results.page.suggestion,
    )


@bp.get("/products/<int:product_id>")
def product(product_id: int) -> ResponseReturnValue:
    item = browse.get_public_product_by_id(product_id)
    if item is None:
        abort(404)
    data = product_json(item)
    data.update(
        {
            "description": item.description,
            "category_slug": item.category.slug if item.category else None,
            "province_slug": item.province.slug,
            "province_recorded_as": item.province_recorded_as,
            "certificate_no": item.certificate_no,
            "certificate_status": item.certificate_status,
            "certified_stars": item.ocop_stars,
            "certificate_year": item.certificate_year,
            # The producer's own declaration, never counted as stars (certificates/claims.py).
            "ocop_claim": _claim_json(item),
            "images": [
                absolute_url(url_for("public.image", digest=img.digest, size="large"))
                for img in item.images
            ],
        }
    )
    return jsonify(data)


def _claim_json(product: Product) -> dict | None:
    claim = claims.claim_of(product)
    if claim is None or product.ocop_stars:
        return None
    return {"stars": claim.stars, "year": claim.year, "checked": False}


@bp.get("/autocomplete")
def autocomplete() -> ResponseReturnValue:
    prefix = params.query_text(request.args)
    names, items = suggestions.suggest(prefix, 8)
    response = jsonify({"suggestions": names, "items": [item.as_json() for item in items]})
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response
