"""Pre-2025 province names everywhere a person names a province (issue 14.2): page URLs
redirect, filters and API parameters resolve them, API paths redirect, imports keep them,
and `ten-cu` narrows a province's page to the products recorded under an old name."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select

from catalog.extensions import db
from catalog.imports.imports import import_csv
from catalog.models import Product
from catalog.platform import geo
from tests.helpers import csv_bytes, row


def _import(*rows: dict[str, str]) -> None:
    report = import_csv(csv_bytes(*rows))
    assert report.ok, report


@pytest.fixture
def recorded(app):  # type: ignore[no-untyped-def]
    """Two Bắc Ninh products: one recorded as "Tỉnh Bắc Giang", one under the new name."""
    _import(
        row(product_name="Vải thiều Lục Ngạn", province="Tỉnh Bắc Giang"),
        row(
            product_name="Gốm Phù Lãng",
            producer_name="HTX Gốm Phù Lãng",
            province="Bắc Ninh",
            category="Thủ công mỹ nghệ",
        ),
        row(
            product_name="Hạt dẻ Trùng Khánh", producer_name="HTX Trùng Khánh", province="Cao Bằng"
        ),
    )


# -- the one resolver ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["Bắc Giang", "bac-giang", "BAC GIANG", "Tỉnh Bắc Giang", " bắc   giang "]
)
def test_match_province_names_the_old_province(app, typed):
    match = geo.match_province(typed)
    assert match is not None
    assert (match.province.name, match.old_name, match.old_slug) == (
        "Bắc Ninh",
        "Bắc Giang",
        "bac-giang",
    )


@pytest.mark.parametrize("typed", ["Bắc Ninh", "bac-ninh", "24", "Tỉnh Bắc Ninh"])
def test_current_names_are_no_old_name(app, typed):
    match = geo.match_province(typed)
    assert match is not None and match.province.name == "Bắc Ninh" and match.old_name is None


def test_unknown_names_match_nothing(app):
    for typed in ("", "  ", "atlantis", "²", "0"):
        assert geo.match_province(typed) is None, typed


# -- page URLs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "target", "came_from"),
    [
        ("/tinh/bac-giang", "/tinh/bac-ninh", "bac-giang"),
        ("/tinh/B%E1%BA%AFc%20Giang", "/tinh/bac-ninh", "bac-giang"),  # "Bắc Giang"
        ("/tinh/bac%20giang", "/tinh/bac-ninh", "bac-giang"),
        ("/tinh/thua-thien-hue", "/tinh/hue", "thua-thien-hue"),
        ("/tinh/ha-giang", "/tinh/tuyen-quang", "ha-giang"),
        ("/tinh/tp-hcm", "/tinh/ho-chi-minh", None),  # a spelling, not an old province
        ("/tinh/24", "/tinh/bac-ninh", None),
    ],
)
def test_province_page_under_another_name_redirects_permanently(client, path, target, came_from):
    response = client.get(f"{path}?sao=4&sap-xep=ten&nhom=thuc-pham&nhom=do-uong")
    assert response.status_code == 301
    location = urlsplit(response.headers["Location"])
    assert location.path == target
    query = parse_qsl(location.query)
    assert [p for p in query if p[0] != "tu"] == [
        ("sao", "4"),
        ("sap-xep", "ten"),
        ("nhom", "thuc-pham"),
        ("nhom", "do-uong"),
    ]
    assert dict(query).get("tu") == came_from


def test_unknown_province_page_is_still_404(client):
    assert client.get("/tinh/atlantis").status_code == 404


def test_new_province_page_says_where_the_old_one_went(client, recorded):
    page = client.get("/tinh/bac-giang", follow_redirects=True)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Bắc Giang nay thuộc tỉnh Bắc Ninh." in html
    assert "ten-cu=bac-giang" in html
    assert "Vải thiều Lục Ngạn" in html and "Gốm Phù Lãng" in html  # not narrowed yet


def test_the_line_is_translated(client, recorded):
    html = client.get("/tinh/bac-ninh?tu=bac-giang&hl=en").get_data(as_text=True)
    assert '<span lang="vi">Bắc Giang</span> is now part of' in html and "nay thuộc" not in html


def test_the_line_needs_an_old_name_of_this_province(client, recorded):
    """`tu` is only a hint: a stranger's value shows nothing, and is never an error."""
    for hint in ("bac-giang", "ha-noi", "atlantis", "x" * 500):
        html = client.get(f"/tinh/cao-bang?tu={hint}").get_data(as_text=True)
        assert "nay thuộc" not in html, hint


