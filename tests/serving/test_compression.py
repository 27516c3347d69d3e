"""Text responses compressed as the browser asks (catalog/serving/compression.py), and what
must stay as it was: images, downloads, byte ranges, ETag revalidation, the page cache, and
CHOVIET_COMPRESS=0. Also the card-sized image variant made on first request for pictures
stored before it existed."""

from __future__ import annotations

import gzip
import io

import brotli
from flask import Flask, url_for
from PIL import Image

from catalog.platform.images import SIZES, store_image, variant_path
from tests.conftest import close_app, make_app

GZIP = {"Accept-Encoding": "gzip"}
BR = {"Accept-Encoding": "br"}


def static_url(app: Flask, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_pages_are_compressed_only_for_browsers_that_ask(client):
    plain = client.get("/")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    squeezed = client.get("/", headers=BR)
    assert squeezed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in squeezed.headers["Vary"]
    html = brotli.decompress(squeezed.get_data()).decode()
    assert "<html" in html and "Chợ Việt" in html
    assert len(squeezed.get_data()) < len(plain.get_data()) / 3


def test_stylesheet_and_script_are_compressed_and_revalidate(app: Flask, client):
    for name in ("css/site.css", "js/site.js"):
        url = static_url(app, name)
        identity = client.get(url).get_data()
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip", name
        assert gzip.decompress(response.get_data()) == identity
        assert int(response.headers["Content-Length"]) == len(response.get_data())
        etag = response.headers["ETag"]
        assert etag.endswith(':gzip"'), etag  # another representation, another validator
        again = client.get(url, headers={**GZIP, "If-None-Match": etag})
        assert again.status_code == 304 and again.get_data() == b""


def test_a_byte_range_of_a_static_file_is_sent_as_stored(app: Flask, client):
    url = static_url(app, "js/site.js")
    whole = client.get(url).get_data()
    with client.get(url, headers={**GZIP, "Range": "bytes=0-99"}) as part:
        assert part.status_code == 206
        assert "Content-Encoding" not in part.headers
        assert part.get_data() == whole[:100]


def test_fonts_and_downloads_are_not_compressed_again(app: Flask, client):
    with client.get(static_url(app, "fonts/be-vietnam-pro-400.woff2"), headers=BR) as font:
        assert font.status_code == 200 and "Content-Encoding" not in font.headers
    with client.get("/du-lieu/san-pham.csv", headers=BR) as csv:
        assert csv.status_code == 200 and csv.is_streamed
        assert "Content-Encoding" not in csv.headers
        assert "," in csv.get_data().decode("utf-8-sig").splitlines()[0]  # the header row


def test_the_page_cache_keeps_the_uncompressed_page(tmp_path, migrated_db):
    from tests import databases

    databases.clone(migrated_db, tmp_path)
    cached = make_app(tmp_path, PAGE_CACHE="1")
    with cached.app_context():
        client = cached.test_client()
        first = client.get("/", headers=BR)
        assert first.headers["X-Cache"] == "miss" and first.headers["Content-Encoding"] == "br"
        hit = client.get("/")
        assert hit.headers["X-Cache"] == "hit" and "Content-Encoding" not in hit.headers
        assert "<html" in hit.get_data(as_text=True)
        hit_br = client.get("/", headers=BR)
        assert hit_br.headers["X-Cache"] == "hit"
        assert "<html" in brotli.decompress(hit_br.get_data()).decode()
        close_app(cached)
    databases.drop(tmp_path)


def test_compress_zero_turns_it_off(tmp_path, migrated_db):
    from tests import databases

    databases.clone(migrated_db, tmp_path)
    off = make_app(tmp_path, COMPRESS="0")
    with off.app_context():
        response = off.test_client().get("/", headers=BR)
        assert response.status_code == 200 and "Content-Encoding" not in response.headers
        close_app(off)
    databases.drop(tmp_path)


def test_a_picture_stored_before_the_card_size_gets_it_on_first_request(app: Flask, client):
    image = Image.new("RGB", (2400, 1800), (200, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    stored = store_image(out.getvalue(), app.config["UPLOADS_DIR"])
    card = variant_path(app.config["UPLOADS_DIR"], stored.digest, "card")
    card.unlink()  # as if uploaded before "card" was one of the sizes
    with client.get(f"/anh/{stored.digest}-card.webp") as response:
        assert response.status_code == 200 and response.mimetype == "image/webp"
        body = response.get_data()
    with Image.open(io.BytesIO(body)) as variant:
        assert variant.format == "WEBP" and max(variant.size) == SIZES["card"]
    assert card.exists()  # made once, served from storage afterwards
    unknown = "0" * 64
    assert client.get(f"/anh/{unknown}-card.webp").status_code == 404
    assert client.get(f"/anh/{stored.digest}-huge.webp").status_code == 404
