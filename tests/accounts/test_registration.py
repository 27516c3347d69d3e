"""Producer accounts, registering: the form and its polite errors, the e-mailed link that
verifies the address (expired, forged or signed elsewhere: refused), sending it again, and
hostile input in the account forms. Forms are posted with their real CSRF token."""

from __future__ import annotations

import time
import unicodedata

import pytest
from itsdangerous import TimestampSigner
from markupsafe import escape
from sqlalchemy import func, select

from catalog.extensions import db
from catalog.models import AuditEntry, MailMessage, Producer, User
from catalog.platform import tokens
from tests.accounts.support import (
    FORGOT,
    INVITE,
    LOGIN,
    NEW_PASSWORD,
    REGISTER,
    RESEND,
    error_summary,
    link_in,
    login,
    mails_to,
    province_id,
    register,
    text,
    user_by_email,
)
from tests.factories import create_user
from tests.forms import find_csrf_token, post_form

# ---------------------------------------------------------------- registration


def test_register_mails_a_link_that_verifies_the_address(app, client):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/tai-khoan/kiem-tra-hop-thu?muc=dang-ky"
    assert "kiểm tra hộp thư" in text(client.get(response.headers["Location"]))

    user = user_by_email("hongphuc@example.vn")
    assert user.role == "producer" and user.email_verified_at is None
    assert user.password_hash.startswith("scrypt:")
    producer = db.session.get(Producer, user.producer_id)
    assert producer.name == "HTX Nông nghiệp Hồng Phúc"
    assert producer.status == "pending" and producer.type == "hop_tac_xa"
    assert producer.province_id == province_id()

    [message] = mails_to("hongphuc@example.vn")
    assert "xác nhận" in message.subject
    verified = client.get(link_in(message))
    assert verified.status_code == 302
    assert verified.headers["Location"] == LOGIN
    assert "đã được xác nhận" in text(client.get(LOGIN))
    assert user_by_email("hongphuc@example.vn").email_verified_at is not None
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"account.register", "account.verify_email"} <= actions


def test_register_errors_are_polite_next_to_fields_and_keep_what_was_typed(app, client):
    response = register(
        client, email="khong-phai-email", name="Cơ sở <b>Mật ong</b>", confirm="khac-nhau-1"
    )
    assert response.status_code == 422
    html = text(response)
    assert "<title>Lỗi: Đăng ký" in html
    summary = error_summary(html)
    assert '<a href="#email">Địa chỉ e-mail không hợp lệ.</a>' in summary
    assert '<a href="#confirm">Hai mật khẩu không giống nhau.</a>' in summary
    assert 'id="email-loi"' in html and 'aria-describedby="email-goi-y email-loi"' in html
    assert 'value="khong-phai-email"' in html
    assert 'value="Cơ sở &lt;b&gt;Mật ong&lt;/b&gt;"' in html
    assert f'<option selected value="{province_id()}">' in html
    assert NEW_PASSWORD not in html  # passwords are never sent back
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_register_rejects_a_province_not_in_the_list(app, client):
    response = register(client, province_id="99999")
    assert response.status_code == 422
    assert "Vui lòng chọn một mục trong danh sách." in text(response)


def test_registering_a_known_address_answers_the_same_and_mails_its_owner(app, client):
    owner = create_user(email="chu@example.vn")
    fresh = register(client, email="moi@example.vn", name="Hộ kinh doanh Mới")
    again = register(app.test_client(), email="CHU@Example.vn", name="Cơ sở Khác")
    assert (again.status_code, again.headers["Location"]) == (
        fresh.status_code,
        fresh.headers["Location"],
    )
    assert text(client.get(again.headers["Location"])) == text(
        app.test_client().get(fresh.headers["Location"])
    )
    [notice] = mails_to("chu@example.vn")
    assert "đã có tài khoản" in notice.body and "/tai-khoan/quen-mat-khau" in notice.body
    assert db.session.scalar(select(func.count(User.id)).where(User.email == owner.email)) == 1
    assert db.session.scalar(select(Producer).where(Producer.name == "Cơ sở Khác")) is None


def test_registering_again_before_verifying_sends_a_fresh_link(app, client):
    register(client)
    again = register(app.test_client(), name="Tên khác")
    assert again.headers["Location"] == "/tai-khoan/kiem-tra-hop-thu?muc=dang-ky"
    first, second = mails_to("hongphuc@example.vn")
    assert "xác nhận" in second.subject
    assert client.get(link_in(second)).status_code == 302
    assert db.session.scalar(select(func.count(Producer.id))) == 1


# ---------------------------------------------------------------- links in e-mails


def test_an_expired_verification_link_gets_a_polite_400(app, client, monkeypatch):
    three_days_ago = int(time.time()) - 3 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: three_days_ago)
        register(client)
    [message] = mails_to("hongphuc@example.vn")
    response = client.get(link_in(message))
    assert response.status_code == 400
    html = text(response)
    assert "Liên kết đã hết hạn" in html and 'href="/tai-khoan/gui-lai-xac-nhan"' in html
    assert user_by_email("hongphuc@example.vn").email_verified_at is None


