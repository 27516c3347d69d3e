"""Consumers' pages: home, listings, product, producer, province, OCOP group, search."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import (  # noqa: E402,F401
    complaint_views,
    media,
    open_data_views,
    order_views,
    promotion_views,
    qr_views,
    search_views,
    seo_views,
    views,
)
