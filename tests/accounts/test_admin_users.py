"""Admins manage staff accounts on the web; officials and producers are refused."""

from __future__ import annotations

from sqlalchemy import select

from catalog.accounts import accounts
from catalog.extensions import db
from catalog.models import AuditEntry, MailMessage, User
from tests.factories import create_user, province
from tests.forms import csrf_token, post_form
from tests.listings.support import owner
from tests.review.support import official

USERS = "/quan-ly/nguoi-dung"
NEW = "/quan-ly/nguoi-dung/moi"


def edit_url(user: User) -> str:
    return f"{USERS}/{user.id}"


def test_list_filters_by_role_and_province(client, login_as, app):
    login_as(create_user("admin", email="quan-tri@example.vn"))
    cao_bang = official()
    hanoi = official("Hà Nội")
    page = client.get(USERS).get_data(as_text=True)
    assert cao_bang.email in page and hanoi.email in page and "quan-tri@example.vn" in page
    assert "Chưa đăng nhập" in page and "Toàn quốc" in page
    page = client.get(f"{USERS}?tinh={province('Hà Nội').id}").get_data(as_text=True)
    assert hanoi.email in page and cao_bang.email not in page
    page = client.get(f"{USERS}?vai_tro=admin").get_data(as_text=True)
    assert "quan-tri@example.vn" in page and cao_bang.email not in page
    assert client.get(f"{USERS}?vai_tro=<x>&tinh=abc").status_code == 200


def test_officials_and_producers_are_refused(client, login_as, app):
    target = official()
    for who in (official(), owner()):
        login_as(who)
        for url in (USERS, NEW, edit_url(target)):
            assert client.get(url).status_code == 403, url
        token = csrf_token(client, "/")
        response = client.post(
            edit_url(target), data={"csrf_token": token, "role": "admin", "active": "y"}
        )
        assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "official"


def test_create_an_official_sends_the_set_password_link(client, login_as, app):
    admin = login_as(create_user("admin"))
    lang_son = province("Lạng Sơn").id
    response = post_form(
        client,
        NEW,
        {"email": "Can.Bo@LangSon.gov.vn", "role": "official", "provinces": [str(lang_son)]},
    )
    assert response.status_code == 302
    user = accounts.find_user("can.bo@langson.gov.vn")
    assert user.role == "official" and [p.name for p in user.provinces] == ["Lạng Sơn"]
    message = db.session.scalars(
        select(MailMessage).where(MailMessage.to == "can.bo@langson.gov.vn")
    ).one()
    assert "tạo mật khẩu" in message.body and "/tai-khoan/tao-mat-khau/" in message.body
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "user.create_staff")
    ).one()
    assert entry.actor_id == admin.id


def test_create_refuses_hostile_input(client, login_as, app):
    login_as(create_user("admin"))
    taken = official()
    lang_son = str(province("Lạng Sơn").id)
    cases = [
        ({"email": taken.email, "role": "official", "provinces": [lang_son]}, "đã có tài khoản"),
        ({"email": "moi@example.vn", "role": "official"}, "ít nhất một tỉnh"),
        ({"email": "moi@example.vn", "role": "official", "provinces": ["99999"]}, "Vui lòng chọn"),
        ({"email": "moi@example.vn", "role": "official", "provinces": ["abc"]}, "Vui lòng chọn"),
        (
            {"email": "moi@example.vn", "role": "superuser", "provinces": [lang_son]},
            "Vui lòng chọn",
        ),
        ({"email": "<script>alert(1)</script>", "role": "admin"}, "e-mail không hợp lệ"),
        ({"email": "a" * 300 + "@example.vn", "role": "admin"}, "Tối đa 254 ký tự"),
    ]
    for data, message in cases:
        response = post_form(client, NEW, data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, data
        assert message in page, data
        assert "<script>alert(1)</script>" not in page
    assert accounts.find_user("moi@example.vn") is None
    assert client.post(NEW, data={"email": "x@example.vn", "role": "admin"}).status_code == 400


def test_edit_provinces_role_and_deactivate_with_audit(client, login_as, app):
    admin = login_as(create_user("admin"))
    person = official()
    hanoi = str(province("Hà Nội").id)
    response = post_form(client, edit_url(person), {"role": "official", "provinces": [hanoi]})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert [p.name for p in person.provinces] == ["Hà Nội"] and person.active is False
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.update")).one()
    assert entry.actor_id == admin.id
    assert entry.before == {"role": "official", "provinces": ["Cao Bằng"], "active": True}
    assert entry.after == {"role": "official", "provinces": ["Hà Nội"], "active": False}
    post_form(client, edit_url(person), {"role": "admin", "active": "y"})
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.role == "admin" and person.active and person.provinces == []


def test_edit_refuses_hostile_input(client, login_as, app):
    login_as(create_user("admin"))
    person = official()
    for data, message in (
        ({"role": "official", "active": "y"}, "ít nhất một tỉnh"),
        ({"role": "official", "provinces": ["424242"], "active": "y"}, "Vui lòng chọn"),
        ({"role": "producer", "active": "y"}, "Vui lòng chọn"),
    ):
        response = post_form(client, edit_url(person), data)
        assert response.status_code == 422 and message in response.get_data(as_text=True), data
    assert client.get(f"{USERS}/999999").status_code == 404
    assert client.get(f"{USERS}/{owner().id}").status_code == 404  # producers are not staff
    db.session.expire_all()
    assert [p.name for p in db.session.get(User, person.id).provinces] == ["Cao Bằng"]


def test_an_admin_cannot_deactivate_or_demote_themselves(client, login_as, app):
    me = login_as(create_user("admin"))
    lang_son = str(province("Lạng Sơn").id)
    response = post_form(client, edit_url(me), {"role": "admin"})
    assert response.status_code == 422
    assert "không thể tự khóa" in response.get_data(as_text=True)
    response = post_form(
        client, edit_url(me), {"role": "official", "provinces": [lang_son], "active": "y"}
    )
    assert response.status_code == 422
    assert "không thể tự bỏ quyền quản trị" in response.get_data(as_text=True)
    db.session.expire_all()
    me = db.session.get(User, me.id)
    assert me.role == "admin" and me.active
