"""Headers of pages that carry a private tracking token (complaint and order status)."""

from __future__ import annotations

from flask import Response


def private_token_page(response: Response) -> Response:
    """Tracking tokens appear in these pages: never cached, never sent on as a referrer,
    never indexed."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
