"""Consumers' pages: home, listings, product, producer, province, OCOP group, search."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import media, search_views, views  # noqa: E402,F401
