"""Producers' self-service: dashboard, business profile, product listings and photos."""

from flask import Blueprint

bp = Blueprint("producer", __name__, url_prefix="/co-so-cua-toi")

# Routes register on bp.
from . import (  # noqa: E402,F401
    views,
    views_labels,
    views_listings,
    views_orders,
)
