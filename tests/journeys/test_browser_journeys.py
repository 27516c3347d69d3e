"""Issue 7's browser journeys, in Debian's Chromium at desktop and phone widths: a buyer
searches without accents and sends an order request; a producer registers, confirms its
address, fills its profile and submits a listing with a photo; an official approves a new
producer and its listing, which then shows in the public search.

Each person uses the pages as a person would (labels, roles and button names, not CSS
selectors), so the journeys double as a check that the forms are labelled. Every main page
passes axe-core with no serious or critical violation and does not scroll sideways; no page
logs a script error (a Content-Security-Policy violation included). Screenshots of each
step go to tests/artifacts/journeys/. Chromium missing is a failure, never a skip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from catalog.extensions import db
from catalog.listings import listings
from catalog.models import OrderRequest, Product, User
from catalog.platform import search_sync
from tests.factories import PASSWORD, create_user
from tests.journeys.support import chromium, journey, link_path, mail_to, read, settled
from tests.listings.support import cao_bang_ward, draft, jpeg, owner
from tests.orders.support import shop
from tests.page_checks import VIEWPORTS

# `browser`: the PostgreSQL pass of `make test` leaves these out (see the Makefile).
pytestmark = [pytest.mark.slow, pytest.mark.browser]
SIZES = list(VIEWPORTS)

NUTS = "Hạt dẻ Trùng Khánh"
NUTS_MAKER = "HTX Hạt dẻ Trùng Khánh"
TEA = "Chè Shan tuyết Phìn Hồ"
NOODLES = "Miến dong Nguyên Bình"
NOODLES_MAKER = "HTX Miến dong Nguyên Bình"
NOODLES_TEXT = "Miến dong làm từ củ dong riềng Nguyên Bình, sợi dai, phơi nắng tự nhiên."


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as running:
        yield running


# -- the buyer ----------------------------------------------------------------------------------


def _two_shops() -> dict[str, Any]:
    """Two published products of two producers taking orders, indexed for search."""
    nuts, seller = shop(NUTS, NUTS_MAKER)
    shop(TEA, "HTX Chè Phìn Hồ", province_name="Tuyên Quang")
    values = {"producer_id": nuts.producer_id, "seller": seller.email}
    search_sync.rebuild()
    return values


@pytest.mark.parametrize("viewport", SIZES)
def test_buyer_searches_without_accents_and_sends_an_order_request(
    app: Flask, browser: Any, viewport: str
) -> None:
    data = settled(_two_shops)
    with journey(app, browser, "consumer", viewport) as trip:
        page = trip.page
        trip.go("/")
        trip.check("home")

        # One search box on every page, the header's (issue 14.4).
        page.get_by_label("Tìm sản phẩm, đặc sản, cơ sở").fill("hat de trung khanh")
        page.get_by_role("search").get_by_role("button", name="Tìm", exact=True).click()
        page.wait_for_url(re.compile(r"/tim-kiem\?"))
        results = page.get_by_role("main").get_by_role("article")
        expect_count(results, 1)
        assert TEA not in page.get_by_role("main").inner_text()
        trip.check("search")

        page.get_by_role("link").filter(
            has=page.get_by_role("heading", name=NUTS, exact=True)
        ).click()
        expect_heading(page, NUTS)
        trip.check("product")

        page.get_by_label("Số lượng").fill("2")
        page.get_by_role("button", name="Thêm vào giỏ hàng").click()
        # Issue 14.4: the buyer stays on the page, told so; the link under the button opens
        # the cart.
        expect_text(page.locator("[data-cart-status]"), "Đã thêm 2 ×")
        page.get_by_role("link", name="Xem giỏ hàng và gửi yêu cầu").click()
        expect_heading(page, "Giỏ hàng")
        trip.check("cart")

        page.get_by_label("Họ và tên người nhận").fill("Chị Nguyễn Thị Lan")
        page.get_by_label("Số điện thoại").fill("0912 345 678")
        page.get_by_label("Tỉnh, thành phố").select_option(label="Hà Nội")
        # With JavaScript the province's wards arrive by themselves (without, "Chọn tỉnh").
        ward = page.locator("#dh-phuong-xa")
        page.locator("#dh-phuong-xa option").nth(1).wait_for(state="attached")
        ward.select_option(index=1)
        assert page.get_by_label("Họ và tên người nhận").input_value() == "Chị Nguyễn Thị Lan"
        page.get_by_label("Địa chỉ nhận hàng").fill("12 Hàng Bạc")
        trip.shot("checkout-filled")
        page.get_by_role("button", name="Gửi yêu cầu đặt hàng").click()

        expect_heading(page, "Đã gửi yêu cầu đặt hàng")
        trip.check("sent")
        tracking = page.get_by_role("link", name=re.compile("theo-doi"))
        expect_count(tracking, 1)
        tracking.click()
        page.wait_for_url(re.compile(r"/don-hang/theo-doi/"))
        trip.check("tracking")
        assert NUTS in page.get_by_role("main").inner_text()
        trip.assert_clean()

    orders = read(
        lambda: [
            (o.producer_id, o.buyer_name, o.buyer_phone, o.address, o.code, o.items[0].quantity)
            for o in db.session.scalars(select(OrderRequest))
        ]
    )
    assert len(orders) == 1
    producer_id, name, phone, address, code, quantity = orders[0]
    assert (producer_id, name, phone, address, quantity) == (
        data["producer_id"],
        "Chị Nguyễn Thị Lan",
        "0912345678",
        "12 Hàng Bạc",
        2,
    )
    assert [subject for subject, _ in mail_to(data["seller"])] == [
        f"Chợ Việt: yêu cầu đặt hàng mới {code}"
    ]


# -- the producer -------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", SIZES)
def test_producer_registers_verifies_and_submits_a_listing_with_a_photo(
    app: Flask, browser: Any, viewport: str, tmp_path: Path
) -> None:
    email = f"htx.hatde.{viewport}@example.vn"
    secret = "Hat-de-Trung-Khanh-2026"
    ward_code, _ = settled(cao_bang_ward)
    photo = tmp_path / "hat-de.jpg"
    photo.write_bytes(jpeg())
    with journey(app, browser, "producer", viewport) as trip:
        page = trip.page
        trip.go("/tai-khoan/dang-nhap")
        page.get_by_role("link", name="Chưa có tài khoản? Đăng ký cơ sở sản xuất").click()
        expect_heading(page, "Đăng ký cơ sở sản xuất")
        trip.check("register")
        page.get_by_label("Tên cơ sở sản xuất").fill(NUTS_MAKER)
        page.get_by_label("Tỉnh, thành phố").select_option(label="Cao Bằng")
        page.get_by_label("Địa chỉ e-mail").fill(email)
        page.get_by_label("Mật khẩu", exact=True).fill(secret)
        page.get_by_label("Nhập lại mật khẩu").fill(secret)
        page.get_by_role("button", name="Đăng ký", exact=True).click()
        expect_heading(page, "Hãy kiểm tra hộp thư của bạn")
        trip.check("check-email")

        [(_, welcome)] = mail_to(email)
        trip.go(link_path(welcome, "/tai-khoan/xac-nhan-email/"))
        expect_heading(page, "Đăng nhập")
        assert "địa chỉ e-mail đã được xác nhận" in page.get_by_role("status").inner_text()
        trip.check("verified")

        page.get_by_label("Địa chỉ e-mail").fill(email)
        page.get_by_label("Mật khẩu", exact=True).fill(secret)
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        page.wait_for_url(re.compile(r"/co-so-cua-toi/$"))
        trip.check("dashboard")

        page.get_by_role("navigation", name="Khu vực cơ sở sản xuất").get_by_role(
            "link", name="Hồ sơ cơ sở"
        ).click()
        expect_heading(page, "Hồ sơ cơ sở")
        trip.check("profile")
        page.get_by_label("Loại hình").select_option(label="Hợp tác xã")
        page.get_by_label("Mã số thuế").fill("0100109106")
        page.get_by_label("Người đại diện").fill("Nông Văn Thành")
        page.get_by_label("Tỉnh, thành phố").select_option(label="Cao Bằng")
        page.get_by_label("Phường, xã, đặc khu").select_option(value=str(ward_code))
        page.get_by_label("Địa chỉ", exact=True).fill("Xóm Nà Đoỏng")
        page.get_by_label("Số điện thoại").fill("0912 345 678")
        trip.shot("profile-filled")
        page.get_by_role("button", name="Lưu hồ sơ").click()
        expect_text(page.get_by_role("status"), "Đã lưu hồ sơ cơ sở")
        trip.shot("profile-saved")

        page.get_by_role("navigation", name="Khu vực cơ sở sản xuất").get_by_role(
            "link", name="Thêm sản phẩm"
        ).click()
        expect_heading(page, "Thêm sản phẩm")
        trip.check("new-listing")
        page.get_by_label("Tên sản phẩm").fill(NUTS)
        page.get_by_label("Nhóm sản phẩm OCOP").select_option(label="Thực phẩm")
        page.get_by_label("Mô tả sản phẩm").fill(
            "Hạt dẻ Trùng Khánh rang củi, bùi thơm, thu hoạch vụ thu trên núi đá vôi."
        )
        page.get_by_label("Xuất xứ").select_option(label="Cao Bằng")
        page.get_by_label("Giá bán").fill("180.000")
        page.get_by_label("Đơn vị tính").fill("kg")
        page.get_by_label("Thêm ảnh sản phẩm").set_input_files(photo)
        trip.shot("listing-filled")
        page.get_by_role("button", name="Lưu bản nháp").click()
        expect_heading(page, NUTS)
        uploaded = page.get_by_role("region", name="Ảnh đã tải lên").get_by_role("listitem")
        expect_count(uploaded, 1)
        trip.check("draft")

        page.get_by_role("button", name="Gửi duyệt").click()
        expect_text(page.get_by_role("status"), "Đã gửi duyệt")
        trip.shot("submitted")
        trip.assert_clean()

    def state() -> tuple[Any, ...]:
        product = db.session.scalars(select(Product).where(Product.name == NUTS)).one()
        producer = product.producer
        return (
            product.status,
            len(product.images),
            product.price_vnd,
            producer.status,
            producer.ward_code,
            producer.representative,
            db.session.scalars(select(User.email).where(User.producer_id == producer.id)).all(),
        )

    assert read(state) == ("submitted", 1, 180_000, "pending", ward_code, "Nông Văn Thành", [email])


# -- the official -------------------------------------------------------------------------------


def _pending_producer_and_listing() -> dict[str, Any]:
    """A new producer of Cao Bằng (not yet approved) with a submitted listing, and an
    official of Cao Bằng who signs in with the factories' password."""
    person = owner(
        status="pending",
        name=NOODLES_MAKER,
        type="hop_tac_xa",
        representative="Hoàng Văn Dong",
        phone="0912000111",
        address="Xóm Nà Mạ",
    )
    product = listings.submit(person, draft(person, NOODLES, description=NOODLES_TEXT))
    official = create_user("official", provinces=("Cao Bằng",))
    return {"official": official.email, "product_id": product.id}


