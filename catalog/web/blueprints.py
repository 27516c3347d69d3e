"""The five audience blueprints: URL prefixes, access gates shared by an audience, and the
API's rate limit and headers. This module creates them and imports no views: each feature's
view module imports its audience's blueprint from here and registers routes on it, and
`catalog.register_blueprints` imports the view modules, then registers the blueprints. So
arrows run factory → feature views → web, never back (no import cycles)."""

from __future__ import annotations

from flask import Blueprint, Response

from catalog.extensions import limiter
from catalog.web.api_http import api_rate, finish

# Consumers' pages: home, listings, product, producer, province, OCOP group, search, cart.
public = Blueprint("public", __name__)
# Accounts: register, verify e-mail, sign in and out, reset a password, invitations.
account = Blueprint("account", __name__, url_prefix="/tai-khoan")
# Producers' self-service: dashboard, business profile, listings, orders, labels.
producer = Blueprint("producer", __name__, url_prefix="/co-so-cua-toi")
# Officials' workspace: review, trust, certificates, complaints, promotion, imports, reports,
# the audit log and (for admins) users.
official = Blueprint("official", __name__, url_prefix="/quan-ly")
# JSON API v1 (read-only) and its OpenAPI document.
api = Blueprint("api", __name__, url_prefix="/api/v1")

# One budget per client IP for the whole API (not per endpoint): CHOVIET_API_RATE. CORS
# preflights (OPTIONS) cost nothing.
limiter.shared_limit(api_rate, scope="api-v1", methods=["GET", "HEAD"])(api)
api.after_app_request(finish)


@official.after_request
def _officials_pages_are_private(response: Response) -> Response:
    """Officials see private details (tax codes, scans): never cache these pages."""
    response.headers["Cache-Control"] = "private, no-store"
    return response
