"""Light pages (issue 14, point 5): every public page type, opened for the first time on a
390-px phone at device pixel ratio 2 and scrolled to the bottom, transfers at most 300 KB
(HTML, CSS, JS, fonts and images together, headers included).

Bytes are counted from Chromium's own network events (CDP `Network.loadingFinished`
`encodedDataLength`: what went over the wire, after compression), in a fresh context with an
empty cache for each page. The demo catalogue gives the pages real photos and a full 24-card
listing. Byte counts do not depend on the machine's speed, so this is a test, not a timing.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Campaign, Producer, Product, Story
from tests.page_checks import live_browser

BUDGET = 300 * 1024
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def public_pages(demo_app: Flask) -> dict[str, str]:
    """One URL per public page type, with the demo catalogue's content."""
    with demo_app.app_context():
        product = db.session.scalars(
            select(Product).where(Product.province_recorded_as.is_not(None))
        ).first()
        producer = db.session.scalars(select(Producer).where(Producer.products.any())).first()
        campaign = db.session.scalars(select(Campaign)).first()
        story = db.session.scalars(select(Story)).first()
        assert product and producer and campaign and story
        urls = {
            "home": "/",
            "listing": "/san-pham",
            "search": "/tim-kiem?q=ca+phe",
            "product": f"/san-pham/{product.slug}",
            "producer": f"/co-so/{producer.slug}",
            "province": "/tinh/ha-noi",
            "category": f"/nhom/{product.category.slug}",
            "campaigns": "/chuong-trinh",
            "campaign": f"/chuong-trinh/{campaign.slug}",
            "stories": "/tin-tuc",
            "story": f"/tin-tuc/{story.slug}",
            "cart": "/gio-hang",
            "complaint": f"/phan-anh/san-pham/{product.id}",
        }
        db.session.remove()
    return urls


def transferred_bytes(browser: Any, url: str) -> tuple[int, dict[str, int]]:
    """Bytes over the wire for a first visit to `url` scrolled to the bottom, and the bytes
    of each resource (by URL) for the failure message."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    try:
        response = page.goto(url, wait_until="networkidle")
        assert response is not None and response.ok, (url, response and response.status)
        # Step down one screen at a time, so lazy images load as a person scrolling would.
        for _ in range(60):
            at_bottom = page.evaluate(
                "() => { window.scrollBy(0, window.innerHeight);"
                " return window.innerHeight + window.scrollY >= document.body.scrollHeight - 2; }"
            )
            page.wait_for_timeout(50)
            if at_bottom:
                break
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    per_url = {urls.get(rid, rid): size for rid, size in sizes.items()}
    return sum(sizes.values()), per_url


def test_every_public_page_is_light_on_a_phone(demo_app: Flask, public_pages: dict[str, str]):
    heavy = {}
    totals = {}
    with live_browser(demo_app) as (browser, base):
        for name, path in public_pages.items():
            total, per_url = transferred_bytes(browser, base + path)
            totals[name] = total
            if total > BUDGET:
                biggest = sorted(per_url.items(), key=lambda kv: -kv[1])[:6]
                heavy[name] = (total, [(u.removeprefix(base), s) for u, s in biggest])
    print({name: round(total / 1024, 1) for name, total in totals.items()})
    assert heavy == {}, heavy
