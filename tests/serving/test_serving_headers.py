"""Security headers: a Content-Security-Policy the pages really live with (checked in
Chromium), nosniff, referrer and frame policies, HSTS only on HTTPS in production,
X-Forwarded-* believed only with CHOVIET_PROXY_HOPS, and production cookies Secure+HttpOnly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from catalog.config import PROJECT_ROOT
from catalog.serving.headers import CONTENT_SECURITY_POLICY, HSTS
from tests.conftest import close_app, make_app
from tests.factories import create_user
from tests.forms import post_form
from tests.listings.support import owner, published
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve

STRONG_SECRET = "s" * 48
LOGIN = "/tai-khoan/dang-nhap"


def test_pages_carry_the_security_headers(client):
    for url in ("/", LOGIN, "/khong-co-trang-nay", "/api/v1/provinces"):
        headers = client.get(url).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers


def test_the_policy_forbids_inline_scripts_and_framing():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_the_api_keeps_its_cors_headers(client):
    response = client.get("/api/v1/provinces")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/provinces")
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_templates_have_no_inline_script_or_style():
    """The policy would block them; JSON-LD data blocks are the only inline <script>."""
    problems = []
    for path in sorted((PROJECT_ROOT / "templates").rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", html):
            attrs = match.group(1)
            if "src=" not in attrs and 'type="application/ld+json"' not in attrs:
                problems.append(f"{path.name}: inline <script{attrs}>")
        if re.search(r"<style\b|\sstyle\s*=", html):
            problems.append(f"{path.name}: inline style")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", html):
            problems.append(f"{path.name}: inline event handler")
        if "javascript:" in html:
            problems.append(f"{path.name}: javascript: URL")
    assert problems == []


def production_app(instance: Path, monkeypatch: pytest.MonkeyPatch, **overrides: Any):
    monkeypatch.setenv("CHOVIET_ENV", "production")
    monkeypatch.setenv("CHOVIET_SITE_URL", "https://choviet.example.vn")
    monkeypatch.setenv("CHOVIET_SECRET_KEY", STRONG_SECRET)
    overrides.setdefault("SECRET_KEY", STRONG_SECRET)
    return make_app(instance, **overrides)


@pytest.fixture
def prod_app(app, monkeypatch):
    """The test app's database, served with production settings."""
    production = production_app(Path(app.instance_path), monkeypatch)
    with production.app_context():
        yield production
        close_app(production)


def test_hsts_only_on_https_in_production(app, prod_app):
    plain = prod_app.test_client().get("/")
    assert "Strict-Transport-Security" not in plain.headers
    secure = prod_app.test_client().get("/", base_url="https://choviet.example.vn")
    assert secure.headers["Strict-Transport-Security"] == HSTS
    with app.app_context():
        dev = app.test_client().get("/", base_url="https://localhost")
    assert "Strict-Transport-Security" not in dev.headers


