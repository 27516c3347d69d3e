"""The buying path on a phone (issue 14.4), over HTTP: the no-JavaScript path still lands on
the cart, the script's JSON answers, the header count cookie, the Zalo rule and the checkout's
ward check against hostile input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog.extensions import db
from catalog.models import OrderRequest
from catalog.orders.public_views import CART_COUNT_COOKIE
from catalog.platform import reference
from catalog.platform.vietnamese import mobile_phone
from catalog.web.templating import zalo_url
from tests.factories import province
from tests.forms import post_form
from tests.orders.support import add, checkout, shop

JSON = {"Accept": "application/json"}


def test_without_javascript_adding_goes_to_the_cart_and_sets_the_count(client):
    product, _ = shop()
    response = add(client, product, "3")
    assert response.status_code == 302 and response.headers["Location"].endswith("/gio-hang")
    assert client.get_cookie(CART_COUNT_COOKIE).value == "1"
    page = client.get("/gio-hang").get_data(as_text=True)
    assert product.name in page and 'value="3"' in page


def test_the_script_gets_json_and_stays_on_the_page(client):
    product, _ = shop()
    other, _ = shop("Mật ong bạc hà", "HTX Mật ong Mèo Vạc", province_name="Tuyên Quang")
    data = {"product_id": product.id, "quantity": "2"}
    response = post_form(
        client, "/gio-hang/them", data, form_url=f"/san-pham/{product.slug}", headers=JSON
    )
    assert response.status_code == 200 and response.is_json
    assert response.json["count"] == 1 and product.name in response.json["message"]
    data = {"product_id": other.id, "quantity": "1"}
    response = post_form(
        client, "/gio-hang/them", data, form_url=f"/san-pham/{other.slug}", headers=JSON
    )
    assert response.json["count"] == 2
    assert client.get_cookie(CART_COUNT_COOKIE).value == "2"


@pytest.mark.parametrize("quantity", ["0", "10000", "-1", "1.5", "ba", "", "<script>"])
def test_bad_quantities_get_a_polite_json_error(client, quantity):
    product, _ = shop()
    data = {"product_id": product.id, "quantity": quantity}
    response = post_form(
        client, "/gio-hang/them", data, form_url=f"/san-pham/{product.slug}", headers=JSON
    )
    assert response.status_code == 422 and response.json["field"] == "quantity"
    assert "Số lượng" in response.json["message"] or "số lượng" in response.json["message"]
    assert client.get_cookie(CART_COUNT_COOKIE) is None


def test_emptying_the_cart_clears_the_count(client):
    product, _ = shop()
    add(client, product)
    data = {"product_id": product.id, "action": "xoa"}
    post_form(client, "/gio-hang/sua", data, form_url="/gio-hang")
    assert client.get_cookie(CART_COUNT_COOKIE) is None


def test_catalogue_pages_do_not_read_the_session_for_the_count(client):
    """The header's count is filled in by the script: a page that never touched the session
    sets no cookie and says only "Giỏ hàng"."""
    response = client.get("/san-pham")
    assert CART_COUNT_COOKIE not in response.headers.get("Set-Cookie", "")
    page = response.get_data(as_text=True)
    assert 'class="cart-link"' in page and "Giỏ hàng" in page


@pytest.mark.parametrize(
    ("number", "mobile"),
    [
        ("0912345678", "0912345678"),
        ("091 234 5678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0321234567", "0321234567"),
        ("0561234567", "0561234567"),
        ("0761234567", "0761234567"),
        ("0861234567", "0861234567"),
        ("02063851234", None),  # a Cao Bằng landline
        ("+842438123456", None),
        ("091234567", None),
        ("09123456789", None),
        ("0112345678", None),
        ("", None),
        (None, None),
        ("zalo.me/0912345678", None),
    ],
)
def test_only_mobile_numbers_count_as_mobile(number, mobile):
    assert mobile_phone(number) == mobile


def test_the_zalo_link_prefers_the_producers_own_and_never_a_landline():
    assert zalo_url(None, "02063851234") is None
    assert zalo_url(None, "0912345678") == "https://zalo.me/0912345678"
    assert zalo_url("0987654321", "02063851234") == "https://zalo.me/0987654321"
    assert zalo_url("https://zalo.me/htxhatde", None) == "https://zalo.me/htxhatde"
    assert zalo_url("https://evil.example/zalo.me", "02063851234") is None
    assert zalo_url("javascript:alert(1)", "0912345678") == "https://zalo.me/0912345678"


def test_product_pages_offer_zalo_only_for_mobile_numbers(client):
    landline, _ = shop()
    mobile, _ = shop("Miến dong", "HTX Miến dong Bình Liêu", phone="0912345678")
    assert "zalo.me" not in client.get(f"/san-pham/{landline.slug}").get_data(as_text=True)
    page = client.get(f"/san-pham/{mobile.slug}").get_data(as_text=True)
    assert 'href="https://zalo.me/0912345678"' in page


def test_the_public_ward_list_follows_the_province(client):
    province_id = province("Hà Nội").id
    response = client.get(f"/phuong-xa?tinh={province_id}")
    assert response.status_code == 200
    assert len(response.json["wards"]) == len(reference.wards_of(province_id)) >= 100
    for hostile in ("abc", "99999999999999999999999", "-1", "0", "1 OR 1=1", "٤"):
        response = client.get("/phuong-xa", query_string={"tinh": hostile})
        assert response.status_code == 404 and response.json == {"wards": []}


def _orders() -> int:
    return db.session.scalar(select(func.count()).select_from(OrderRequest))


@pytest.mark.parametrize(
    "ward",
    ["another province", "abc", "99999999999999999999999", "-5", "", "1; DROP TABLE wards"],
)
def test_a_ward_outside_the_province_is_a_form_error(client, ward):
    product, _ = shop()
    add(client, product)
    if ward == "another province":
        ward = str(reference.wards_of(province("Cao Bằng").id)[0][0])
    response = checkout(client, "/gio-hang", ward_code=ward)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="dh-phuong-xa-loi"' in page  # the error sits next to the ward field
    assert 'value="Chị Lan"' in page  # what was typed is kept
    assert _orders() == 0


def test_a_hostile_province_is_a_form_error(client):
    product, _ = shop()
    add(client, product)
    response = checkout(client, "/gio-hang", province_id="99999999999999999999")
    assert response.status_code == 422 and _orders() == 0
