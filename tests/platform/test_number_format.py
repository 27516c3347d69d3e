"""Prices and counts written one way per language (issue 14.8): Vietnamese 150.000 ₫ and
1.234, English 150,000 ₫ and 1,234 (symbol after the amount in both), chosen from the
request's language or the one a mail forces, from one module (platform/number_format.py)."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_babel import force_locale, refresh
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Product
from catalog.platform.number_format import format_decimal, format_number, format_vnd

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "price", "count", "decimal"),
    [
        ("vi", f"150.000{NBSP}₫", "1.234.567", "12.345,7"),
        ("en", f"150,000{NBSP}₫", "1,234,567", "12,345.7"),
    ],
)
def test_one_format_per_language(language, price, count, decimal):
    assert format_vnd(150_000, language) == price
    assert format_number(1_234_567, language) == count
    assert format_decimal(12345.67, 1, language) == decimal
    assert format_vnd(0, language) == f"0{NBSP}₫"
    assert format_vnd(None, language) == "" and format_number(None, language) == ""


def test_outside_a_request_numbers_are_vietnamese():
    assert format_vnd(1_500_000) == f"1.500.000{NBSP}₫"
    assert format_number(999) == "999"


def test_an_unknown_language_is_written_as_vietnamese():
    assert format_vnd(150_000, "fr") == f"150.000{NBSP}₫"


def test_the_filters_follow_the_request_and_a_forced_locale(app):
    template = "{{ 150000|vnd }} · {{ 12345|num }}"
    with app.test_request_context("/?hl=en"):
        refresh()  # the locale is cached on the app context the fixture keeps
        assert render_template_string(template) == f"150,000{NBSP}₫ · 12,345"
        with force_locale("vi"):  # a mail to a producer, sent while an English page renders
            assert format_vnd(150_000) == f"150.000{NBSP}₫"
    with app.test_request_context("/"):
        refresh()
        assert render_template_string(template) == f"150.000{NBSP}₫ · 12.345"


def _priced_product() -> Product:
    stmt = select(Product).where(Product.status == "published", Product.price_vnd >= 1000)
    product = db.session.scalars(stmt).first()
    assert product is not None
    return product


def test_product_page_prices_in_both_languages(demo_client):
    product = _priced_product()
    price = product.price_vnd
    vietnamese = demo_client.get(f"/san-pham/{product.slug}?hl=vi").get_data(as_text=True)
    english = demo_client.get(f"/san-pham/{product.slug}?hl=en").get_data(as_text=True)
    demo_client.get("/?hl=vi")
    assert f"{price:,}".replace(",", ".") + f"{NBSP}₫" in vietnamese
    assert f"{price:,}{NBSP}₫" in english
    assert f"{price:,}".replace(",", ".") + f"{NBSP}₫" not in english


def test_listing_prices_and_counts_in_english(demo_client):
    html = demo_client.get("/san-pham?hl=en").get_data(as_text=True)
    demo_client.get("/?hl=vi")
    prices = re.findall(r"([\d.,]+)" + NBSP + "₫", html)
    assert prices, "no prices on the listing"
    assert all("." not in p for p in prices), prices  # 45,000 ₫, never 45.000 ₫
    assert re.search(r'results-count">\d[\d,]* products? ', html)