def test_forwarded_headers_are_ignored_without_proxy_hops(prod_app):
    """With CHOVIET_PROXY_HOPS=0 a client cannot claim HTTPS, nor a fresh address to get
    past the sign-in limit."""
    client = prod_app.test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
    statuses = [login_attempt(client, {"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(1, 7)]
    assert statuses == [422] * 5 + [429]


def test_with_one_proxy_hop_the_proxy_is_believed(app, monkeypatch):
    production = production_app(Path(app.instance_path), monkeypatch, PROXY_HOPS=1)
    with production.app_context():
        client = production.test_client()
        secure = client.get("/", headers={"X-Forwarded-Proto": "https"})
        assert secure.headers["Strict-Transport-Security"] == HSTS
        # Each client address, as nginx reports it, has its own sign-in limit (per IP only
        # here: the per-account limit would delay the sixth attempt for one address anyway).
        production.config["SIGN_IN_ACCOUNT_FAILURES"] = 0
        statuses = [
            login_attempt(client, {"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(1, 7)
        ]
        assert statuses == [422] * 6
        close_app(production)


def login_attempt(client: Any, headers: dict[str, str]) -> int:
    response = post_form(
        client,
        LOGIN,
        {"email": "ai@example.vn", "password": "sai-mat-khau-1"},
        headers=headers,
    )
    return response.status_code


def cookie_attributes(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def test_production_cookies_are_secure_httponly_and_samesite(prod_app):
    client = prod_app.test_client()
    response = client.get(LOGIN + "?hl=en", base_url="https://choviet.example.vn")
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"session", "hl"}
    for name, header in cookies.items():
        attrs = cookie_attributes(header)
        assert {"secure", "httponly", "samesite"} <= attrs, name
        assert "samesite=lax" in header.lower().replace(" ", ""), name


def test_development_cookies_work_on_plain_http(client):
    response = client.get(LOGIN)
    session = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "secure" not in cookie_attributes(session)
    assert "httponly" in cookie_attributes(session)


# -- in Chromium: no page trips the policy ----------------------------------------------------

LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile
    + ':' + e.lineNumber);
});
"""


def csp_problems(browser: Any, base: str, pages: dict[str, str], cookie: str | None) -> list:
    """Violations reported by each page, and pages whose stylesheet or font did not load.
    The context keeps the policy on (no bypass_csp), unlike the axe checks."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if cookie is not None:
        context.add_cookies([{"name": "session", "value": cookie, "url": base}])
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    problems: list[str] = []
    for name, url in pages.items():
        response = page.goto(base + url, wait_until="networkidle")
        assert response is not None and response.status == 200, (name, url)
        problems += [f"{name}: {v}" for v in page.evaluate("window.__csp")]
        styled = page.evaluate(
            "async () => { await document.fonts.ready;"
            " return [getComputedStyle(document.body).fontFamily,"
            " document.fonts.check('16px \"Be Vietnam Pro\"'),"
            " [...document.fonts].some(f => f.status === 'loaded')]; }"
        )
        if "Be Vietnam Pro" not in styled[0] or not styled[2]:
            problems.append(f"{name}: stylesheet or font not applied: {styled}")
    problems += [f"console: {text}" for text in console if "Content Security Policy" in text]
    context.close()
    return problems


PROBE = (
    '<!doctype html><html lang="vi"><head><title>probe</title>'
    '<link rel="stylesheet" href="/static/css/site.css"></head>'
    '<body><p style="color: red">x</p><script>document.title = "ran";</script></body></html>'
)


@pytest.mark.slow
def test_pages_work_under_the_policy_in_chromium(app, client, login_as):
    from playwright.sync_api import sync_playwright

    app.add_url_rule("/_csp-probe", "csp_probe", lambda: PROBE)
    curator = create_user("official", provinces=("Cao Bằng",))
    maker = owner(name="HTX Hạt dẻ Trùng Khánh")
    product = published(maker, "Hạt dẻ Trùng Khánh", curator)
    public = {
        "home": "/",
        "products": "/san-pham",
        "product": f"/san-pham/{product.slug}",
        "producer": f"/co-so/{product.producer.slug}",
        "search": "/tim-kiem?q=hat+de",
        "login": LOGIN,
        "register": "/tai-khoan/dang-ky",
        "english": "/?hl=en",
    }
    producer_pages = {"producer": "/co-so-cua-toi/", "producer-new": "/co-so-cua-toi/san-pham/moi"}
    official_pages = {
        "official": "/quan-ly/",
        "official-product": f"/quan-ly/san-pham/{product.id}",
    }
    signed_in = {}
    for user, pages in ((maker, producer_pages), (curator, official_pages)):
        login_as(user)
        signed_in[user.id] = (client.get_cookie("session").value, pages)
    with serve(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        try:
            caught = csp_problems(browser, base, {"probe": "/_csp-probe"}, None)
            problems = csp_problems(browser, base, public, None)
            for cookie, pages in signed_in.values():
                problems += csp_problems(browser, base, pages, cookie)
        finally:
            browser.close()
    assert problems == []
    # The listener is live: the probe's inline script and style attribute were both refused.
    assert any("script-src" in line for line in caught), caught
    assert any("style-src" in line for line in caught), caught
