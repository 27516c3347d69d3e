"""Issue 14.3 in Chromium: picking an autocomplete suggestion opens what it names (a product
by mouse, a producer by keyboard); the search page then lists the producer above the
products, at phone width. Chromium missing is a failure, never a skip."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from catalog.platform import search_sync
from tests.factories import create_producer, create_published_product
from tests.journeys.support import chromium, journey, settled

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PRODUCT = "Miến dong Nguyên Bình"
MAKER = "HTX Miến dong Hồng Phúc"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as running:
        yield running


def _catalogue() -> None:
    producer = create_producer(MAKER)
    create_published_product(PRODUCT, producer=producer)
    create_published_product("Miến dong sấy khô", producer=producer)
    search_sync.rebuild()


def test_picking_a_suggestion_opens_the_product_or_the_producer(app: Flask, browser: Any) -> None:
    settled(_catalogue)
    with journey(app, browser, "autocomplete", "phone") as trip:
        page = trip.page
        trip.go("/san-pham")  # the header's box (the home page has a search box of its own)
        box = page.get_by_role("combobox", name="Tìm sản phẩm, đặc sản, cơ sở")
        box.press_sequentially("mien dong nguyen")
        page.get_by_role("option", name=PRODUCT).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(PRODUCT)
        assert "/san-pham/" in page.url

        trip.go("/san-pham")
        box.press_sequentially("hong phuc")
        expect(page.get_by_role("option", name=MAKER)).to_be_visible()
        for _ in range(page.get_by_role("option").count()):
            box.press("ArrowDown")
            if "Hồng Phúc" in (page.locator("[aria-selected=true]").text_content() or ""):
                break
        box.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(MAKER)
        assert "/co-so/" in page.url

        trip.go("/tim-kiem?q=mien+dong+hong+phuc")
        expect(page.locator(".producer-matches")).to_contain_text(MAKER)
        trip.check("search-producers")
        trip.assert_clean()
