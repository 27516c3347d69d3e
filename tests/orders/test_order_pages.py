"""The order pages are valid HTML (one Nu checker run over all of them) and pass axe-core
with no serious or critical violation at desktop and phone widths, without sideways scroll."""

from __future__ import annotations

import pytest

from catalog.extensions import db
from tests.forms import post_form
from tests.orders.support import add, all_orders, checkout, product_url, shop, tokens_of
from tests.page_checks import browser_page_problems, html_problems, page_problems


def _placed(client, login_as):  # type: ignore[no-untyped-def]
    """Two producers' products in the cart, sent, one request confirmed with a note.
    Returns (product, token, order, seller), signed in as that product's seller."""
    nuts, seller = shop()
    tea, _ = shop("Chè Shan tuyết", "HTX Chè Cao Bằng", price=None, unit=None)
    add(client, nuts, "2")
    add(client, tea, "1")
    sent = checkout(client, "/gio-hang", email="lan@example.vn", note="Giao buổi sáng.\nCảm ơn.")
    token = tokens_of(sent)[0]
    order = all_orders()[0]
    login_as(seller)
    url = f"/co-so-cua-toi/don-hang/{order.id}"
    post_form(client, url, {"status": "confirmed", "note": "Giao thứ Bảy."})
    return nuts, token, order, seller, sent.get_data(as_text=True)


def test_order_pages_are_valid_html(app, client, login_as, tmp_path):
    nuts, token, order, _, sent = _placed(client, login_as)
    detail = f"/co-so-cua-toi/don-hang/{order.id}"
    add(client, nuts, "3")
    documents = {
        "product": client.get(product_url(nuts)).get_data(as_text=True),
        "product-errors": add(client, nuts, "abc").get_data(as_text=True),
        "cart": client.get("/gio-hang").get_data(as_text=True),
        "cart-errors": checkout(client, "/gio-hang", phone="12345", name="").get_data(as_text=True),
        "cart-line-error": post_form(
            client,
            "/gio-hang/sua",
            {"product_id": nuts.id, "quantity": "0", "action": "sua"},
            form_url="/gio-hang",
        ).get_data(as_text=True),
        "cart-province": checkout(client, "/gio-hang", action="chon-tinh").get_data(as_text=True),
        "sent": sent,
        "status": client.get(f"/don-hang/theo-doi/{token}").get_data(as_text=True),
        "inbox": client.get("/co-so-cua-toi/don-hang").get_data(as_text=True),
        "request": client.get(detail).get_data(as_text=True),
        "request-errors": post_form(client, detail, {"status": "cancelled"}).get_data(as_text=True),
        "dashboard": client.get("/co-so-cua-toi/").get_data(as_text=True),
    }
    for name in ("product-errors", "cart-errors", "cart-line-error", "request-errors"):
        assert "error-message" in documents[name], name
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_order_pages_pass_axe_and_fit_phones(app, client, login_as):
    nuts, token, order, _, _ = _placed(client, login_as)
    add(client, nuts, "3")
    pages = {
        "order-product": product_url(nuts),
        "order-cart": "/gio-hang",
        "order-status": f"/don-hang/theo-doi/{token}",
        "order-inbox": "/co-so-cua-toi/don-hang",
        "order-request": f"/co-so-cua-toi/don-hang/{order.id}",
    }
    # End the test's own transaction (it holds SQLite's write lock) and touch no row after.
    db.session.commit()

    def checkout_errors(page, base: str, axe: str) -> list[str]:  # type: ignore[no-untyped-def]
        """The checkout sent empty comes back with its errors (422)."""
        page.goto(base + "/gio-hang", wait_until="networkidle")
        with page.expect_navigation():
            page.click("form.checkout-form button[value=gui]")
        return page_problems(page, "order-errors", axe, impacts=("serious", "critical"))

    assert browser_page_problems(app, pages, client=client, after_pages=checkout_errors) == []
