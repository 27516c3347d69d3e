"""The page cache (catalog/serving/page_cache.py): anonymous public pages are served from
memory, and never once they are out of date, personal, or in the wrong language.

The test app keeps one app context (and so one database session) open across requests, where
production gets a fresh one per request; tests that write from elsewhere end the session's
read transaction first (`_next_request()`), as the end of a production request does.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.listings import listings
from catalog.models import Complaint, Product, SiteVersion, User
from catalog.promotion import featured
from catalog.review import moderation
from catalog.serving import page_cache
from tests.complaints.support import MESSAGE, complaint_url
from tests.conftest import close_app, make_app
from tests.forms import find_csrf_token
from tests.listings.support import official, owner, published

NAME = "Hạt dẻ Trùng Khánh"


def _get(client: Any, url: str, **kwargs: Any) -> Any:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _twice(client: Any, url: str) -> Any:
    """Open a page twice; the second time it must come from the cache."""
    first = client.get(url)
    assert first.headers["X-Cache"] == "miss"
    second = client.get(url)
    assert second.headers["X-Cache"] == "hit", url
    return second


def _next_request() -> None:
    db.session.commit()


def _store(app: Flask) -> page_cache.PageStore:
    store = page_cache.store_for(app)
    assert store is not None
    return store


@pytest.fixture
def seller(app: Flask) -> User:
    return owner()


@pytest.fixture
def product(seller: User) -> Product:
    return published(seller, NAME)


def test_second_anonymous_visit_is_served_from_the_cache(app, client, product):
    url = f"/san-pham/{product.slug}"
    first = _get(client, url)
    second = _get(client, url)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert NAME in second.get_data(as_text=True)
    # A hit gets the same headers a render does: security headers, request id, Vary.
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"):
        assert second.headers[name] == first.headers[name]
    assert (
        second.headers["X-Request-ID"]
        and second.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    )
    assert "Cookie" in second.headers["Vary"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]


def test_pages_outside_the_allow_list_and_other_methods_are_not_cached(app, client, product):
    assert "X-Cache" not in client.get("/gio-hang").headers
    assert "X-Cache" not in client.get("/robots.txt").headers
    client.get(f"/san-pham/{product.slug}")
    assert "X-Cache" not in client.head(f"/san-pham/{product.slug}").headers
    assert client.get("/san-pham/khong-co-san-pham-nay").headers["X-Cache"] == "miss"
    assert client.get("/san-pham/khong-co-san-pham-nay").status_code == 404


def test_an_approved_change_shows_on_the_very_next_product_page(app, client, seller, product):
    url = f"/san-pham/{product.slug}"
    _twice(client, url)
    listings.update(seller, product, {"description": "Mô tả mới: hạt to, bùi, thơm lừng."})
    moderation.approve_product(product.id, official=official())
    _next_request()
    response = _get(client, url)
    assert response.headers["X-Cache"] == "miss"
    assert "Mô tả mới: hạt to, bùi, thơm lừng." in response.get_data(as_text=True)


def test_a_hidden_listing_leaves_cached_product_and_search_pages_at_once(app, client, product):
    search = "/tim-kiem?q=hat+de+trung+khanh"
    assert f"/san-pham/{product.slug}" in _twice(client, search).get_data(as_text=True)
    _twice(client, f"/san-pham/{product.slug}")

    moderation.hide_product(product.id, official=official(), note="Đang xác minh phản ánh")
    _next_request()

    assert client.get(f"/san-pham/{product.slug}").status_code == 404
    response = _get(client, search)
    assert response.headers["X-Cache"] == "miss"
    assert f"/san-pham/{product.slug}" not in response.get_data(as_text=True)


def test_a_producer_hiding_a_listing_updates_the_search_page(app, client, seller, product):
    search = "/tim-kiem?q=hat+de"
    _twice(client, search)
    listings.unpublish(seller, product)
    _next_request()
    assert f"/san-pham/{product.slug}" not in _get(client, search).get_data(as_text=True)


def test_featuring_a_product_shows_on_the_next_home_page(app, client, product):
    other = published(owner(name="HTX Miến dong"), "Miến dong Nguyên Bình")
    home = _twice(client, "/").get_data(as_text=True)
    assert home.index(NAME) < home.index(other.name)  # no choice yet: the older one first

    featured.feature(official(), other.id)
    _next_request()

    response = _get(client, "/")
    assert response.headers["X-Cache"] == "miss"
    html = response.get_data(as_text=True)
    assert html.index(other.name) < html.index(NAME)


def test_a_write_by_another_process_invalidates(app, client, product, tmp_path):
    url, product_id = f"/san-pham/{product.slug}", product.id
    _twice(client, url)
    _next_request()
    other = make_app(tmp_path)  # a second app on the same database: another worker or host
    with other.app_context():
        with write_transaction():
            db.session.get(Product, product_id).description = "Viết từ máy chủ khác."
        close_app(other)
    _next_request()
    response = _get(client, url)
    assert response.headers["X-Cache"] == "miss"
    assert "Viết từ máy chủ khác." in response.get_data(as_text=True)
    assert _get(client, url).headers["X-Cache"] == "hit"


def test_every_write_transaction_bumps_the_site_version(app):
    before = db.session.scalar(select(SiteVersion.version))
    with write_transaction():
        pass
    with pytest.raises(RuntimeError), write_transaction():
        raise RuntimeError("rolled back: no bump")
    assert db.session.scalar(select(SiteVersion.version)) == before + 1


def test_signed_in_users_neither_get_nor_fill_the_cache(app, client, login_as, product):
    url = f"/san-pham/{product.slug}"
    client.get(url)  # anonymous: stored
    login_as("producer")
    for _ in range(2):
        response = _get(client, url)
        assert response.headers["X-Cache"] == "miss"
        assert "nav-account" in response.get_data(as_text=True)  # the signed-in header
    _store(app).clear()
    _get(client, url)
    assert len(_store(app)) == 0


def test_a_remember_me_cookie_bypasses_the_cache(app, client, product):
    url = f"/san-pham/{product.slug}"
    _twice(client, url)
    client.set_cookie("remember_token", "1|not-checked-here")
    assert client.get(url).headers["X-Cache"] == "miss"


def test_sessions_with_flash_messages_or_a_cart_are_never_served_or_stored(app, client, product):
    url = f"/san-pham/{product.slug}"
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Đã gửi phản ánh.")]
    response = _get(client, url)
    assert "Đã gửi phản ánh." in response.get_data(as_text=True)
    assert len(_store(app)) == 0  # the page showing the message was not kept
    _twice(client, url)  # the message is gone now: an ordinary page
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Tin nhắn thứ hai.")]
    response = _get(client, url)
    assert response.headers["X-Cache"] == "miss"
    assert "Tin nhắn thứ hai." in response.get_data(as_text=True)
    with client.session_transaction() as session:
        session["cart"] = f"{product.id}:1"
    assert client.get(url).headers["X-Cache"] == "miss"


def test_english_and_vietnamese_pages_are_kept_apart(app, client, product):
    url = f"/san-pham/{product.slug}"
    _twice(client, url)
    english = client.get(url + "?hl=en")
    assert english.headers["X-Cache"] == "miss"
    assert '<html lang="en">' in english.get_data(as_text=True)
    # The ?hl=en answer set the language cookie: it is not stored, but with the cookie the
    # plain address is the English page, kept apart from the Vietnamese one.
    response = client.get(url)
    assert response.headers["X-Cache"] == "miss"
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert client.get(url).headers["X-Cache"] == "hit"
    client.delete_cookie("hl")
    response = client.get(url)
    assert response.headers["X-Cache"] == "hit"
    assert '<html lang="vi">' in response.get_data(as_text=True)


def test_a_form_on_a_cached_page_carries_the_visitors_own_token(app, product):
    url = f"/san-pham/{product.slug}"
    first, visitor, stranger = app.test_client(), app.test_client(), app.test_client()
    first_token = find_csrf_token(_get(first, url).get_data(as_text=True))
    cached = _get(visitor, url)
    assert cached.headers["X-Cache"] == "hit"
    token = find_csrf_token(cached.get_data(as_text=True))
    assert token and token != first_token
    assert "session=" in cached.headers.get("Set-Cookie", "")  # as a render sets it

    data = {"kind": "counterfeit", "message": MESSAGE}
    refused = stranger.post(complaint_url(product), data={**data, "csrf_token": token})
    assert refused.status_code == 400  # another session's token
    accepted = visitor.post(complaint_url(product), data={**data, "csrf_token": token})
    assert accepted.status_code in (200, 302, 303)
    db.session.expire_all()
    assert db.session.scalar(select(Complaint.product_id)) == product.id


def test_entries_expire_after_their_maximum_age(app, client, product, monkeypatch):
    store = _store(app)
    now = [1000.0]
    monkeypatch.setattr(store, "clock", lambda: now[0])
    url = f"/san-pham/{product.slug}"
    _twice(client, url)
    now[0] += store.ttl_s - 1
    assert client.get(url).headers["X-Cache"] == "hit"
    now[0] += 2
    assert client.get(url).headers["X-Cache"] == "miss"
    assert client.get(url).headers["X-Cache"] == "hit"


def test_a_new_day_in_vietnam_is_a_new_page(app, client, product, monkeypatch):
    from datetime import date

    url = f"/san-pham/{product.slug}"
    _twice(client, url)
    monkeypatch.setattr(page_cache, "local_today", lambda: date(2031, 1, 1))
    assert client.get(url).headers["X-Cache"] == "miss"
    assert client.get(url).headers["X-Cache"] == "hit"


def test_the_store_is_bounded_by_bytes():
    store = page_cache.PageStore(max_bytes=10_000, ttl_s=60, clock=lambda: 0.0)
    for n in range(10):
        entry = page_cache.Entry(b"x" * 2_000, (), 1, 0.0, False)
        store.put(("h", f"/{n}", b"", "vi", None), entry)  # type: ignore[arg-type]
    assert store.bytes <= 10_000 and len(store) == 4
    assert store.get(("h", "/9", b"", "vi", None), 1) is not None  # type: ignore[arg-type]
    assert store.get(("h", "/0", b"", "vi", None), 1) is None  # type: ignore[arg-type]
    assert store.get(("h", "/9", b"", "vi", None), 2) is None  # type: ignore[arg-type]
    assert len(store) == 0  # a newer version frees everything at once


def test_page_cache_zero_turns_it_off(tmp_path, migrated_db, monkeypatch):
    from tests import databases

    databases.clone(migrated_db, tmp_path)
    monkeypatch.setenv("CHOVIET_PAGE_CACHE", "0")
    off = make_app(tmp_path)
    with off.app_context():
        client = off.test_client()
        for _ in range(2):
            response = client.get("/")
            assert response.status_code == 200 and "X-Cache" not in response.headers
        assert page_cache.store_for(off) is None
        close_app(off)
    databases.drop(tmp_path)
