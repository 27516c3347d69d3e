"""Thin views: parse, call a service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from catalog.catalogue import browse, search_params, season_labels
from catalog.catalogue.filters import browse_filters
from catalog.platform import geo
from catalog.platform.clock import local_month
from catalog.platform.reference import REGIONS
from catalog.promotion import campaigns, stories
from catalog.web.blueprints import public as bp
from catalog.web.lookup import or_404


def _listing_context(filters: browse.BrowseFilters, scope: browse.BrowseFilters) -> dict:
    """What the listing pages share; facet counts are those of the page's own scope (one
    province, one group, or everything)."""
    counts = browse.facet_counts(scope)
    return {
        "page": browse.list_products(filters),
        "filters": filters,
        "provinces": geo.all_provinces(),
        "categories": geo.all_categories(),
        "province_counts": counts.provinces,
        "category_counts": counts.categories,
        "star_counts": counts.stars,
        "regions": geo.all_regions(),
        "region_counts": browse.region_counts(counts.provinces),
        "flag_counts": browse.flag_counts(scope, local_month()),
        "sorts": browse.SORTS,
    }


@bp.get("/")
def home() -> ResponseReturnValue:
    regions: dict[str, list] = {name: [] for name in REGIONS}
    for province in browse.provinces_with_other_names():
        regions.setdefault(province.region, []).append(province)
    total_products, total_producers = browse.totals()
    counts = browse.facet_counts()
    return render_template(
        "public/home.html",
        featured=browse.featured_products(12),
        in_season=browse.in_season_products(local_month(), 4),
        month=local_month(),
        campaigns=campaigns.active_campaigns(campaigns.local_today()),
        stories=stories.latest_stories(3),
        today=campaigns.local_today(),
        total_products=total_products,
        total_producers=total_producers,
        regions=regions,
        # Each region heading opens the listing filtered by it (/san-pham?vung=...).
        region_slugs={r.name: r.slug for r in geo.all_regions()},
        categories=geo.all_categories(),
        province_counts=counts.provinces,
        category_counts=counts.categories,
        star_counts=counts.stars,
    )


@bp.get("/san-pham")
def products() -> ResponseReturnValue:
    filters = browse_filters(request.args, current_app.config["PER_PAGE"])
    return render_template(
        "public/products.html", **_listing_context(filters, browse.BrowseFilters())
    )


@bp.get("/san-pham/<slug>")
def product(slug: str) -> ResponseReturnValue:
    item = or_404(browse.get_public_product(slug))
    return render_template(
        "public/product.html",
        product=item,
        related=browse.related_products(item),
        stock=season_labels.availability_text(item, local_month()),
        harvest=season_labels.harvest_text(item),
    )


@bp.get("/co-so/<slug>")
def producer(slug: str) -> ResponseReturnValue:
    item = or_404(browse.get_public_producer(slug))
    filters = browse_filters(request.args, current_app.config["PER_PAGE"], producer_id=item.id)
    return render_template(
        "public/producer.html",
        producer=item,
        page=browse.list_products(filters),
        filters=filters,
        stories=stories.stories_about_producer(item.id),
    )


@bp.get("/tinh/<slug>")
def province(slug: str) -> ResponseReturnValue:
    """A province's page. Any other name for it (pre-2025 "bac-giang", "Bắc Giang", "TP HCM",
    its code) answers 301 to its own URL, keeping the query; an old name travels as `tu` so
    the page can say where it went (and offer ten-cu, the products recorded under it)."""
    item = browse.get_province(slug)
    if item is None:
        match = or_404(geo.match_province(slug[: search_params.MAX_NAME]))
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "tu"]
        if match.old_slug:
            args.append(("tu", match.old_slug))
        query = f"?{urlencode(args)}" if args else ""
        return redirect(url_for("public.province", slug=match.province.slug) + query, 301)
    filters = browse_filters(request.args, current_app.config["PER_PAGE"], province_ids=(item.id,))
    came_from = geo.match_province(request.args.get("tu", "")[: search_params.MAX_NAME])
    return render_template(
        "public/province.html",
        province=item,
        recorded_names=browse.recorded_legacy_names(item),
        came_from=came_from if came_from and came_from.province.id == item.id else None,
        **_listing_context(filters, browse.BrowseFilters(province_ids=(item.id,))),
    )


@bp.get("/nhom/<slug>")
def category(slug: str) -> ResponseReturnValue:
    item = or_404(browse.get_category(slug))
    filters = browse_filters(request.args, current_app.config["PER_PAGE"], category_ids=(item.id,))
    scope = browse.BrowseFilters(category_ids=(item.id,))
    return render_template(
        "public/category.html", category=item, **_listing_context(filters, scope)
    )
