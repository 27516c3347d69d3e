"""What search engines and link previews read: canonical URLs, robots.txt, the sitemap, share
links and schema.org Product data.

Nothing here reads the request: the views pass in the absolute base URL (PUBLIC_BASE_URL, or
the request's host when it is empty) and a function that turns a path into an absolute URL.

Canonical URL policy (one indexable URL per distinct content):
- Detail pages (product, campaign, story, province and group landing pages without filters) are
  canonical without any query string: tracking parameters (utm_*, fbclid, zarsrc…) never change
  what a page shows.
- Listing pages keep only ``page`` (when above 1): each page of a list holds different products,
  and Google asks for self-referencing canonicals on paginated series rather than pointing them
  all at page 1.
- A filtered or re-sorted listing (tinh, nhom, sao, sap-xep…) points to the unfiltered first page
  of the same listing: the filters recombine into thousands of near-duplicate URLs, and each
  province and OCOP group already has its own landing page (/tinh/…, /nhom/…) to rank.
- The search page keeps ``q`` (and ``page``): it is the content. It also carries noindex and is
  disallowed in robots.txt, so the canonical only keeps link previews honest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Campaign, Category, Producer, Product, Province, Story
from catalog.models.seasons import is_available
from catalog.models.visibility import (
    campaign_is_public,
    producer_is_public,
    public_products,
    story_is_public,
)
from catalog.platform.clock import local_month
from catalog.platform.images import SIZES, fit_size
from catalog.web import params

# Sitemaps may hold at most 50,000 URLs (sitemaps.org); past that, an index of several files.
SITEMAP_MAX_URLS = 50_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

LISTING_ENDPOINTS = frozenset(
    {"public.products", "public.province", "public.category", "public.producer", "public.stories"}
)
FILTER_PARAMS = ("tinh", "nhom", "sao", "sap-xep", "xac-minh", "tin-cay", "vung", "ten-cu")
SEARCH_ENDPOINT = "public.search"

# Never crawled. Private links (complaint and order tracking carry a secret token), signed-in
# areas, the cart, and search results (endless parameter combinations, already noindex).
ROBOTS_DISALLOW = (
    "/quan-ly/",
    "/co-so-cua-toi/",
    "/tai-khoan/",
    "/gio-hang",
    "/phan-anh/",
    "/don-hang/theo-doi/",
    "/tim-kiem",
    "/api/",
)
# Pages that get no canonical link and no social tags: their URL is a secret or a form.
PRIVATE_PREFIXES = (
    "/quan-ly/",
    "/co-so-cua-toi/",
    "/tai-khoan/",
    "/gio-hang",
    "/phan-anh/",
    "/don-hang/",
    "/dat-hang",
    "/api/",
)

FACEBOOK_SHARER = "https://www.facebook.com/sharer/sharer.php?u="
IN_STOCK = "https://schema.org/InStock"
OUT_OF_STOCK = "https://schema.org/OutOfStock"
DESCRIPTION_LIMIT = 5000


def is_private_path(path: str) -> bool:
    """True for pages whose URL must not be shared or indexed (tokens, accounts, forms)."""
    return any(path == p.rstrip("/") or path.startswith(p) for p in PRIVATE_PREFIXES)


def canonical_query(endpoint: str | None, args: Any) -> list[tuple[str, str]]:
    """The query parameters a page keeps in its canonical URL (policy in the module doc)."""
    page = params.page_number(args)
    if endpoint == SEARCH_ENDPOINT:
        text = " ".join((args.get("q") or "").split())[:200]
        pairs = [("q", text)] if text else []
        return pairs + ([("page", str(page))] if page > 1 else [])
    if endpoint not in LISTING_ENDPOINTS:
        return []
    if any(args.get(name) for name in FILTER_PARAMS):
        return []
    return [("page", str(page))] if page > 1 else []


def robots_txt(sitemap_url: str) -> str:
    """robots.txt: everything public may be crawled except the prefixes above."""
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {sitemap_url}", ""]
    return "\n".join(lines)


def facebook_share_url(url: str) -> str:
    """Facebook's documented sharer link: no SDK, no script, the preview comes from our tags."""
    return FACEBOOK_SHARER + quote(url, safe="")


def large_image_size(width: int, height: int) -> tuple[int, int] | None:
    """Pixel size of the stored "large" WebP variant, from the original's size (None if unknown)."""
    if width <= 0 or height <= 0:
        return None
    return fit_size((width, height), SIZES["large"])


def _organization(producer: Producer, producer_url: str) -> dict[str, Any]:
    address: dict[str, Any] = {
        "@type": "PostalAddress",
        "addressRegion": producer.province.name,
        "addressCountry": "VN",
    }
    if producer.ward_name:
        address["addressLocality"] = producer.ward_name
    if producer.address:
        address["streetAddress"] = producer.address
    return {
        "@type": "Organization",
        "@id": producer_url + "#co-so",
        "name": producer.name,
        "url": producer_url,
        "address": address,
    }


def _properties(product: Product) -> list[dict[str, Any]]:
    """OCOP facts as plain PropertyValues: certified stars are not a review rating, and only a
    valid certificate's stars are stated (the same rule as the badge on the page)."""
    facts: list[tuple[str, Any]] = []
    if product.category is not None:
        facts.append(("Nhóm sản phẩm OCOP", product.category.name))
    if product.public_stars:
        facts.append(("Hạng OCOP (sao)", product.public_stars))
        if product.certificate_year:
            facts.append(("Năm công nhận OCOP", product.certificate_year))
        if product.certificate_no:
            facts.append(("Số giấy chứng nhận OCOP", product.certificate_no))
        if product.certificate_expires_on:
            facts.append(("Hiệu lực chứng nhận đến", product.certificate_expires_on.isoformat()))
    if product.province_recorded_as:
        facts.append(("Tỉnh ghi trong hồ sơ", product.province_recorded_as))
    return [{"@type": "PropertyValue", "name": name, "value": value} for name, value in facts]


