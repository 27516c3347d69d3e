"""Sharing and search engines: canonical links, OpenGraph/Twitter tags, share links, product
JSON-LD, sitemap.xml and robots.txt. Read-only checks run on the demo catalogue."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from catalog.catalogue import seo
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Campaign, Category, Producer, Product, Province, Story
from tests.catalogue.support import (
    head_tags,
    json_ld,
    keys_anywhere,
    one_meta,
    sitemap_index_locs,
    sitemap_locs,
)
from tests.factories import create_producer, create_published_product
from tests.page_checks import browser_page_problems, html_problems

BASE = "http://localhost"
HOSTILE = "</script><script>alert(1)</script>"


def _first(stmt):  # type: ignore[no-untyped-def]
    return db.session.scalars(stmt).unique().first()


def _priced_product() -> Product:
    return _first(
        select(Product)
        .join(Product.producer)
        .where(
            Product.status == "published",
            Producer.status == "active",
            Product.price_vnd.is_not(None),
            Product.images.any(),
            Product.availability == "in_stock",  # a seasonal one may be out of season today
        )
        .order_by(Product.id)
    )


def _public_pages() -> dict[str, str]:
    """One URL of each public page type in the demo catalogue."""
    product = _priced_product()
    campaign = _first(select(Campaign).where(Campaign.status == "published"))
    story = _first(select(Story).where(Story.status == "published"))
    return {
        "home": "/",
        "products": "/san-pham",
        "product": f"/san-pham/{product.slug}",
        "producer": f"/co-so/{product.producer.slug}",
        "province": f"/tinh/{product.province.slug}",
        "category": f"/nhom/{_first(select(Category)).slug}",
        "campaigns": "/chuong-trinh",
        "campaign": f"/chuong-trinh/{campaign.slug}",
        "stories": "/tin-tuc",
        "story": f"/tin-tuc/{story.slug}",
        "search": "/tim-kiem?q=vai",
    }


# --- canonical links -------------------------------------------------------------------


def test_every_public_page_type_has_one_absolute_canonical_link(demo_client):
    for name, url in _public_pages().items():
        response = demo_client.get(url)
        assert response.status_code == 200, name
        tags = head_tags(response.get_data(as_text=True))
        assert tags.canonical == [BASE + url], name
        assert one_meta(tags, "og:url") == BASE + url, name


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/san-pham?utm_source=zalo&fbclid=abc", "/san-pham"),
        ("/san-pham?page=2", "/san-pham?page=2"),
        ("/san-pham?page=1", "/san-pham"),
        ("/san-pham?page=2&sap-xep=ten", "/san-pham"),
        ("/san-pham?tinh=cao-bang&sao=4&page=2", "/san-pham"),
        (
            "/tim-kiem?q=%20v%E1%BA%A3i%20%20thi%E1%BB%81u&utm_medium=x",
            "/tim-kiem?q=v%E1%BA%A3i+thi%E1%BB%81u",
        ),
        ("/tin-tuc?page=abc", "/tin-tuc"),
    ],
)
def test_canonical_drops_tracking_filters_and_sorting(demo_client, url, canonical):
    tags = head_tags(demo_client.get(url).get_data(as_text=True))
    assert tags.canonical == [BASE + canonical]


def test_detail_page_canonical_ignores_tracking_parameters(demo_client):
    product = _priced_product()
    html = demo_client.get(f"/san-pham/{product.slug}?utm_source=zalo&zarsrc=1").get_data(True)
    assert head_tags(html).canonical == [f"{BASE}/san-pham/{product.slug}"]


def test_private_error_and_account_pages_have_no_canonical_or_social_tags(demo_client):
    product = _priced_product()
    for url, status in (
        (f"/phan-anh/san-pham/{product.id}", 200),
        ("/tai-khoan/dang-nhap", 200),
        ("/san-pham/khong-co-san-pham-nay", 404),
    ):
        response = demo_client.get(url)
        assert response.status_code == status, url
        tags = head_tags(response.get_data(as_text=True))
        assert tags.canonical == [] and "og:url" not in tags.meta, url


def test_private_paths_cover_tracking_links_cart_and_work_areas():
    for path in ("/gio-hang", "/don-hang/theo-doi/abc", "/phan-anh/theo-doi/abc", "/quan-ly/"):
        assert seo.is_private_path(path), path
    for path in ("/", "/san-pham/gio-hang-tre", "/co-so/abc", "/tin-tuc"):
        assert not seo.is_private_path(path), path


def test_public_base_url_setting_wins_over_a_forged_host(demo_client, demo_app, monkeypatch):
    monkeypatch.setitem(demo_app.config, "PUBLIC_BASE_URL", "https://choviet.example")
    response = demo_client.get("/san-pham", headers={"Host": "evil.example"})
    tags = head_tags(response.get_data(as_text=True))
    assert tags.canonical == ["https://choviet.example/san-pham"]
    robots = demo_client.get("/robots.txt", headers={"Host": "evil.example"}).get_data(True)
    assert "Sitemap: https://choviet.example/sitemap.xml" in robots
    assert "evil.example" not in demo_client.get("/sitemap.xml").get_data(True)


# --- OpenGraph, Twitter, share links --------------------------------------------------------


def test_product_page_has_open_graph_and_twitter_tags_with_absolute_urls(demo_client):
    product = _priced_product()
    response = demo_client.get(f"/san-pham/{product.slug}")
    tags = head_tags(response.get_data(as_text=True))
    assert one_meta(tags, "og:type") == "product"
    assert one_meta(tags, "og:locale") == "vi_VN"
    assert one_meta(tags, "og:site_name") == "Chợ Việt"
    assert one_meta(tags, "og:title") == f"{product.name} · {product.producer.name}"
    assert product.name in one_meta(tags, "og:description")
    image = one_meta(tags, "og:image")
    assert image == f"{BASE}/anh/{product.cover.digest}-large.webp"
    served = demo_client.get(image.removeprefix(BASE))
    served.close()
    assert served.status_code == 200 and served.mimetype == "image/webp"
    width, height = (int(one_meta(tags, f"og:image:{k}")) for k in ("width", "height"))
    assert (width, height) == seo.large_image_size(product.cover.width, product.cover.height)
    assert one_meta(tags, "product:price:amount") == str(product.price_vnd)
    assert one_meta(tags, "product:price:currency") == "VND"
    assert one_meta(tags, "twitter:card") == "summary_large_image"
    assert one_meta(tags, "twitter:image") == image


def test_pages_without_a_picture_get_a_plain_summary_card(demo_client):
    tags = head_tags(demo_client.get("/san-pham").get_data(as_text=True))
    assert one_meta(tags, "og:type") == "website"
    assert one_meta(tags, "og:title") == "Tất cả sản phẩm"
    assert one_meta(tags, "twitter:card") == "summary"
    assert "og:image" not in tags.meta


def test_story_is_an_article(demo_client):
    story = _first(select(Story).where(Story.status == "published"))
    tags = head_tags(demo_client.get(f"/tin-tuc/{story.slug}").get_data(as_text=True))
    assert one_meta(tags, "og:type") == "article"
    assert one_meta(tags, "og:title") == story.title


def test_share_links_need_no_script_and_offer_the_link_to_copy(demo_client):
    product = _priced_product()
    url = f"{BASE}/san-pham/{product.slug}"
    html = demo_client.get(f"/san-pham/{product.slug}?utm_source=x").get_data(as_text=True)
    sharer = "https://www.facebook.com/sharer/sharer.php?u=" + quote(url, safe="")
    assert f'href="{sharer}"' in html
    assert f'value="{url}" readonly' in html
    assert 'for="lien-ket-chia-se"' in html
    assert all(src.startswith("/static/") for src in head_tags(html).script_srcs)


# --- JSON-LD ----------------------------------------------------------------------------------


def test_product_json_ld_is_valid_json_with_offer_in_vnd(demo_client):
    product = _priced_product()
    html = demo_client.get(f"/san-pham/{product.slug}").get_data(as_text=True)
    (data,) = json_ld(html)
    url = f"{BASE}/san-pham/{product.slug}"
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == product.name and data["url"] == url
    assert data["productID"] == str(product.id) and data["sku"]
    assert data["image"] == [f"{BASE}/anh/{i.digest}-large.webp" for i in product.images]
    offer = data["offers"]
    assert offer["@type"] == "Offer" and offer["url"] == url
    assert offer["price"] == str(product.price_vnd) and offer["price"].isdigit()
    assert offer["priceCurrency"] == "VND"
    assert offer["availability"] == "https://schema.org/InStock"
    producer = data["manufacturer"]
    assert producer == data["brand"] and producer["@type"] == "Organization"
    assert producer["name"] == product.producer.name
    assert producer["url"] == f"{BASE}/co-so/{product.producer.slug}"
    assert producer["address"]["addressCountry"] == "VN"
    assert producer["address"]["addressRegion"] == product.producer.province.name
    assert not keys_anywhere(data) & {"aggregateRating", "review", "reviewRating"}


def test_json_ld_survives_a_hostile_name_and_states_only_valid_ocop_stars(app, client):
    today = date.today()
    product = create_published_product(HOSTILE)
    expired = create_published_product("Miến dong hết hạn")
    with write_transaction():
        product.description = "Mô tả có </script> và <!-- chú thích"
        product.price_vnd, product.unit = 150_000, "kg"
        product.ocop_stars, product.certificate_year = 4, today.year
        product.certificate_expires_on = today + timedelta(days=400)
        expired.ocop_stars, expired.certificate_year = 5, today.year - 5
    html = client.get(f"/san-pham/{product.slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    (data,) = json_ld(html)
    assert data["name"] == HOSTILE and "</script>" in data["description"]
    assert data["offers"]["price"] == "150000"
    assert data["offers"]["priceSpecification"]["referenceQuantity"]["unitText"] == "kg"
    facts = {p["name"]: p["value"] for p in data["additionalProperty"]}
    assert facts["Hạng OCOP (sao)"] == 4
    assert "image" not in data  # no picture uploaded: none invented
    (old,) = json_ld(client.get(f"/san-pham/{expired.slug}").get_data(as_text=True))
    assert "offers" not in old  # no price published: no offer
    assert all(p["name"] != "Hạng OCOP (sao)" for p in old.get("additionalProperty", []))


# --- sitemap.xml and robots.txt -----------------------------------------------------------


def _hide(*rows) -> None:  # type: ignore[no-untyped-def]
    with write_transaction():
        for row, status in rows:
            row.status = status


def test_sitemap_lists_every_public_page_and_nothing_unpublished(app, client):
    shown = create_published_product("Hạt dẻ Trùng Khánh")
    draft, hidden = create_published_product("Bản nháp"), create_published_product("Đã ẩn")
    suspended = create_producer("HTX Bị đình chỉ", status="suspended")
    of_suspended = create_published_product("Của cơ sở bị đình chỉ", producer=suspended)
    pending = create_producer("HTX Chờ duyệt", status="pending")
    _hide((draft, "draft"), (hidden, "hidden"))
    today = date.today()
    with write_transaction():
        for slug, status in (("thang-hang-viet", "published"), ("nhap-chuong-trinh", "draft")):
            db.session.add(
                Campaign(slug=slug, title=slug, starts_on=today, ends_on=today, status=status)
            )
        db.session.add(
            Story(slug="tin-da-dang", title="Tin", status="published", published_at=None)
        )
        db.session.add(Story(slug="tin-nhap", title="Nháp", status="draft"))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    locs = sitemap_locs(response.data)
    assert len(locs) == len(set(locs))
    paths = {loc.removeprefix(BASE) for loc in locs}
    assert all(loc.startswith(BASE + "/") for loc in locs)
    assert {"/", "/san-pham", "/chuong-trinh", "/tin-tuc"} <= paths
    assert f"/san-pham/{shown.slug}" in paths and f"/co-so/{shown.producer.slug}" in paths
    for gone in (draft, hidden, of_suspended):
        assert f"/san-pham/{gone.slug}" not in paths
    assert f"/co-so/{suspended.slug}" not in paths and f"/co-so/{pending.slug}" not in paths
    assert "/chuong-trinh/thang-hang-viet" in paths
    assert "/chuong-trinh/nhap-chuong-trinh" not in paths
    assert "/tin-tuc/tin-da-dang" in paths and "/tin-tuc/tin-nhap" not in paths
    provinces = db.session.scalars(select(Province.slug)).all()
    groups = db.session.scalars(select(Category.slug)).all()
    assert {f"/tinh/{s}" for s in provinces} | {f"/nhom/{s}" for s in groups} <= paths
    product_paths = {p for p in paths if p.startswith("/san-pham/")}
    assert product_paths == {f"/san-pham/{shown.slug}"}


def test_demo_sitemap_matches_the_public_catalogue_and_every_url_works(demo_client):
    locs = sitemap_locs(demo_client.get("/sitemap.xml").data)
    public = db.session.scalars(
        select(Product.slug)
        .join(Product.producer)
        .where(Product.status == "published", Producer.status == "active")
    ).all()
    listed = {loc for loc in locs if loc.startswith(f"{BASE}/san-pham/")}
    assert public
    assert listed == {f"{BASE}/san-pham/{slug}" for slug in public}
    for loc in locs[:12] + locs[-8:]:
        assert demo_client.get(loc.removeprefix(BASE)).status_code == 200, loc


def test_a_big_sitemap_becomes_an_index_of_parts(demo_client, monkeypatch):
    whole = sitemap_locs(demo_client.get("/sitemap.xml").data)
    monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", 10)
    index = demo_client.get("/sitemap.xml")
    assert index.mimetype == "application/xml"
    parts = sitemap_index_locs(index.data)
    assert len(parts) > 1
    assert parts == [f"{BASE}/sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    seen: list[str] = []
    for part in parts:
        urls = sitemap_locs(demo_client.get(part.removeprefix(BASE)).data)
        assert 0 < len(urls) <= 10
        seen += urls
    assert seen == whole
    assert demo_client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404
    monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", 50_000)
    assert demo_client.get("/sitemap-1.xml").status_code == 404


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_points_to_the_sitemap(demo_client):
    response = demo_client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Disallow: ")}
    for prefix in ("/quan-ly/", "/co-so-cua-toi/", "/tai-khoan/", "/gio-hang"):
        assert prefix in disallowed
    assert {"/phan-anh/", "/don-hang/theo-doi/", "/tim-kiem"} <= disallowed
    assert not disallowed & {"/", "/san-pham", "/anh/", "/co-so/"}
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


# --- page checks ------------------------------------------------------------------------


def test_pages_with_social_tags_and_share_links_are_valid_html(demo_client, tmp_path):
    pages = _public_pages()
    documents = {
        name: demo_client.get(pages[name]).get_data(as_text=True)
        for name in ("product", "producer", "campaign", "story", "home", "search")
    }
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_product_page_with_share_box_passes_axe_and_fits_phones(demo_app, demo_client):
    url = _public_pages()["product"]
    assert browser_page_problems(demo_app, {"seo-product": url}) == []