def test_a_tiny_token_lifetime_expires_links(app, client):
    register(client)
    [message] = mails_to("hongphuc@example.vn")
    app.config["TOKEN_MAX_AGE_S"] = -1  # any age is too old
    assert client.get(link_in(message)).status_code == 400


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        lambda token: token.split(".")[0],
        lambda _token: "khong-phai-token",
        lambda _token: tokens.make("reset-password", {"uid": 1, "email": "hongphuc@example.vn"}),
        lambda _token: "%ff" + "x" * 3000,
    ],
    ids=["tampered", "truncated", "garbage", "other-purpose", "hostile"],
)
def test_a_forged_or_garbled_link_gets_a_polite_400(app, client, forge):
    register(client)
    [message] = mails_to("hongphuc@example.vn")
    token = link_in(message).rsplit("/", 1)[1]
    response = client.get(f"/tai-khoan/xac-nhan-email/{forge(token)}")
    assert response.status_code == 400
    assert "Liên kết không dùng được" in text(response)
    assert user_by_email("hongphuc@example.vn").email_verified_at is None


def test_a_link_with_a_control_character_is_not_found(app, client):
    """No token holds a NUL: the URL converter refuses it before the view (404 page)."""
    register(client)
    response = client.get("/tai-khoan/xac-nhan-email/%00%ff" + "x" * 3000)
    assert response.status_code == 404 and "Không tìm thấy trang" in text(response)
    assert user_by_email("hongphuc@example.vn").email_verified_at is None


def test_a_link_signed_with_another_secret_is_refused(app, client):
    register(client)
    user = user_by_email("hongphuc@example.vn")
    app.config["SECRET_KEY"] = "another-secret"
    forged = tokens.make("verify-email", {"uid": user.id, "email": user.email})
    app.config["SECRET_KEY"] = "test-secret"
    assert client.get(f"/tai-khoan/xac-nhan-email/{forged}").status_code == 400


def test_unverified_user_may_sign_in_and_is_asked_to_verify(app, client):
    register(client)
    assert login(client, "hongphuc@example.vn", NEW_PASSWORD).status_code == 302
    home = text(client.get("/"))
    assert "Vui lòng xác nhận địa chỉ e-mail." in home
    token = find_csrf_token(home)
    resent = client.post(RESEND, data={"csrf_token": token, "email": "hongphuc@example.vn"})
    assert resent.headers["Location"] == "/tai-khoan/kiem-tra-hop-thu?muc=xac-nhan"
    first, second = mails_to("hongphuc@example.vn")
    assert client.get(link_in(second)).status_code == 302
    assert "Vui lòng xác nhận địa chỉ e-mail." not in text(client.get("/"))


def test_resend_for_unknown_or_verified_addresses_answers_the_same_and_sends_nothing(app, client):
    create_user(email="da-xac-nhan@example.vn")
    a = post_form(client, RESEND, {"email": "da-xac-nhan@example.vn"})
    b = post_form(client, RESEND, {"email": "khong-co@example.vn"})
    assert a.headers["Location"] == b.headers["Location"]
    assert db.session.scalar(select(func.count(MailMessage.id))) == 0


# ---------------------------------------------------------------- hostile input


def test_very_long_fields_are_refused_politely(app, client):
    response = register(client, email="a" * 300 + "@example.vn", name="Mật ong " * 2000)
    assert response.status_code == 422
    html = text(response)
    assert "Tối đa 200 ký tự." in html and "Tối đa 254 ký tự." in html
    long_password = login(client, "a@example.vn", "x" * 5000)
    assert long_password.status_code == 422 and "Mật khẩu quá dài." in text(long_password)


def test_control_characters_and_decomposed_text_are_cleaned(app, client):
    decomposed_name = unicodedata.normalize("NFD", "Hợp tác xã Chè\x00 Tân\x1b Cương")
    decomposed_email = unicodedata.normalize("NFD", "\tNguyễn@Example.vn\x00 ")
    assert register(client, email=decomposed_email, name=decomposed_name).status_code == 302
    producer = db.session.scalar(select(Producer))
    assert producer.name == "Hợp tác xã Chè Tân Cương"
    assert unicodedata.is_normalized("NFC", producer.name)
    user = db.session.scalar(select(User))
    assert user.email == "nguyễn@example.vn"
    assert login(client, "NGUYỄN@example.vn", NEW_PASSWORD).status_code == 302


def test_script_in_a_business_name_is_shown_as_text(app, client):
    name = '<script>alert("x")</script> Cơ sở Mắm'
    register(client, name=name)
    link = link_in(mails_to("hongphuc@example.vn")[0])
    client.get(link)
    login(client, "hongphuc@example.vn", NEW_PASSWORD)
    html = text(client.get(INVITE))
    assert "<script>alert" not in html
    assert str(escape(name)) in html


def test_bad_input_never_gives_a_500(app, client):
    hostile = [
        {"email": ["a@example.vn", "b@example.vn"], "password": ["x", "y"]},
        {"email": "\x00\x01@example.vn", "password": "\x00"},
        {"province_id": "1; DROP TABLE users", "business_name": "\u202eRTL"},
        {"remember": "not-a-bool", "next": "http://evil.example"},
    ]
    for data in hostile:
        for url in (REGISTER, LOGIN, FORGOT, RESEND):
            response = post_form(client, url, data)
            assert response.status_code in (302, 400, 422), (url, data)
