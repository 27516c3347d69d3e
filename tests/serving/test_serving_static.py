"""Static files under content-hashed names with a year-long immutable cache; the plain names
with no-cache and an ETag; fonts referred to by the stylesheet hashed too; 404 (never 500)
for unknown hashes and paths outside static/."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from flask import url_for

from catalog.config import PROJECT_ROOT
from catalog.serving.static_assets import IMMUTABLE, build_manifest, hashed_name, rewrite_css

STATIC = PROJECT_ROOT / "static"
HASHED_CSS = re.compile(r"^/static/css/site\.([0-9a-f]{8,12})\.css$")
CSS_URL = re.compile(r"url\(([^)]+)\)")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_url_for_gives_the_hashed_name_of_the_served_content(app, client):
    with app.test_request_context():
        url = url_for("static", filename="css/site.css")
    match = HASHED_CSS.match(url)
    assert match, url
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert digest(response.get_data()).startswith(match.group(1))


def test_the_stylesheet_points_at_hashed_fonts_which_are_cached_for_a_year(app, client):
    with app.test_request_context():
        css_url = url_for("static", filename="css/site.css")
    css = client.get(css_url).get_data(as_text=True)
    fonts = CSS_URL.findall(css)
    assert len(fonts) == 2  # one subset file per weight (make fonts)
    for ref in fonts:
        name = ref.strip("'\"").removeprefix("../fonts/")
        match = re.fullmatch(r"(be-vietnam-pro-[0-9]+)\.([0-9a-f]{10})\.woff2", name)
        assert match, ref
        original = (STATIC / "fonts" / f"{match.group(1)}.woff2").read_bytes()
        assert digest(original).startswith(match.group(2))
        with client.get(f"/static/fonts/{name}") as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == IMMUTABLE
            assert response.get_data() == original


def test_pages_link_hashed_files_and_preload_the_font_the_stylesheet_uses(app, client):
    html = client.get("/").get_data(as_text=True)
    with app.test_request_context():
        css_url = url_for("static", filename="css/site.css")
        js_url = url_for("static", filename="js/site.js")
        font_url = url_for("static", filename="fonts/be-vietnam-pro-400.woff2")
    assert f'href="{css_url}"' in html and f'src="{js_url}"' in html
    assert f'href="{font_url}"' in html
    css = client.get(css_url).get_data(as_text=True)
    assert "../fonts/" + font_url.rsplit("/", 1)[1] in css
    with client.get(js_url) as script:
        assert script.headers["Cache-Control"] == IMMUTABLE
        assert script.get_data() == (STATIC / "js" / "site.js").read_bytes()


def test_plain_names_still_work_with_no_cache_and_an_etag(client):
    with client.get("/static/css/site.css") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.get_data() == (STATIC / "css" / "site.css").read_bytes()
        etag = response.headers["ETag"]
    with client.get("/static/css/site.css", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_a_hashed_file_answers_304_to_its_etag(app, client):
    with app.test_request_context():
        url = url_for("static", filename="css/site.css")
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/static/css/site.0123456789.css",  # a hash that is not the file's
        "/static/css/site.zz.css",
        "/static/css/nothing.css",
        "/static/../app.py",
        "/static/..%2fapp.py",
        "/static/css/..%2f..%2fapp.py",
        "/static/%2e%2e/catalog/config.py",
        "/static/%2fetc%2fpasswd",  # werkzeug merges the slashes (308), then 404
        "/static//etc/passwd",
        "/static/css/site.95ad8cb60c.css%00.py",
    ],
)
def test_unknown_names_and_paths_outside_static_are_404(client, path):
    with client.get(path, follow_redirects=True) as response:
        assert response.status_code == 404


def test_a_changed_file_gets_a_new_name_and_so_does_the_stylesheet_using_it(tmp_path: Path):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "css").mkdir()
    font = tmp_path / "fonts" / "a.woff2"
    font.write_bytes(b"font one")
    (tmp_path / "css" / "x.css").write_text('@font-face { src: url("../fonts/a.woff2"); }')
    first = build_manifest(tmp_path)
    font.write_bytes(b"font two")
    second = build_manifest(tmp_path)
    assert first.hashed["fonts/a.woff2"] != second.hashed["fonts/a.woff2"]
    assert first.hashed["css/x.css"] != second.hashed["css/x.css"]
    css = second.rewritten[second.hashed["css/x.css"]].decode()
    assert css == '@font-face { src: url("../' + second.hashed["fonts/a.woff2"] + '"); }'


def test_rewriting_leaves_outside_data_and_unknown_references_alone():
    hashed = {"img/a.svg": "img/a.1234567890.svg"}
    css = (
        "a{background:url(data:image/png;base64,AAAA)} b{background:url(https://x.vn/a.svg)} "
        "c{background:url(/img/a.svg)} d{background:url(../img/missing.svg)} "
        "e{background:url('../img/a.svg?v=1#top')}"
    )
    out = rewrite_css("css/site.css", css, hashed)
    assert "url(data:image/png;base64,AAAA)" in out
    assert "url(https://x.vn/a.svg)" in out and "url(/img/a.svg)" in out
    assert "url(../img/missing.svg)" in out
    assert "url('../img/a.1234567890.svg?v=1#top')" in out


def test_hashed_names_keep_the_suffix_last():
    assert re.fullmatch(r"css/site\.[0-9a-f]{10}\.css", hashed_name("css/site.css", b"x"))
    assert re.fullmatch(r"LICENSE\.[0-9a-f]{10}", hashed_name("LICENSE", b"x"))


def test_static_files_carry_no_session_and_do_not_vary_on_cookies(app, client, login_as):
    """Else every sign-in or language change would make browsers fetch them again."""
    login_as("producer")
    with app.test_request_context():
        url = url_for("static", filename="css/site.css")
    for path in (url, "/static/css/site.css"):
        with client.get(path) as response:
            assert response.status_code == 200
            # Vary: Accept-Encoding (compression) is fine; Cookie would defeat the cache.
            assert "cookie" not in response.headers.get("Vary", "").lower()
            assert "Set-Cookie" not in response.headers
    assert "Cookie" in client.get("/").headers["Vary"]  # pages do depend on the session
