"""The listing pages (/san-pham, /tinh/…, /nhom/…) offer the consumers' positive filters
as search does (issue 14.1, 14.6): "Đang có hàng", "Đã xác minh", "Địa chỉ tin cậy",
"Chứng nhận OCOP còn hiệu lực", each with how many products it keeps; a negative value is
refused, never ignored."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from catalog.extensions import db
from catalog.models import Producer, Product
from catalog.models.seasons import available_expr
from catalog.models.visibility import public_products
from catalog.platform.clock import local_month

RULES = {
    "con-hang": lambda: available_expr(local_month()),
    "xac-minh": lambda: Producer.verified.is_(True),
    "tin-cay": lambda: Producer.trusted.is_(True),
    "chung-nhan": lambda: Product.public_stars_expr().is_not(None),
}


def expected(rule) -> int:  # type: ignore[no-untyped-def]
    sub = public_products().where(rule()).with_only_columns(Product.id).subquery()
    return db.session.scalar(select(func.count()).select_from(sub)) or 0


def total_on(html: str) -> int:
    match = re.search(r'class="results-count">([\d.]+) sản phẩm', html)
    assert match, "no results count"
    return int(match.group(1).replace(".", ""))


@pytest.mark.parametrize("param", list(RULES))
def test_each_filter_keeps_what_it_says_and_shows_its_count(demo_client, param):
    want = expected(RULES[param])
    assert 0 < want < expected(lambda: Product.id.is_not(None))  # a real narrowing
    page = demo_client.get("/san-pham").get_data(as_text=True)
    box = re.search(rf'name="{param}" value="true"> [^<]+ <span class="count">([\d.]+)<', page)
    assert box and int(box.group(1).replace(".", "")) == want
    filtered = demo_client.get(f"/san-pham?{param}=true")
    assert filtered.status_code == 200
    html = filtered.get_data(as_text=True)
    assert total_on(html) == want and f'name="{param}" value="true" checked' in html


def test_filters_combine_on_a_province_page(demo_client):
    html = demo_client.get("/tinh/ha-noi?tin-cay=true&con-hang=true").get_data(as_text=True)
    with_both = public_products().where(RULES["tin-cay"](), RULES["con-hang"]())
    sub = with_both.where(Product.province.has(slug="ha-noi")).with_only_columns(Product.id)
    assert total_on(html) == db.session.scalar(select(func.count()).select_from(sub.subquery()))


@pytest.mark.parametrize("url", ["/san-pham?xac-minh=false", "/nhom/thuc-pham?tin-cay=khong"])
def test_a_negative_value_is_refused(demo_client, url):
    response = demo_client.get(url)
    assert response.status_code == 400 and "chỉ lọc được" in response.get_data(as_text=True)
