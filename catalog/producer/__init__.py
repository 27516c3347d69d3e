"""Producers' self-service: dashboard, business profile, product listings and photos."""

from flask import Blueprint

bp = Blueprint("producer", __name__, url_prefix="/co-so-cua-toi")

from . import views, views_listings  # noqa: E402, F401  (routes register on bp)
