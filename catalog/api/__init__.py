"""JSON API v1 (read-only)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import products  # noqa: E402,F401