def test_ten_cu_narrows_to_products_recorded_under_the_old_name(client, recorded):
    for url in ("/tinh/bac-ninh?ten-cu=bac-giang", "/san-pham?ten-cu=B%E1%BA%AFc+Giang"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert "Vải thiều Lục Ngạn" in html, url
        assert "Gốm Phù Lãng" not in html and "Hạt dẻ Trùng Khánh" not in html, url
    html = client.get("/tinh/bac-ninh?ten-cu=bac-giang").get_data(as_text=True)
    assert "Đang xem các sản phẩm ghi nhận theo tên cũ Bắc Giang." in html
    assert 'name="ten-cu" value="Bắc Giang"' in html  # the filter form keeps it


def test_ten_cu_follows_the_other_filters(client, recorded):
    html = client.get("/san-pham?ten-cu=bac-giang&nhom=thu-cong-my-nghe").get_data(as_text=True)
    assert "Vải thiều Lục Ngạn" not in html and "Gốm Phù Lãng" not in html


def test_ten_cu_matches_every_recorded_spelling(app, recorded):
    from catalog.catalogue import browse

    match = geo.match_province("bac-giang")
    assert browse.recorded_spellings(match) == ("Bắc Giang", "Tỉnh Bắc Giang")


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/san-pham?ten-cu=atlantis", "atlantis"),
        ("/san-pham?ten-cu=ha-noi", "ha-noi"),  # a current province, no old name
        ("/tinh/bac-ninh?ten-cu=bac-ninh", "bac-ninh"),
        ("/tinh/ha-noi?ten-cu=bac-giang", "Bắc Giang nay thuộc tỉnh Bắc Ninh"),
        ("/san-pham?ten-cu=%C2%B2", "²"),
        ("/du-lieu/san-pham.csv?ten-cu=atlantis", "atlantis"),
    ],
)
def test_ten_cu_that_names_no_old_province_is_refused(client, url, named):
    response = client.get(url)
    assert response.status_code == 400
    assert named in response.get_data(as_text=True)


def test_open_data_listing_export_takes_ten_cu(client, recorded):
    text = client.get("/du-lieu/san-pham.csv?ten-cu=bac-giang").get_data(as_text=True)
    assert "Vải thiều Lục Ngạn" in text and "Gốm Phù Lãng" not in text


# -- filters and API parameters --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/san-pham?tinh=Bac+Giang",
        "/du-lieu/san-pham.csv?tinh=bac-giang",
    ],
)
def test_old_names_filter_like_the_new_province(client, recorded, url):
    response = client.get(url)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Lục Ngạn" in text or "Hồng Phúc" in text
    assert "Trùng Khánh" not in text


def test_api_producers_take_old_names(client, recorded):
    data = client.get("/api/v1/producers?province=B%E1%BA%AFc%20Giang").get_json()
    assert {item["province"] for item in data["items"]} == {"Bắc Ninh"}
    assert data["total"] == 2


def test_campaigns_take_old_names(client):
    assert client.get("/api/v1/campaigns?province=bac-giang").status_code == 200


def test_search_and_api_products_take_old_names(demo_client):
    """Against the indexed demo catalogue: Lục Ngạn lychee is filed under Bắc Ninh."""
    html = demo_client.get("/tim-kiem?q=vai+thieu&tinh=bac-giang").get_data(as_text=True)
    assert "Lục Ngạn" in html
    data = demo_client.get("/api/v1/products?province=bắc giang&per_page=100").get_json()
    assert data["total"] > 0
    assert {item["province"] for item in data["items"]} == {"Bắc Ninh"}


# -- API paths -------------------------------------------------------------------------------


def test_api_province_path_with_an_old_name_redirects(client):
    response = client.get("/api/v1/provinces/bac-giang?x=1")
    assert response.status_code == 301
    assert urlsplit(response.headers["Location"]).path == "/api/v1/provinces/bac-ninh"
    assert urlsplit(response.headers["Location"]).query == "x=1"
    data = client.get("/api/v1/provinces/bac-giang", follow_redirects=True).get_json()
    assert data["slug"] == "bac-ninh" and "Bắc Giang" in data["old_names"]
    assert data["region_slug"] == "dong-bang-song-hong"


def test_api_province_path_naming_nothing_is_404(client):
    response = client.get("/api/v1/provinces/atlantis")
    assert response.status_code == 404 and response.is_json


# -- imports ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "province", "kept"),
    [
        ("bac giang", "Bắc Ninh", "bac giang"),
        ("BẮC GIANG", "Bắc Ninh", "BẮC GIANG"),
        ("Thừa Thiên - Huế", "Huế", "Thừa Thiên - Huế"),
        ("Tỉnh Hà Giang", "Tuyên Quang", "Tỉnh Hà Giang"),
        ("Thanh Hoá", "Thanh Hóa", None),
    ],
)
def test_imports_resolve_old_names_with_the_same_resolver(app, typed, province, kept):
    _import(row(province=typed))
    product = db.session.scalar(select(Product))
    assert product.province.name == province
    assert product.province_recorded_as == kept
    assert geo.resolve_province(typed).name == province
