"""Public pages render real content from the demo catalogue; bad input never gives a 500."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Category, Producer, Product, Province


def cards(html: str) -> int:
    return html.count('class="product-card')


def test_home_shows_featured_cards_groups_and_provinces(demo_client):
    html = demo_client.get("/").get_data(as_text=True)
    assert cards(html) >= 10
    assert "Thực phẩm" in html and "Đồ uống" in html
    assert "Đồng bằng sông Cửu Long" in html
    assert 'href="/tinh/bac-ninh"' in html
    assert 'lang="vi"' in html


def test_every_demo_product_page_renders(demo_client, demo_app):
    with demo_app.app_context():
        products = db.session.scalars(select(Product)).unique().all()
        expected = [(p.slug, p.name, p.producer.name) for p in products]
    assert len(expected) >= 150
    for slug, name, producer in expected:
        response = demo_client.get(f"/san-pham/{slug}")
        assert response.status_code == 200, slug
        html = response.get_data(as_text=True)
        assert _escaped(name) in html and _escaped(producer) in html


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_product_page_shows_price_stars_origin_and_image(demo_client, demo_app):
    with demo_app.app_context():
        product = db.session.scalars(
            select(Product).where(
                Product.price_vnd.is_not(None),
                Product.province_recorded_as == "Bắc Giang",
            )
        ).first()
        slug, price = product.slug, product.price_vnd
    html = demo_client.get(f"/san-pham/{slug}").get_data(as_text=True)
    assert f"{price:,}".replace(",", ".") + "\u00a0₫" in html
    assert "Bắc Ninh" in html and "Bắc Giang" in html
    assert re.search(r'srcset="[^"]*320w', html)


def test_province_page_lists_products_recorded_under_old_name(demo_client, demo_app):
    with demo_app.app_context():
        names = db.session.scalars(
            select(Product.name).where(Product.province_recorded_as == "Bắc Giang")
        ).all()
    assert names, "the demo catalogue records some products under Bắc Giang"
    html = demo_client.get("/tinh/bac-ninh?page=1").get_data(as_text=True)
    assert "Bắc Giang" in html
    listed = "".join(
        demo_client.get(f"/tinh/bac-ninh?page={n}").get_data(as_text=True) for n in range(1, 4)
    )
    for name in names:
        assert _escaped(name) in listed


def test_producer_and_category_pages(demo_client, demo_app):
    with demo_app.app_context():
        producer = db.session.scalars(select(Producer).where(Producer.products.any())).first()
        slug, name = producer.slug, producer.name
        categories = [(c.slug, c.name) for c in db.session.scalars(select(Category))]
    html = demo_client.get(f"/co-so/{slug}").get_data(as_text=True)
    assert _escaped(name) in html and cards(html) >= 1
    assert categories
    for cat_slug, cat_name in categories:
        response = demo_client.get(f"/nhom/{cat_slug}")
        assert response.status_code == 200
        assert _escaped(cat_name) in response.get_data(as_text=True)


def test_listing_filters_by_stars_group_and_province(demo_client, demo_app):
    with demo_app.app_context():
        expected = db.session.scalars(
            select(Product.name)
            .join(Product.category)
            .join(Product.province)
            .where(Product.public_stars_expr() == 4, Category.slug == "thuc-pham")
        ).all()
        province_slug = db.session.scalar(select(Province.slug).where(Province.name == "Bắc Ninh"))
    html = demo_client.get("/san-pham?sao=4&nhom=thuc-pham&page=1").get_data(as_text=True)
    assert cards(html) == min(len(expected), 24)
    assert "★" in html
    one = demo_client.get(f"/san-pham?tinh={province_slug}").get_data(as_text=True)
    assert cards(one) >= 1


def test_pagination_pages_do_not_overlap(demo_client):
    first = demo_client.get("/san-pham?page=1&sap-xep=ten").get_data(as_text=True)
    second = demo_client.get("/san-pham?page=2&sap-xep=ten").get_data(as_text=True)
    links = lambda html: set(re.findall(r'href="(/san-pham/[^"]+)"', html))  # noqa: E731
    assert cards(first) == 24 and cards(second) >= 1
    assert not links(first) & links(second)


@pytest.mark.parametrize(
    "url",
    [
        "/san-pham?page=-1",
        "/san-pham?page=abc",
        "/san-pham?page=99999999999999999999",
        "/san-pham?sap-xep=DROP",
        "/san-pham?page=500",
        "/tinh/bac-ninh?page=0&sao=",
        "/tinh/bac-ninh?tinh=atlantis",  # the page's own province: the parameter is unused
        "/tim-kiem?q=((&page=-3",
        "/tim-kiem?q=%00%01",
    ],
)
def test_bad_query_parameters_never_give_500(demo_client, url):
    response = demo_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/san-pham?sao=abc&sao=9",
        "/san-pham?tinh=atlantis&nhom=thuc-pham",
        "/san-pham?nhom=<script>",
        "/tim-kiem?q=((&sao=x&page=-3",
        "/tim-kiem?q=mat+ong&tinh=%00",
    ],
)
def test_filters_that_name_nothing_are_a_polite_400(demo_client, url):
    """Not silently dropped (that would list products the visitor did not ask for)."""
    response = demo_client.get(url)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Yêu cầu không hợp lệ" in html and ("Không có" in html or "Số sao OCOP" in html)
    assert "<script>" not in html and 'href="/"' in html


@pytest.mark.parametrize(
    "url", ["/san-pham/khong-co", "/tinh/atlantis", "/nhom/khong-co", "/co-so/khong-co", "/xyz"]
)
def test_unknown_pages_are_friendly_404s(demo_client, url):
    response = demo_client.get(url)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Không tìm thấy" in html and 'href="/"' in html


def test_media_route_rejects_bad_names(demo_client):
    assert demo_client.get("/anh/..%2f..%2fetc-large.webp").status_code == 404
    assert demo_client.get("/anh/" + "a" * 64 + "-huge.webp").status_code == 404


def test_product_images_are_served_with_long_cache(demo_client, demo_app):
    with demo_app.app_context():
        product = db.session.scalars(select(Product)).first()
        digest = product.cover.digest
    with demo_client.get(f"/anh/{digest}-thumb.webp") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/webp"
        assert "immutable" in response.headers["Cache-Control"]
        assert response.get_data()[8:12] == b"WEBP"


def test_expired_certificate_loses_its_stars_publicly(app, client):
    from catalog.imports.imports import import_csv
    from tests.helpers import csv_bytes, row

    report = import_csv(
        csv_bytes(
            row(product_name="Mắm cũ", ocop_stars="4", certificate_year="2020"),
            row(product_name="Mắm mới", ocop_stars="4", certificate_year="2025"),
        )
    )
    assert report.ok
    listing = client.get("/san-pham?sao=4").get_data(as_text=True)
    assert "Mắm mới" in listing and "Mắm cũ" not in listing
    page = client.get("/san-pham/mam-cu").get_data(as_text=True)
    summary = page.split('class="product-summary"')[1].split('class="producer-card"')[0]
    assert "Đã hết hạn" in summary and "OCOP 4 sao" not in summary
    assert "OCOP 4 sao" in client.get("/san-pham/mam-moi").get_data(as_text=True)


def test_unexpected_error_gives_the_friendly_500_page(app, client, monkeypatch):
    from catalog.catalogue import browse

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(browse, "featured_products", broken)
    response = client.get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Đã có lỗi xảy ra" in html and "disk on fire" not in html
    api = client.get("/api/v1/products/999999")
    assert api.status_code == 404 and api.is_json