def _offer(product: Product, url: str, seller: dict[str, Any]) -> dict[str, Any] | None:
    """An Offer only when a price is published: no made-up price for "Liên hệ để biết giá"."""
    if product.price_vnd is None:
        return None
    price = str(int(product.price_vnd))
    offer: dict[str, Any] = {
        "@type": "Offer",
        "url": url,
        "price": price,
        "priceCurrency": "VND",
        # The producer's stock and season, for this month in Vietnam (issue 14.6).
        "availability": IN_STOCK if is_available(product, local_month()) else OUT_OF_STOCK,
        "itemCondition": "https://schema.org/NewCondition",
        "seller": {"@id": seller["@id"]},
    }
    if product.unit:
        offer["priceSpecification"] = {
            "@type": "UnitPriceSpecification",
            "price": price,
            "priceCurrency": "VND",
            "referenceQuantity": {
                "@type": "QuantitativeValue",
                "value": 1,
                "unitText": product.unit,
            },
        }
    return offer


def product_jsonld(
    product: Product, *, url: str, producer_url: str, image_urls: list[str]
) -> dict[str, Any]:
    """schema.org Product for a public product page. Emit it with |tojson, which escapes <, >
    and & so a name holding "</script>" cannot end the script element."""
    organization = _organization(product.producer, producer_url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": url + "#san-pham",
        "name": product.name,
        "url": url,
        "sku": f"CV-{product.id}",
        "productID": str(product.id),
        "brand": organization,
        "manufacturer": organization,
        "countryOfOrigin": {"@type": "Country", "name": "VN"},
    }
    if product.description:
        data["description"] = product.description.strip()[:DESCRIPTION_LIMIT]
    if image_urls:
        data["image"] = image_urls
    if product.category is not None:
        data["category"] = product.category.name
    offer = _offer(product, url, organization)
    if offer is not None:
        data["offers"] = offer
    properties = _properties(product)
    if properties:
        data["additionalProperty"] = properties
    return data


@dataclass(frozen=True)
class SitemapEntry:
    """One public page: the endpoint and its URL values, with its last change if known."""

    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    lastmod: date | None = None


def _day(*moments: datetime | None) -> date | None:
    known = [m for m in moments if m is not None]
    return max(known).date() if known else None


def sitemap_entries() -> Iterator[SitemapEntry]:
    """Every public page: home, listings, then each public product, active producer, province,
    OCOP group, published campaign and story. Column queries, so 50,000 rows stay light."""
    for endpoint in ("public.home", "public.products", "public.campaigns", "public.stories"):
        yield SitemapEntry(endpoint)
    products = public_products().with_only_columns(
        Product.slug, Product.updated_at, Producer.updated_at
    )
    for slug, changed, producer_changed in db.session.execute(products.order_by(Product.id)):
        yield SitemapEntry("public.product", {"slug": slug}, _day(changed, producer_changed))
    producers = select(Producer.slug, Producer.updated_at).where(producer_is_public())
    for slug, changed in db.session.execute(producers.order_by(Producer.id)):
        yield SitemapEntry("public.producer", {"slug": slug}, _day(changed))
    for slug in db.session.scalars(select(Province.slug).order_by(Province.id)):
        yield SitemapEntry("public.province", {"slug": slug})
    for slug in db.session.scalars(select(Category.slug).order_by(Category.position)):
        yield SitemapEntry("public.category", {"slug": slug})
    campaigns = select(Campaign.slug, Campaign.updated_at).where(campaign_is_public())
    for slug, changed in db.session.execute(campaigns.order_by(Campaign.id)):
        yield SitemapEntry("public.campaign", {"slug": slug}, _day(changed))
    stories = select(Story.slug, Story.updated_at).where(story_is_public())
    for slug, changed in db.session.execute(stories.order_by(Story.id)):
        yield SitemapEntry("public.story", {"slug": slug}, _day(changed))


def sitemap_parts(entries: list[SitemapEntry], limit: int = SITEMAP_MAX_URLS) -> list[list]:
    """The entries cut into files of at most `limit` URLs (one file in the usual case)."""
    return [entries[i : i + limit] for i in range(0, len(entries), limit)] or [[]]


def urlset_xml(urls: Iterable[tuple[str, date | None]]) -> str:
    """A <urlset> document of absolute URLs with their lastmod dates."""
    return _sitemap_xml("urlset", "url", urls)


def sitemap_index_xml(parts: Iterable[tuple[str, date | None]]) -> str:
    """A <sitemapindex> pointing at each part file."""
    return _sitemap_xml("sitemapindex", "sitemap", parts)


def _sitemap_xml(root: str, tag: str, locations: Iterable[tuple[str, date | None]]) -> str:
    """One <tag> per (absolute URL, lastmod) inside the sitemaps.org <root> element."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{SITEMAP_NS}">']
    for loc, lastmod in locations:
        modified = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"<{tag}><loc>{escape(loc)}</loc>{modified}</{tag}>")
    lines.append(f"</{root}>")
    return "\n".join(lines) + "\n"


def latest(entries: Iterable[SitemapEntry]) -> date | None:
    days = [e.lastmod for e in entries if e.lastmod is not None]
    return max(days) if days else None
