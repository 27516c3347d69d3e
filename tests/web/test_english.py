"""English for overseas Vietnamese and foreign buyers: Vietnamese stays the default for
everyone, ?hl=en switches (and a cookie keeps it), product data stays in its Vietnamese
original, hreflang alternates point search engines at both, and e-mails follow the language
the form was filled in."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Product
from catalog.web import i18n
from tests.complaints.support import complaint_url, file, lang_son_product, mail_to
from tests.forms import post_form
from tests.orders.support import add, all_orders, checkout, product_url, shop
from tests.page_checks import html_problems

CATALOGUE = Path(i18n.__file__).resolve().parents[1] / "translations"


def _product() -> Product:
    return db.session.scalars(select(Product).where(Product.status == "published")).first()


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([a-z]+)">', html)
    assert match, "no <html lang>"
    return match.group(1)


def test_compiled_english_catalogue_exists():
    """Without the .mo every page would silently fall back to Vietnamese: `make setup`
    (pybabel compile) builds it from the committed .po."""
    mo = CATALOGUE / "en" / "LC_MESSAGES" / "messages.mo"
    assert mo.exists(), "English catalogue not compiled: run `make setup` (pybabel compile)"
    po = mo.with_suffix(".po")
    assert mo.stat().st_mtime >= po.stat().st_mtime, "messages.mo is older than messages.po"


def test_vietnamese_is_the_default_even_for_english_browsers(demo_client):
    response = demo_client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    html = response.get_data(as_text=True)
    assert _lang(html) == "vi"
    assert "Sản phẩm nổi bật" in html
    assert "set-cookie" not in response.headers


def test_hl_en_switches_and_the_cookie_keeps_it(demo_client):
    product = _product()
    response = demo_client.get("/?hl=en")
    html = response.get_data(as_text=True)
    assert _lang(html) == "en"
    assert "Featured products" in html and "Skip to main content" in html
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("hl=en;") and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie

    page = demo_client.get(f"/san-pham/{product.slug}").get_data(as_text=True)
    assert _lang(page) == "en"
    assert "Origin" in page and "OCOP certificate" in page
    assert product.name in page  # no translation: the Vietnamese original

    back = demo_client.get(f"/san-pham/{product.slug}?hl=vi").get_data(as_text=True)
    assert _lang(back) == "vi" and "Xuất xứ" in back
    assert _lang(demo_client.get("/").get_data(as_text=True)) == "vi"


def test_unknown_language_is_ignored(demo_client):
    response = demo_client.get("/?hl=xx")
    assert response.status_code == 200
    assert _lang(response.get_data(as_text=True)) == "vi"
    assert "set-cookie" not in response.headers
    demo_client.set_cookie("hl", "<script>")
    assert _lang(demo_client.get("/san-pham").get_data(as_text=True)) == "vi"


def test_hreflang_alternates_are_absolute(demo_client):
    product = _product()
    html = demo_client.get(f"/san-pham/{product.slug}?hl=en").get_data(as_text=True)
    base = f"http://localhost/san-pham/{product.slug}"
    assert f'<link rel="canonical" href="{base}">' in html
    assert f'<link rel="alternate" hreflang="vi" href="{base}">' in html
    assert f'<link rel="alternate" hreflang="en" href="{base}?hl=en">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{base}">' in html
    switch = re.findall(r'<a href="([^"]+)" lang="(vi|en)" hreflang="\2"', html)
    assert (f"/san-pham/{product.slug}?hl=vi", "vi") in switch


def test_a_complaint_is_acknowledged_in_the_language_it_was_filed_in(app, client):
    item, _official = lang_son_product()
    client.get(f"{complaint_url(item)}?hl=en")
    english = file(client, complaint_url(item), email="jane@example.com")
    assert "Thank you for your report" in english.get_data(as_text=True)
    (receipt,) = mail_to("jane@example.com")
    assert receipt.subject == "Chợ Việt: we have received your report"
    assert "Follow the outcome at this private link" in receipt.body and "?hl=en" in receipt.body

    client.get("/?hl=vi")
    file(client, complaint_url(item), ip="203.0.113.51", email="lan@example.vn")
    (vietnamese,) = mail_to("lan@example.vn")
    assert vietnamese.subject == "Chợ Việt: đã tiếp nhận phản ánh của bạn"
    assert "hl=" not in vietnamese.body


def test_an_order_placed_in_english_gets_english_buyer_mails(app, client, login_as):
    """The buyer reads English (receipt and status change); the producer still Vietnamese."""
    nuts, seller = shop()
    client.get(f"{product_url(nuts)}?hl=en")
    add(client, nuts)
    checkout(client, product_url(nuts), email="john@example.com")
    (order,) = all_orders()
    assert order.locale == "en"
    (receipt,) = mail_to("john@example.com")
    assert receipt.subject == "Chợ Việt: your order request has been sent"
    assert "Subtotal: " in receipt.body and "?hl=en" in receipt.body
    assert "Hạt dẻ Trùng Khánh" in receipt.body  # product names stay Vietnamese
    (to_producer,) = mail_to(seller.email)
    assert "Có yêu cầu đặt hàng mới" in to_producer.body and "Tạm tính: " in to_producer.body

    client.get("/?hl=vi")  # the producer works in Vietnamese, on their own device
    login_as(seller)
    url = f"/co-so-cua-toi/don-hang/{order.id}"
    assert (
        post_form(client, url, {"status": "confirmed", "note": "Giao thứ Bảy."}).status_code == 302
    )
    # The buyer's own pages (cart, sent page, tracking) follow their language too.
    client.get("/?hl=en")
    status = client.get(f"/don-hang/theo-doi/{_tracking_token(receipt.body)}")
    page = status.get_data(as_text=True)
    assert status.status_code == 200
    assert f"Order request {order.code}" in page and "Delivery details" not in page
    assert "Contact the producer" in page and "Hạt dẻ Trùng Khánh" in page
    assert "Your cart is empty." in client.get("/gio-hang").get_data(as_text=True)
    update = mail_to("john@example.com")[-1]
    assert update.subject == f"Chợ Việt: update on order request {order.code}"
    assert "is now: Confirmed by the producer." in update.body and "Giao thứ Bảy." in update.body


def _tracking_token(body: str) -> str:
    match = re.search(r"/don-hang/theo-doi/([A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)


def test_english_validation_messages(app, client):
    item, _official = lang_son_product()
    client.get(f"{complaint_url(item)}?hl=en")
    response = file(client, complaint_url(item), message="x", email="not-an-address")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please correct the following" in html and "Invalid e-mail address." in html


def test_english_pages_are_valid_html(demo_client, tmp_path):
    product = _product()
    documents = {
        "home-en": demo_client.get("/?hl=en").get_data(as_text=True),
        "product-en": demo_client.get(f"/san-pham/{product.slug}?hl=en").get_data(as_text=True),
        "products-en": demo_client.get("/san-pham?hl=en").get_data(as_text=True),
        "missing-en": demo_client.get("/khong-co-trang-nay?hl=en").get_data(as_text=True),
    }
    assert "Page not found" in documents["missing-en"]
    assert html_problems(documents, tmp_path) == []
