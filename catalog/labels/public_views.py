"""The QR code of a public product or producer page, as SVG.

The code depends only on the slug and the site's address, so it is cached for a month with
an ETag (a changed PUBLIC_BASE_URL changes the tag). Unpublished pages have no code (404).
"""

from __future__ import annotations

import hashlib

from flask import Response, request
from flask.typing import ResponseReturnValue

from catalog.catalogue import browse
from catalog.labels import qr_labels
from catalog.platform.links import public_base_url
from catalog.web.blueprints import public as bp
from catalog.web.lookup import or_404

MAX_AGE = 30 * 24 * 3600
TITLES = {
    "product": "Mã QR dẫn tới trang sản phẩm {name} trên Chợ Việt",
    "producer": "Mã QR dẫn tới trang cơ sở {name} trên Chợ Việt",
}


def _svg_response(path: str, title: str) -> ResponseReturnValue:
    svg = qr_labels.qr_svg(qr_labels.qr_url(public_base_url(), path), title)
    response = Response(svg, mimetype="image/svg+xml")
    response.set_etag(hashlib.sha256(svg.encode()).hexdigest()[:32])
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response.make_conditional(request)


@bp.get("/qr/san-pham/<slug>.svg")
def qr_product(slug: str) -> ResponseReturnValue:
    item = or_404(browse.get_public_product(slug))
    return _svg_response(qr_labels.product_path(item), TITLES["product"].format(name=item.name))


@bp.get("/qr/co-so/<slug>.svg")
def qr_producer(slug: str) -> ResponseReturnValue:
    item = or_404(browse.get_public_producer(slug))
    return _svg_response(qr_labels.producer_path(item), TITLES["producer"].format(name=item.name))
