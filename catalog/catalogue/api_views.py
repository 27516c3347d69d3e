"""GET /api/v1/producers, /provinces, /categories (the six OCOP groups), /campaigns, each
as a list and one item. Only what the public pages show: active producers, published
campaigns, public product counts."""

from __future__ import annotations

from typing import Any

from flask import jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from catalog.catalogue import api_reads, browse
from catalog.catalogue.search_params import MAX_NAME, positive_flag, province_param
from catalog.models import PRODUCER_TYPES, Campaign, Category, Producer, Province
from catalog.platform import geo
from catalog.platform.links import absolute_url
from catalog.platform.numbers import row_id
from catalog.platform.vietnamese import slugify
from catalog.trust import verification
from catalog.web import params
from catalog.web.api_http import page_args, paginated
from catalog.web.blueprints import api as bp
from catalog.web.lookup import or_404


def _image(digest: str | None, size: str = "medium") -> str | None:
    if not digest:
        return None
    return absolute_url(url_for("public.image", digest=digest, size=size))


def _province_param(args: MultiDict) -> int | None:
    raw = args.get("province")
    province = province_param(raw) if raw is not None else None
    return province.id if province is not None else None


# -- producers -----------------------------------------------------------------------------


def producer_json(producer: Producer, products: int) -> dict[str, Any]:
    """The contact details the producer's public page shows, and its trust badges."""
    return {
        "id": producer.id,
        "slug": producer.slug,
        "name": producer.name,
        "type": producer.type,
        "type_label": producer.type_label or None,
        "province": producer.province.name,
        "province_slug": producer.province.slug,
        "ward": producer.ward_name or None,
        "address": producer.address or None,
        "phone": producer.phone or None,
        "email": producer.email or None,
        "website": producer.website or None,
        "tax_code": producer.tax_code or None,
        **verification.public_fields(producer),
        "trusted": producer.trusted,
        "products": products,
        "url": absolute_url(url_for("public.producer", slug=producer.slug)),
        "logo": _image(producer.logo_digest),
    }


@bp.get("/producers")
def producers() -> ResponseReturnValue:
    """By name; with `q`, those whose name has the words typed, best first (producer_search:
    the search page's producers); a `q` past the length limit is a 400, not cut."""
    args = request.args
    page, per_page = page_args(args)
    kind = params.choice(args, "type", tuple(PRODUCER_TYPES), "", strict=True) or None
    filters = api_reads.ProducerFilters(
        province_id=_province_param(args),
        type=kind,
        verified=positive_flag(args, "verified", strict=True),
        trusted=positive_flag(args, "trusted", strict=True),
        text=params.query_text(args, strict=True),
    )
    items, total = api_reads.list_producers(filters, page, per_page)
    counts = api_reads.product_counts([p.id for p in items])
    return paginated([producer_json(p, counts.get(p.id, 0)) for p in items], total, page, per_page)


@bp.get("/producers/<int:producer_id>")
def producer(producer_id: int) -> ResponseReturnValue:
    item = or_404(api_reads.get_public_producer(producer_id))
    product_ids = api_reads.public_product_ids(item.id)
    data = producer_json(item, len(product_ids))
    data.update(
        {
            "description": item.description or None,
            "representative": item.representative or None,
            "facebook_url": item.facebook_url or None,
            "zalo": item.zalo or None,
            "product_ids": product_ids,
        }
    )
    return jsonify(data)


# -- provinces and OCOP groups -------------------------------------------------------------


def province_json(province: Province, products: int) -> dict[str, Any]:
    return {
        "code": province.id,
        "slug": province.slug,
        "name": province.name,
        "full_name": province.full_name,
        "region": province.region,
        "region_slug": slugify(province.region),
        "old_names": province.legacy_names,
        "products": products,
    }


@bp.get("/provinces")
def provinces() -> ResponseReturnValue:
    counts = browse.province_counts()
    return jsonify({"items": [province_json(p, counts.get(p.id, 0)) for p in geo.all_provinces()]})


@bp.get("/provinces/<province>")
def province(province: str) -> ResponseReturnValue:
    """By slug (bac-ninh) or official code (24). Any other name for it, a pre-2025 one
    above all (bac-giang, "Bắc Giang"), answers 301 to its slug's URL, query kept, as the
    province pages do: a program learns the address to keep."""
    item = browse.get_province(province)
    code = row_id(province)
    if item is None and code is not None:
        item = next((p for p in geo.all_provinces() if p.id == code), None)
    if item is None:
        match = or_404(geo.match_province(province[:MAX_NAME]))
        query = request.query_string.decode("ascii", "replace")
        target = url_for("api.province", province=match.province.slug)
        return redirect(f"{target}?{query}" if query else target, 301)
    return jsonify(province_json(item, browse.province_counts().get(item.id, 0)))


def category_json(category: Category, products: int) -> dict[str, Any]:
    return {
        "slug": category.slug,
        "name": category.name,
        "short_name": category.short_name,
        "description": category.description,
        "products": products,
        "url": absolute_url(url_for("public.category", slug=category.slug)),
    }


@bp.get("/categories")
def categories() -> ResponseReturnValue:
    counts = browse.category_counts()
    items = [category_json(c, counts.get(c.id, 0)) for c in api_reads.categories()]
    return jsonify({"items": items})


@bp.get("/categories/<slug>")
def category(slug: str) -> ResponseReturnValue:
    item = or_404(api_reads.get_category(slug))
    return jsonify(category_json(item, browse.category_counts().get(item.id, 0)))


# -- campaigns -----------------------------------------------------------------------------


def campaign_json(campaign: Campaign, product_ids: list[int]) -> dict[str, Any]:
    return {
        "id": campaign.id,
        "slug": campaign.slug,
        "title": campaign.title,
        "summary": campaign.summary,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "province": campaign.province.name if campaign.province else None,
        "province_slug": campaign.province.slug if campaign.province else None,
        "products": len(product_ids),
        "url": absolute_url(url_for("public.campaign", slug=campaign.slug)),
        "banner": _image(campaign.banner_digest),
    }


@bp.get("/campaigns")
def campaigns() -> ResponseReturnValue:
    page, per_page = page_args(request.args)
    items, total = api_reads.list_campaigns(_province_param(request.args), page, per_page)
    ids = api_reads.campaign_product_ids([c.id for c in items])
    return paginated([campaign_json(c, ids[c.id]) for c in items], total, page, per_page)


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int) -> ResponseReturnValue:
    item = or_404(api_reads.get_public_campaign(campaign_id))
    product_ids = api_reads.campaign_product_ids([item.id])[item.id]
    data = campaign_json(item, product_ids)
    data.update({"description": item.description, "product_ids": product_ids})
    return jsonify(data)
