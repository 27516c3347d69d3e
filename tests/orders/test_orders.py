"""Order requests: the cart in the session, split into one request per producer, each
producer told about its own only, the buyer following each through its private link, the
producer's inbox and status steps, blocked numbers, and the spam guards. Everything goes
through the real forms, services and mail outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.listings import profiles
from catalog.models import AuditEntry, BlockedPhone, MailMessage, OrderRequest, Producer
from catalog.orders import orders
from tests.forms import post_form
from tests.orders.support import add, all_orders, checkout, mail_to, product_url, shop, tokens_of

BUYER = "lan@example.vn"


def count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def two_shops(app):  # type: ignore[no-untyped-def]
    chestnuts = shop()
    tea = shop(
        "Chè Shan tuyết Hà Giang",
        "HTX Chè Cao Bằng",
        price=None,
        unit="gói",
        province_name="Tuyên Quang",
    )
    return chestnuts, tea


def step(client, order_id: int, status: str, note: str = ""):  # type: ignore[no-untyped-def]
    url = f"/co-so-cua-toi/don-hang/{order_id}"
    return post_form(client, url, {"status": status, "note": note})


# -- the whole flow ---------------------------------------------------------------------------


def test_a_split_cart_becomes_one_request_per_producer(client, login_as, two_shops):
    (nuts, nuts_seller), (tea, tea_seller) = two_shops
    assert add(client, nuts, "2").status_code == 302
    assert add(client, tea, "3").status_code == 302
    assert add(client, nuts, "1").status_code == 302  # adds up: 3 kg
    cart = client.get("/gio-hang")
    page = cart.get_data(as_text=True)
    assert cart.status_code == 200 and cart.headers["Cache-Control"] == "private, no-store"
    assert page.count('class="cart-group"') == 2 and "450.000\xa0₫" in page

    sent = checkout(client, "/gio-hang", email=BUYER, note="Giao buổi sáng")
    assert sent.status_code == 200
    assert sent.headers["Referrer-Policy"] == "no-referrer"
    first, second = tokens = tokens_of(sent)
    assert len(set(tokens)) == 2
    placed = all_orders()
    assert [o.producer_id for o in placed] == [nuts.producer_id, tea.producer_id]
    nuts_order, tea_order = placed
    assert [(i.product_name, i.quantity, i.unit_price_vnd) for i in nuts_order.items] == [
        ("Hạt dẻ Trùng Khánh", 3, 150_000)
    ]
    assert nuts_order.total_vnd == 450_000 and not nuts_order.has_unpriced
    assert tea_order.total_vnd == 0 and tea_order.has_unpriced
    assert nuts_order.buyer_phone == "0912345678" and nuts_order.ward_name
    assert nuts_order.token_hash == orders.token_hash(first)
    assert first not in str([o.token_hash for o in placed])

    [to_nuts] = mail_to(nuts_seller.email)
    [to_tea] = mail_to(tea_seller.email)
    assert "Hạt dẻ" in to_nuts.body and "Chè" not in to_nuts.body
    assert "Chè Shan tuyết" in to_tea.body and "Hạt dẻ" not in to_tea.body
    assert f"/co-so-cua-toi/don-hang/{nuts_order.id}" in to_nuts.body
    [receipt] = mail_to(BUYER)
    assert first in receipt.body and second in receipt.body

    own = client.get(f"/don-hang/theo-doi/{first}")
    text = own.get_data(as_text=True)
    assert own.status_code == 200 and "Hạt dẻ Trùng Khánh" in text and "Chè Shan" not in text
    assert own.headers["Cache-Control"] == "private, no-store"
    assert own.headers["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in text
    assert "Giao buổi sáng" in text
    other = client.get(f"/don-hang/theo-doi/{second}").get_data(as_text=True)
    assert "Chè Shan tuyết" in other and "Hạt dẻ Trùng Khánh" not in other
    assert "Giỏ hàng đang trống" in client.get("/gio-hang").get_data(as_text=True)


def test_producer_moves_requests_through_their_statuses(client, login_as, two_shops):
    (nuts, seller), _ = two_shops
    add(client, nuts)
    token = tokens_of(checkout(client, product_url(nuts), email=BUYER))[0]
    [order] = all_orders()
    login_as(seller)
    inbox = client.get("/co-so-cua-toi/don-hang").get_data(as_text=True)
    assert order.code in inbox and "Chị Lan" in inbox
    assert "Yêu cầu đặt hàng" in client.get("/co-so-cua-toi/").get_data(as_text=True)
    new_only = client.get("/co-so-cua-toi/don-hang?trang-thai=new").get_data(as_text=True)
    assert order.code in new_only
    done = client.get("/co-so-cua-toi/don-hang?trang-thai=delivered").get_data(as_text=True)
    assert order.code not in done

    assert step(client, order.id, "delivered").status_code == 422  # not before confirming
    assert step(client, order.id, "<script>").status_code == 422
    refused = step(client, order.id, "cancelled")  # a reason is owed to the buyer
    assert refused.status_code == 422 and "lý do hủy" in refused.get_data(as_text=True)
    assert step(client, order.id, "confirmed", "Sẽ giao thứ Bảy.").status_code == 302
    page = client.get(f"/don-hang/theo-doi/{token}").get_data(as_text=True)
    assert "Cơ sở đã xác nhận" in page and "Sẽ giao thứ Bảy." in page
    assert "Sẽ giao thứ Bảy." in mail_to(BUYER)[-1].body
    assert step(client, order.id, "new").status_code == 422
    assert step(client, order.id, "delivered").status_code == 302
    # Final: the page offers no next step (so no version to send: stale, 409), and even a
    # post at the current version is refused.
    assert step(client, order.id, "cancelled", "Muộn").status_code == 409
    current = {"status": "cancelled", "note": "Muộn", "version": str(all_orders()[0].version)}
    assert post_form(client, f"/co-so-cua-toi/don-hang/{order.id}", current).status_code == 422
    assert all_orders()[0].status == "delivered"
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "order")
    ).all()
    assert actions == ["order.confirmed", "order.delivered"]


# -- validation --------------------------------------------------------------------------------


PHONES = [
    ("0912345678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("024 3825 1234", "02438251234"),
]
BAD_DETAILS = [
    ({"phone": "12345"}, "Số điện thoại không đúng"),
    ({"phone": "mot hai ba bon"}, "Số điện thoại không đúng"),
    ({"name": ""}, "Vui lòng điền mục này."),
    ({"email": "khong-phai-email"}, "Địa chỉ e-mail không hợp lệ."),
    ({"ward_code": "999999999"}, "Vui lòng chọn phường, xã thuộc tỉnh đã chọn."),
    ({"province_id": "abc"}, "Vui lòng điền mục này."),
    ({"note": "x" * 1001}, "Tối đa 1000 ký tự."),
]


def test_vietnamese_phone_formats_are_accepted(client, two_shops):
    (nuts, _), _ = two_shops
    for typed, _stored in PHONES:
        add(client, nuts)
        assert checkout(client, product_url(nuts), phone=typed).status_code == 200
    assert [o.buyer_phone for o in all_orders()] == [stored for _, stored in PHONES]


def test_bad_details_are_refused_with_422_and_the_cart_kept(client, two_shops):
    (nuts, _), _ = two_shops
    add(client, nuts)
    for values, error in BAD_DETAILS:
        response = checkout(client, product_url(nuts), address="Ngõ 5 Hàng Bạc", **values)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and error in page, values
        assert 'value="Ngõ 5 Hàng Bạc"' in page and "Hạt dẻ Trùng Khánh" in page
    assert count(OrderRequest) == 0


def test_choosing_a_province_without_javascript_lists_its_wards(client, two_shops):
    (nuts, _), _ = two_shops
    add(client, nuts)
    response = checkout(client, product_url(nuts), action="chon-tinh", ward_code="", name="An")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Đã hiện danh sách phường, xã" in page
    assert "Hoàn Kiếm" in page and 'value="An"' in page
    assert count(OrderRequest) == 0


def test_an_empty_cart_sends_nothing(client, two_shops):
    (nuts, _), _ = two_shops
    response = checkout(client, product_url(nuts))
    assert response.status_code == 422 and count(OrderRequest) == 0


# -- spam ---------------------------------------------------------------------------------------


def test_a_filled_honeypot_looks_sent_but_stores_and_sends_nothing(client, two_shops):
    (nuts, _), _ = two_shops
    add(client, nuts)
    mails = count(MailMessage)
    response = checkout(client, product_url(nuts), website="http://spam.example")
    assert response.status_code == 200 and "Đã gửi yêu cầu đặt hàng" in response.get_data(
        as_text=True
    )
    assert count(OrderRequest) == 0 and count(MailMessage) == mails
    [token] = tokens_of(response)
    assert client.get(f"/don-hang/theo-doi/{token}").status_code == 404


def test_the_rate_limit_answers_429_in_vietnamese(app, client, two_shops):
    (nuts, _), _ = two_shops
    assert app.config["ORDER_RATE"] == "10 per hour; 30 per day"
    app.config["ORDER_RATE"] = "1 per hour"
    add(client, nuts)
    assert checkout(client, product_url(nuts), phone="12345").status_code == 422  # not counted
    assert checkout(client, product_url(nuts)).status_code == 200
    add(client, nuts)
    blocked = checkout(client, product_url(nuts))
    html = blocked.get_data(as_text=True)
    assert blocked.status_code == 429 and "Bạn đã gửi nhiều yêu cầu đặt hàng" in html
    assert "1 giờ" in html and blocked.headers.get("Retry-After")
    assert "Hạt dẻ" in client.get("/gio-hang").get_data(as_text=True)  # the cart is kept
    assert checkout(client, product_url(nuts), ip="198.51.100.9").status_code == 200
    assert count(OrderRequest) == 2


def test_a_blocked_number_is_refused_neutrally_and_other_producers_still_get_theirs(
    client, login_as, two_shops
):
    (nuts, seller), (tea, _) = two_shops
    add(client, nuts)
    checkout(client, product_url(nuts))
    [order] = all_orders()
    login_as(seller)
    url = f"/co-so-cua-toi/don-hang/{order.id}/chan-so"
    assert (
        post_form(client, url, {}, form_url=f"/co-so-cua-toi/don-hang/{order.id}").status_code
        == 302
    )
    assert count(BlockedPhone) == 1

    add(client, nuts)
    refused = checkout(client, product_url(nuts), phone="+84 912 345 678")
    assert refused.status_code == 422 and orders.NOT_ACCEPTED in refused.get_data(as_text=True)
    assert count(OrderRequest) == 1
    add(client, tea)
    split = checkout(client, product_url(nuts))
    assert split.status_code == 200 and len(tokens_of(split)) == 1
    assert "Chưa gửi được yêu cầu đến: HTX Hạt dẻ Trùng Khánh" in split.get_data(as_text=True)
    assert [o.producer_id for o in all_orders()] == [nuts.producer_id, tea.producer_id]
    assert "Hạt dẻ" in client.get("/gio-hang").get_data(as_text=True)  # kept for later

    blocked_id = db.session.scalar(select(BlockedPhone.id))
    unblock = f"/co-so-cua-toi/don-hang/so-bi-chan/{blocked_id}/bo-chan"
    assert post_form(client, unblock, {}, form_url="/co-so-cua-toi/don-hang").status_code == 302
    assert count(BlockedPhone) == 0
    assert checkout(client, product_url(nuts)).status_code == 200
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "order.block_phone" in actions and "order.unblock_phone" in actions
    assert "0912345678" not in str(db.session.scalars(select(AuditEntry.after)).all())


# -- who takes orders ---------------------------------------------------------------------------


def test_a_listing_only_producer_shows_its_contact_instead_of_the_form(client, login_as, app):
    listed, seller = shop(phone="0912000111")
    no_account, _ = shop("Miến dong", "HTX Miến dong", account=False)
    profiles.update_profile(seller, {"accepts_orders": False})
    for item in (listed, no_account):
        page = client.get(product_url(item)).get_data(as_text=True)
        assert "/gio-hang/them" not in page and "chưa nhận đặt hàng qua Chợ Việt" in page
        response = add(client, item)
        assert response.status_code == 422 and "không nhận đặt hàng" in response.get_data(
            as_text=True
        )
    assert "tel:0912000111" in client.get(product_url(listed)).get_data(as_text=True)
    login_as(seller)
    assert 'name="accepts_orders"' in client.get("/co-so-cua-toi/ho-so").get_data(as_text=True)


def test_products_that_stop_taking_orders_leave_the_cart_politely(client, two_shops):
    (nuts, _), (tea, _) = two_shops
    add(client, nuts)
    add(client, tea)
    with write_transaction():
        db.session.get(Producer, tea.producer_id).accepts_orders = False
    page = client.get("/gio-hang").get_data(as_text=True)
    assert "Đã bỏ khỏi giỏ hàng" in page and "Chè Shan tuyết Hà Giang" in page
    assert page.count('class="cart-group"') == 1
    with write_transaction():
        db.session.get(Producer, nuts.producer_id).status = "suspended"
    assert checkout(client, product_url(tea)).status_code == 422
    assert count(OrderRequest) == 0


# -- cart editing and hostile input ------------------------------------------------------------


def test_quantities_change_and_lines_go(client, two_shops):
    (nuts, _), (tea, _) = two_shops
    add(client, nuts)
    add(client, tea)
    edit = "/gio-hang/sua"
    data = {"product_id": nuts.id, "quantity": "7", "action": "sua"}
    assert post_form(client, edit, data, form_url="/gio-hang").status_code == 302
    assert 'value="7"' in client.get("/gio-hang").get_data(as_text=True)
    bad = post_form(client, edit, {**data, "quantity": "-1"}, form_url="/gio-hang")
    assert bad.status_code == 422 and "Số lượng là số nguyên từ 1 đến 9999" in bad.get_data(
        as_text=True
    )
    gone = {"product_id": tea.id, "action": "xoa"}
    assert post_form(client, edit, gone, form_url="/gio-hang").status_code == 302
    page = client.get("/gio-hang").get_data(as_text=True)
    assert "Chè Shan" not in page and "Hạt dẻ" in page


def test_bad_quantities_are_refused_on_the_product_page(client, two_shops):
    (nuts, _), _ = two_shops
    for quantity in ("0", "-1", "1000000000", "abc", "1.5", "", "١٢", "<b>3</b>"):
        response = add(client, nuts, quantity)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "form-group-error" in page, quantity
        assert "<b>3</b>" not in page
    assert "Giỏ hàng đang trống" in client.get("/gio-hang").get_data(as_text=True)


def test_unknown_products_and_tampered_sessions_are_ignored(app, client, two_shops):
    (nuts, _), _ = two_shops
    data = {"product_id": "999999", "quantity": "1"}
    assert post_form(client, "/gio-hang/them", data, form_url=product_url(nuts)).status_code == 404
    with client.session_transaction() as session:
        session["cart"] = {"999999": 2, "abc": 1, str(nuts.id): "x", "-3": 5, "7": True}
    page = client.get("/gio-hang")
    assert page.status_code == 200 and "Giỏ hàng đang trống" in page.get_data(as_text=True)
    with client.session_transaction() as session:
        session["cart"] = ["not", "a", "dict"]
    assert client.get("/gio-hang").status_code == 200
    client.set_cookie("session", "eyJjYXJ0Ijp7IjEiOjk5OTl9fQ.forged.signature")
    assert client.get("/gio-hang").status_code == 200
    add(client, nuts)
    assert checkout(client, "/gio-hang").status_code == 200


def test_script_tags_are_stored_as_text_and_shown_escaped(client, login_as, two_shops):
    (nuts, seller), _ = two_shops
    add(client, nuts)
    hostile = '<script>alert("x")</script>'
    sent = checkout(
        client, "/gio-hang", name=hostile, address="<img src=x onerror=alert(1)>", note=hostile
    )
    token = tokens_of(sent)[0]
    page = client.get(f"/don-hang/theo-doi/{token}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page
    login_as(seller)
    order = all_orders()[0]
    for url in (f"/co-so-cua-toi/don-hang/{order.id}", "/co-so-cua-toi/don-hang"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_missing_csrf_tokens_are_refused(client, login_as, two_shops):
    (nuts, seller), _ = two_shops
    assert (
        client.post("/gio-hang/them", data={"product_id": nuts.id, "quantity": "1"}).status_code
        == 400
    )
    add(client, nuts)
    checkout(client, "/gio-hang")
    assert client.post("/gio-hang/dat-hang", data={"name": "x"}).status_code == 400
    assert client.post("/gio-hang/sua", data={"product_id": nuts.id}).status_code == 400
    login_as(seller)
    order = all_orders()[0]
    url = f"/co-so-cua-toi/don-hang/{order.id}"
    assert client.post(url, data={"status": "confirmed"}).status_code == 400
    assert client.post(url + "/chan-so").status_code == 400
    assert all_orders()[0].status == "new" and count(OrderRequest) == 1


def test_a_producer_sees_and_acts_on_its_own_requests_only(client, login_as, two_shops):
    (nuts, _), (_, tea_seller) = two_shops
    add(client, nuts)
    checkout(client, "/gio-hang")
    order = all_orders()[0]
    login_as(tea_seller)
    assert order.code not in client.get("/co-so-cua-toi/don-hang").get_data(as_text=True)
    url = f"/co-so-cua-toi/don-hang/{order.id}"
    assert client.get(url).status_code == 404
    inbox = "/co-so-cua-toi/don-hang"
    assert post_form(client, url, {"status": "confirmed"}, form_url=inbox).status_code == 404
    assert post_form(client, url + "/chan-so", {}, form_url=inbox).status_code == 404
    assert client.get("/co-so-cua-toi/don-hang/999999").status_code == 404
    assert all_orders()[0].status == "new" and count(BlockedPhone) == 0
    login_as("official")
    assert client.get(url).status_code == 403


def test_unknown_or_garbled_tokens_are_not_found(client, app):
    for token in ("khong-co", "x" * 500, "%3Cscript%3E"):
        response = client.get(f"/don-hang/theo-doi/{token}")
        assert response.status_code == 404
        assert response.headers["Cache-Control"] == "private, no-store"
