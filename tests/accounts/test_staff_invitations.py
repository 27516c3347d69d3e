"""A new official or admin is invited (who, as what, for which provinces) and creates a
password on a welcome page; the link works once and expires like a reset link."""

from __future__ import annotations

from sqlalchemy import select

from catalog.accounts import accounts
from catalog.extensions import db
from catalog.models import AuditEntry
from tests.accounts.support import (
    NEW_PASSWORD,
    link_in,
    login,
    mails_to,
    signed_in,
    text,
    user_by_email,
)
from tests.factories import create_user, province
from tests.forms import post_form

NEW = "/quan-ly/nguoi-dung/moi"
ADDRESS = "can.bo@langson.gov.vn"


def invite(client, login_as, *provinces: str, role: str = "official"):  # type: ignore[no-untyped-def]
    admin = login_as(create_user("admin", email="quan-tri@sct.gov.vn"))
    data = {"email": ADDRESS, "role": role, "provinces": [str(province(p).id) for p in provinces]}
    assert post_form(client, NEW, data).status_code == 302
    with client.session_transaction() as session:  # the invitee is not the admin
        session.clear()
    (message,) = mails_to(ADDRESS)
    return admin, message


def test_the_mail_is_an_invitation_naming_who_as_what_and_how_long(client, login_as, app):
    _, message = invite(client, login_as, "Lạng Sơn", "Hà Nội")
    assert message.subject == (
        "Chợ Việt: lời mời làm cán bộ quản lý của thành phố Hà Nội và tỉnh Lạng Sơn"
    )
    body = message.body
    assert "(quan-tri@sct.gov.vn) đã mời bạn làm cán bộ quản lý của thành phố Hà Nội" in body
    assert "48 giờ, dùng được một lần" in body and "/tai-khoan/tao-mat-khau/" in body
    assert "đặt lại mật khẩu" not in message.subject.lower()
    assert "/tai-khoan/dat-lai-mat-khau/" not in body


def test_an_admin_is_invited_as_an_admin(client, login_as, app):
    _, message = invite(client, login_as, role="admin")
    assert message.subject == "Chợ Việt: lời mời làm quản trị viên (toàn quốc)"


def test_the_page_welcomes_and_creates_the_password_once(client, login_as, app):
    _, message = invite(client, login_as, "Lạng Sơn")
    path = link_in(message)
    page = text(client.get(path))
    assert "<title>Tạo mật khẩu" in page and "Chào mừng bạn đến với Chợ Việt" in page
    assert "(quan-tri@sct.gov.vn) đã mời bạn làm cán bộ quản lý của tỉnh Lạng Sơn" in page
    assert "Đặt mật khẩu mới" not in page and "đặt lại" not in page.lower()
    assert 'autocomplete="username"' in page and ADDRESS in page
    done = post_form(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].startswith("/quan-ly")
    assert signed_in(client)
    user = user_by_email(ADDRESS)
    assert user.last_login_at is not None
    assert accounts.authenticate(ADDRESS, NEW_PASSWORD) is not None
    assert db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "account.accept_staff_invitation")
    )
    again = client.get(path)
    assert again.status_code == 400 and "Lời mời đã được dùng" in text(again)
    assert 'href="/tai-khoan/dang-nhap"' in text(again)
    # Posting to the used link changes nothing either.
    with client.session_transaction() as session:
        session.clear()
    response = client.post(path, data={"password": "Khac-hoan-toan-9", "confirm": "x"})
    assert response.status_code == 400
    assert accounts.authenticate(ADDRESS, NEW_PASSWORD) is not None


def test_a_reset_in_between_ends_the_invitation(client, login_as, app):
    _, message = invite(client, login_as, "Lạng Sơn")
    path = link_in(message)
    post_form(client, "/tai-khoan/quen-mat-khau", {"email": ADDRESS})
    reset = link_in(mails_to(ADDRESS)[-1])
    assert post_form(client, reset, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert "Lời mời đã được dùng" in text(client.get(path))


def test_an_expired_invitation_is_refused_politely(client, login_as, app):
    _, message = invite(client, login_as, "Lạng Sơn")
    path = link_in(message)
    app.config["TOKEN_MAX_AGE_S"] = -1  # any age is too old
    response = client.get(path)
    page = text(response)
    assert response.status_code == 400 and "Lời mời đã hết hạn" in page
    assert "nhờ người đã mời bạn gửi lại" in page and 'href="/tai-khoan/quen-mat-khau"' in page
    posted = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert posted.status_code == 400
    assert accounts.authenticate(ADDRESS, NEW_PASSWORD) is None


def test_hostile_links_and_passwords_are_refused(client, login_as, app):
    _, message = invite(client, login_as, "Lạng Sơn")
    path = link_in(message)
    for bad in (path[:-3], path + "x", "/tai-khoan/tao-mat-khau/<script>alert(1)</script>",
                "/tai-khoan/tao-mat-khau/" + "a" * 3000):  # fmt: skip
        response = client.get(bad)
        assert response.status_code in (400, 404), bad
        assert "<script>alert(1)</script>" not in text(response)
    # A reset link is no invitation (another purpose), nor the other way round.
    post_form(client, "/tai-khoan/quen-mat-khau", {"email": ADDRESS})
    reset_token = link_in(mails_to(ADDRESS)[-1]).rsplit("/", 1)[1]
    assert client.get("/tai-khoan/tao-mat-khau/" + reset_token).status_code == 400
    for data, error in (
        ({"password": "12345678", "confirm": "12345678"}, "dễ đoán"),
        ({"password": "ngan", "confirm": "ngan"}, "ít nhất 8"),
        ({"password": NEW_PASSWORD, "confirm": "khac"}, "không giống nhau"),
        ({"password": "<script>x</script>1a", "confirm": "y"}, "không giống nhau"),
    ):
        response = post_form(client, path, data)
        assert response.status_code == 422 and error in text(response), data
        assert "<script>x</script>" not in text(response)
    assert (
        client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 400
    )
    assert accounts.authenticate(ADDRESS, NEW_PASSWORD) is None
    assert not login(client, ADDRESS, NEW_PASSWORD).headers.get("Location")
