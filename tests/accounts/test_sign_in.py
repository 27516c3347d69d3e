"""Producer accounts, signing in and out: one message for a wrong password or an unknown
address, only local paths followed afterwards, remember-me, sign-out by POST with CSRF,
password reset by e-mailed link, and account pages never cached."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import func, select

from catalog.accounts.account_pages import safe_next
from catalog.extensions import db
from catalog.models import AuditEntry, User
from tests.accounts.support import (
    FORGOT,
    INVITE,
    LOGIN,
    LOGOUT,
    NEW_PASSWORD,
    REGISTER,
    error_summary,
    link_in,
    login,
    mails_to,
    signed_in,
    text,
    user_by_email,
)
from tests.factories import PASSWORD, create_user
from tests.forms import find_csrf_token, post_form

# ---------------------------------------------------------------- signing in and out


def test_wrong_password_and_unknown_email_get_the_same_message(app, client):
    create_user(email="co-that@example.vn")
    wrong = login(client, "co-that@example.vn", "sai-mat-khau-1")
    unknown = login(client, "khong-co@example.vn", "sai-mat-khau-1")
    assert wrong.status_code == unknown.status_code == 422
    assert error_summary(text(wrong)) == error_summary(text(unknown))
    assert "E-mail hoặc mật khẩu không đúng" in error_summary(text(wrong))
    assert 'value="khong-co@example.vn"' in text(unknown)  # what was typed stays
    assert not signed_in(client)


def test_login_matches_email_in_any_case_and_spacing_and_goes_to_the_producer_space(app, client):
    create_user(email="hoa@example.vn")
    response = login(client, "  HOA@Example.VN ")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/co-so-cua-toi")
    assert signed_in(client)
    assert user_by_email("hoa@example.vn").last_login_at is not None


def test_a_password_typed_in_decomposed_unicode_still_matches(app, client):
    create_user(email="nfd@example.vn", password="Mật khẩu Việt 1")
    decomposed = unicodedata.normalize("NFD", "Mật khẩu Việt 1")
    assert login(client, "nfd@example.vn", decomposed).status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/san-pham?sao=4", "/san-pham?sao=4"),
        ("//evil.example", None),
        ("https://evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),
        ("/\r\nLocation: x", None),
        ("", None),
    ],
)
def test_only_local_paths_are_followed_after_login(target, expected):
    assert safe_next(target) == expected


def test_login_follows_a_safe_next_and_ignores_an_open_redirect(app, client):
    create_user(email="next@example.vn")
    ok = post_form(
        client,
        LOGIN,
        {"email": "next@example.vn", "password": PASSWORD, "next": "/san-pham"},
        form_url=LOGIN + "?next=/san-pham",
    )
    assert ok.headers["Location"] == "/san-pham"
    client.post(LOGOUT, data={"csrf_token": find_csrf_token(text(client.get("/")))})
    evil = login(client, "next@example.vn", next="//evil.example/x")
    assert evil.headers["Location"].startswith("/co-so-cua-toi")


def test_the_login_form_carries_next_from_the_query(app, client):
    html = text(client.get(INVITE, follow_redirects=True))
    assert 'name="next" type="hidden" value="/tai-khoan/moi-dong-nghiep"' in html


def test_remember_me_sets_a_lasting_cookie_that_signs_in_a_new_browser(app, client):
    create_user(email="nho@example.vn")
    plain = login(app.test_client(), "nho@example.vn")
    assert "remember_token" not in " ".join(plain.headers.getlist("Set-Cookie"))
    remembered = login(client, "nho@example.vn", remember="y")
    cookie = next(
        c for c in remembered.headers.getlist("Set-Cookie") if c.startswith("remember_token=")
    )
    assert "HttpOnly" in cookie and "Expires=" in cookie and "SameSite=Lax" in cookie
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    other = app.test_client()
    other.set_cookie("remember_token", value)
    assert signed_in(other)


def test_logout_needs_post_with_csrf_and_forgets_the_remember_cookie(app, client):
    create_user(email="ra@example.vn")
    login(client, "ra@example.vn", remember="y")
    assert client.get(LOGOUT).status_code == 405
    refused = client.post(LOGOUT)
    assert refused.status_code == 400
    assert "Biểu mẫu đã hết hạn" in text(refused)
    assert signed_in(client)
    token = find_csrf_token(text(client.get("/")))
    response = client.post(LOGOUT, data={"csrf_token": token})
    assert response.status_code == 302
    assert any(c.startswith("remember_token=;") for c in response.headers.getlist("Set-Cookie"))
    home = text(client.get(response.headers["Location"]))
    assert "Bạn đã đăng xuất." in home and "Đăng xuất" not in home.replace("đã đăng xuất", "")
    assert not signed_in(client)


def test_csrf_missing_or_wrong_is_a_vietnamese_400_and_nothing_happens(app, client):
    create_user(email="csrf@example.vn")
    missing = client.post(LOGIN, data={"email": "csrf@example.vn", "password": PASSWORD})
    assert missing.status_code == 400
    assert 'lang="vi"' in text(missing) and "Biểu mẫu đã hết hạn" in text(missing)
    wrong = client.post(REGISTER, data={"csrf_token": "gia-mao", "email": "a@example.vn"})
    assert wrong.status_code == 400
    assert not signed_in(client)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_account_pages_are_never_cached(app, client):
    assert client.get(LOGIN).headers["Cache-Control"] == "private, no-store"
    assert client.get(REGISTER).headers["Cache-Control"] == "private, no-store"


# ---------------------------------------------------------------- password reset


def test_password_reset_link_works_once_and_signs_out_old_sessions(app, client):
    create_user(email="quen@example.vn")
    old_browser = app.test_client()
    login(old_browser, "quen@example.vn", remember="y")
    assert signed_in(old_browser)

    asked = post_form(client, FORGOT, {"email": "Quen@Example.vn"})
    assert asked.headers["Location"] == "/tai-khoan/kiem-tra-hop-thu?muc=mat-khau"
    [message] = mails_to("quen@example.vn")
    link = link_in(message)
    assert client.get(link).status_code == 200
    done = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert signed_in(client)

    again = client.get(link)
    assert again.status_code == 400 and "Liên kết không dùng được" in text(again)
    assert not signed_in(old_browser)
    fresh = app.test_client()
    assert login(fresh, "quen@example.vn", PASSWORD).status_code == 422
    assert login(fresh, "quen@example.vn", NEW_PASSWORD).status_code == 302
    assert "account.reset_password" in set(db.session.scalars(select(AuditEntry.action)))


def test_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(app, client):
    create_user(email="co@example.vn")
    known = post_form(client, FORGOT, {"email": "co@example.vn"})
    unknown = post_form(client, FORGOT, {"email": "khong@example.vn"})
    assert known.headers["Location"] == unknown.headers["Location"]
    assert mails_to("khong@example.vn") == []
    assert len(mails_to("co@example.vn")) == 1


def test_reset_form_errors_keep_the_link_usable(app, client):
    create_user(email="yeu@example.vn")
    post_form(client, FORGOT, {"email": "yeu@example.vn"})
    link = link_in(mails_to("yeu@example.vn")[0])
    weak = post_form(client, link, {"password": "12345678", "confirm": "12345678"})
    assert weak.status_code == 422 and "quá dễ đoán" in text(weak)
    ok = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert ok.status_code == 302