@pytest.mark.parametrize("viewport", SIZES)
def test_official_approves_a_producer_and_its_listing_which_then_shows_in_search(
    app: Flask, browser: Any, viewport: str
) -> None:
    data = settled(_pending_producer_and_listing)
    with journey(app, browser, "official", viewport) as trip:
        page = trip.page
        trip.go("/")
        search_site(page, "mien dong nguyen binh")
        expect_heading(page, "Kết quả cho “mien dong nguyen binh”")
        expect_count(page.get_by_role("main").get_by_role("article"), 0)
        trip.check("search-before")

        page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
            "link", name="Đăng nhập"
        ).click()
        page.get_by_label("Địa chỉ e-mail").fill(data["official"])
        page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        expect_heading(page, "Hồ sơ chờ duyệt")
        trip.check("queue")

        page.get_by_role(
            "link", name=re.compile(rf"^Xem xét .*: {re.escape(NOODLES_MAKER)}$")
        ).click()
        expect_heading(page, NOODLES_MAKER)
        trip.check("producer-review")
        decide(page)
        expect_text(page.get_by_role("status"), "Đã ghi nhận quyết định")
        trip.shot("queue-after-producer")

        page.get_by_role("link", name=re.compile(rf"^Xem xét .*: {re.escape(NOODLES)}$")).click()
        expect_heading(page, NOODLES)
        trip.check("listing-review")
        decide(page)
        expect_text(page.get_by_role("main"), "Không có hồ sơ nào chờ duyệt")
        trip.shot("queue-empty")

        search_site(page, "mien dong nguyen binh")
        page.get_by_role("main").get_by_role("link").filter(
            has=page.get_by_role("heading", name=NOODLES, exact=True)
        ).click()
        expect_heading(page, NOODLES)
        trip.check("product")
        trip.assert_clean()

    def state() -> tuple[str, str]:
        product = db.session.get(Product, data["product_id"])
        return product.status, product.producer.status

    assert read(state) == ("published", "active")


# -- small steps --------------------------------------------------------------------------------


def search_site(page: Any, text: str) -> None:
    """The search box in the header, as on every page."""
    box = page.get_by_role("search").get_by_role("combobox", name="Tìm sản phẩm, đặc sản, cơ sở")
    box.fill(text)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem\?"))


def decide(page: Any) -> None:
    """Approve the entry on the review page open."""
    page.get_by_role("radio", name="Duyệt", exact=True).check()
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect_heading(page, "Hồ sơ chờ duyệt")


def expect_heading(page: Any, name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def expect_count(locator: Any, n: int) -> None:
    expect(locator).to_have_count(n)


def expect_text(locator: Any, text: str) -> None:
    expect(locator.first).to_contain_text(text)
