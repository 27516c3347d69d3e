"""Security headers on every response, and trust in X-Forwarded-* only when configured.

The Content-Security-Policy allows scripts, styles, fonts and images from our own origin only:
pages carry no inline scripts or style attributes (JSON-LD `<script type="application/ld+json">`
is data, not script, and needs no allowance), so an injected `<script>` or `onclick` does
nothing. HSTS is sent only on HTTPS requests in production: on plain HTTP it would be ignored,
and on a developer's 127.0.0.1 it would pin the browser to HTTPS for a year.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Browser features no page uses; a page that needs one must say so here.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
}


def add_security_headers(response: Response) -> Response:
    """Set each header unless the view chose its own value."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("ENV_NAME") == "production" and request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def trust_proxies(app: Flask, hops: int) -> None:
    """Believe X-Forwarded-For and X-Forwarded-Proto from `hops` reverse proxies in front of
    us (CHOVIET_PROXY_HOPS). With 0 (the default) nothing is believed: anyone could send the
    headers, forge their address past the rate limits and pretend to be on HTTPS. The host
    header is never taken from X-Forwarded-Host: public links come from CHOVIET_SITE_URL."""
    if hops < 0:
        raise RuntimeError(f"CHOVIET_PROXY_HOPS must be 0 or more, got {hops}")
    if hops:
        # Flask's documented way to wrap the app in WSGI middleware.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # wsgi_app is a method
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0
        )


def init_headers(app: Flask) -> None:
    trust_proxies(app, int(app.config.get("PROXY_HOPS", 0)))
    app.after_request(add_security_headers)
