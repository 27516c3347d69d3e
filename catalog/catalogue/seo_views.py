"""robots.txt, sitemap.xml, and the template helpers behind canonical links, OpenGraph and
Twitter tags, share links and product JSON-LD (rules in services/seo.py).

Absolute URLs start from PUBLIC_BASE_URL, or from the request's own host when that setting is
empty (development, tests). Production should set it: then a forged Host header never reaches
a canonical link, a share link or the sitemap.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, request, url_for
from flask.typing import ResponseReturnValue

from catalog.catalogue import seo
from catalog.models import Product
from catalog.platform.links import absolute_url, public_base_url
from catalog.web.blueprints import public as bp

ONE_HOUR = 3600


bp.add_app_template_global(absolute_url)


@bp.app_template_global()
def canonical_url() -> str | None:
    """This public page's canonical URL; None for pages that must not be indexed or shared
    (other blueprints, private tracking links, forms)."""
    if request.blueprint != "public" or seo.is_private_path(request.path):
        return None
    query = seo.canonical_query(request.endpoint, request.args)
    url = public_base_url() + request.path
    return f"{url}?{urlencode(query)}" if query else url


@bp.app_template_global()
def og_image(digest: str | None, width: int = 0, height: int = 0, alt: str = "") -> dict | None:
    """The large WebP variant as a link-preview image, with its real pixel size if known."""
    if not digest:
        return None
    size = seo.large_image_size(width or 0, height or 0)
    return {
        "url": absolute_url(url_for("public.image", digest=digest, size="large")),
        "width": size[0] if size else None,
        "height": size[1] if size else None,
        "alt": alt,
    }


@bp.app_template_global()
def product_jsonld(product: Product) -> dict[str, Any]:
    return seo.product_jsonld(
        product,
        url=absolute_url(url_for("public.product", slug=product.slug)),
        producer_url=absolute_url(url_for("public.producer", slug=product.producer.slug)),
        image_urls=[
            absolute_url(url_for("public.image", digest=image.digest, size="large"))
            for image in product.images
        ],
    )


bp.add_app_template_global(seo.facebook_share_url, "facebook_share_url")


def _cached(response: Response) -> Response:
    response.headers["Cache-Control"] = f"public, max-age={ONE_HOUR}"
    return response


@bp.get("/robots.txt")
def robots_txt() -> ResponseReturnValue:
    body = seo.robots_txt(absolute_url(url_for("public.sitemap")))
    return _cached(Response(body, mimetype="text/plain"))


def _urls(entries: list[seo.SitemapEntry]) -> list[tuple[str, Any]]:
    return [(absolute_url(url_for(e.endpoint, **e.values)), e.lastmod) for e in entries]


@bp.get("/sitemap.xml")
def sitemap() -> ResponseReturnValue:
    """One <urlset> up to the protocol's 50,000 URLs; beyond that a <sitemapindex> whose
    parts are served by sitemap_part below."""
    parts = seo.sitemap_parts(list(seo.sitemap_entries()), seo.SITEMAP_MAX_URLS)
    if len(parts) == 1:
        body = seo.urlset_xml(_urls(parts[0]))
    else:
        body = seo.sitemap_index_xml(
            (absolute_url(url_for("public.sitemap_part", number=n)), seo.latest(part))
            for n, part in enumerate(parts, start=1)
        )
    return _cached(Response(body, mimetype="application/xml"))


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int) -> ResponseReturnValue:
    parts = seo.sitemap_parts(list(seo.sitemap_entries()), seo.SITEMAP_MAX_URLS)
    if len(parts) == 1 or not 1 <= number <= len(parts):
        abort(404)
    return _cached(Response(seo.urlset_xml(_urls(parts[number - 1])), mimetype="application/xml"))
