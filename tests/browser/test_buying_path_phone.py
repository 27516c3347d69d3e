"""The buying path on a 390×844 phone in Chromium (issue 14.4): "Thêm vào giỏ hàng" is on
the first screen, pressing it keeps the buyer on the page with a spoken confirmation and the
header's count, the bar at the bottom follows once the actions scroll away, and the
checkout's ward list follows the province, with a filter for long lists."""

from __future__ import annotations

import re

from catalog.platform import reference
from tests.factories import province
from tests.orders.support import shop
from tests.page_checks import live_browser, open_page

PHONE = (390, 844)


def test_adding_to_the_cart_on_a_phone_stays_on_the_page(app):
    with app.app_context():
        product, _ = shop(phone="0912345678")
        url = f"/san-pham/{product.slug}"
        name = product.name
        ha_noi = province("Hà Nội").id
        wards = len(reference.wards_of(ha_noi))
    with live_browser(app) as (browser, base):
        page = open_page(browser, base, PHONE)
        page.goto(base + url, wait_until="networkidle")
        button = page.get_by_role("button", name="Thêm vào giỏ hàng").first
        box = button.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE[1], box
        zalo = page.locator(".buy-actions a[href='https://zalo.me/0912345678']").bounding_box()
        assert zalo is not None and zalo["y"] + zalo["height"] <= PHONE[1], zalo
        # Chromium puts a space before the visually hidden part: "Giỏ hàng , 1 sản phẩm".
        assert (
            page.get_by_role("link", name=re.compile(r"^Giỏ hàng ?, chưa có sản phẩm$")).count()
            == 1
        )

        page.fill("#dat-hang-so-luong", "2")
        button.click()
        status = page.locator("[data-cart-status]")
        status.filter(has_text=name).wait_for()
        assert page.url == base + url  # no navigation
        assert "Đã thêm 2 ×" in status.text_content()
        assert page.locator("[data-cart-count]").text_content() == "1"
        assert page.get_by_role("link", name=re.compile(r"^Giỏ hàng ?, 1 sản phẩm$")).count() == 1
        assert page.locator("[data-cart-link]").is_visible()

        page.fill("#dat-hang-so-luong", "0")
        button.click()
        page.locator(".order-status-error").filter(has_text="1 đến 9999").wait_for()
        assert page.locator("#dat-hang-so-luong").get_attribute("aria-invalid") == "true"
        assert page.locator("[data-cart-count]").text_content() == "1"

        bar = page.locator("[data-sticky-actions]")
        assert bar.is_hidden()
        page.locator(".product-description, .product-qr").last.scroll_into_view_if_needed()
        bar.wait_for(state="visible")

        page.goto(base + "/gio-hang", wait_until="networkidle")
        assert page.locator("button[value='chon-tinh']").count() == 0  # the script fetches
        page.select_option("#dh-tinh", str(ha_noi))
        page.locator("#dh-phuong-xa option").nth(wards).wait_for(state="attached")
        page.fill("#dh-phuong-xa-loc", "hoan kiem")
        options = page.locator("#dh-phuong-xa option").all_text_contents()
        assert options[1:] == ["Phường Hoàn Kiếm"], options
        page.context.close()
