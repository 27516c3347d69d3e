"""Every page type is valid HTML (W3C Nu checker) and passes axe-core with no serious or
critical violation, at desktop width and on a 390-px phone. Screenshots of each are kept
under tests/artifacts/ for a person to look at.

The tools come from npm (tests/browser, installed by `make test`) and Debian (Chromium,
Java; installed by .ci/run). When one is missing the tests fail with a clear message: a
skipped accessibility check would hide a regression.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Category, Producer, Product
from tests.page_checks import VIEWPORTS, browser_page_problems, html_problems, rendered


@pytest.fixture(scope="module")
def page_urls(demo_app: Flask) -> dict[str, str]:
    """One URL per page type, with real content from the demo catalogue."""
    with demo_app.app_context():
        product = db.session.scalars(
            select(Product).where(Product.province_recorded_as.is_not(None))
        ).first()
        producer = db.session.scalars(select(Producer).where(Producer.products.any())).first()
        category = db.session.scalars(select(Category)).first()
        urls = {
            "home": "/",
            "products": "/san-pham?sao=4&sap-xep=sao",
            "product": f"/san-pham/{product.slug}",
            "producer": f"/co-so/{producer.slug}",
            "province": "/tinh/bac-ninh",
            "province-old-name": "/tinh/bac-ninh?tu=bac-giang",  # after /tinh/bac-giang
            "province-ten-cu": "/tinh/bac-ninh?ten-cu=bac-giang",
            "products-region": "/san-pham?vung=tay-nguyen&tinh=cao-bang",
            "search-region": "/tim-kiem?q=ca+phe&vung=tay-nguyen",
            "category": f"/nhom/{category.slug}",
            "search": "/tim-kiem?q=ca+phe",
            "search-producers": "/tim-kiem?q=dac+san",  # producers above the products
            "search-empty": "/tim-kiem?q=khongcogiheta",
            "not-found": "/khong-co-trang-nay",
            "register": "/tai-khoan/dang-ky",
            "login": "/tai-khoan/dang-nhap",
        }
        db.session.remove()
    return urls


STATUSES = {"not-found": 404}


def test_every_page_type_is_valid_html(demo_app: Flask, page_urls: dict[str, str], tmp_path):
    documents = rendered(demo_app.test_client(), page_urls, statuses=STATUSES)
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_pass_axe_and_fit_the_screen(
    demo_app: Flask, page_urls: dict[str, str], viewport: str
):
    failures = browser_page_problems(
        demo_app, page_urls, statuses=STATUSES, viewports={viewport: VIEWPORTS[viewport]}
    )
    assert failures == []
