"""JSON API v1 (read-only): products, producers, provinces, OCOP groups, campaigns, and the
OpenAPI document that describes them (/api/v1/openapi.json)."""

from flask import Blueprint

from ..extensions import limiter
from .http import api_rate, finish

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# One budget per client IP for the whole API (not per endpoint): CHOVIET_API_RATE. CORS
# preflights (OPTIONS) cost nothing.
limiter.shared_limit(api_rate, scope="api-v1", methods=["GET", "HEAD"])(bp)
bp.after_app_request(finish)

from . import catalogue, openapi, products  # noqa: E402,F401
