"""`flask users create` makes officials scoped to provinces (old names accepted) and admins;
bad input is refused with exit code 2 and a Vietnamese message."""

from __future__ import annotations

from sqlalchemy import select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import AuditEntry, MailMessage, User
from tests.factories import create_user
from tests.forms import post_form


def test_create_official_with_old_and_new_province_names(runner):
    result = runner.invoke(
        args=[
            "users", "create", "--role", "official", "--email", "Can.Bo@Sct.GOV.vn",
            "--province", "Bắc Giang", "--province", "Cao Bằng",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "can.bo@sct.gov.vn"))
    assert user.role == "official"
    assert sorted(p.name for p in user.provinces) == ["Bắc Ninh", "Cao Bằng"]
    assert user.covers(user.provinces[0].id)
    mail = db.session.scalar(select(MailMessage).where(MailMessage.to == user.email))
    assert "/tai-khoan/tao-mat-khau/" in mail.body  # an invitation, not a reset
    assert "Quản trị viên hệ thống Chợ Việt đã mời bạn" in mail.body
    assert mail.subject == "Chợ Việt: lời mời làm cán bộ quản lý của tỉnh Bắc Ninh và tỉnh Cao Bằng"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create_staff"))


def test_create_admin_needs_no_province(runner):
    result = runner.invoke(args=["users", "create", "--role", "admin", "--email", "a@b.vn"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.email == "a@b.vn")) == "admin"


def test_bad_input_is_refused(runner):
    for args, message in [
        (["--email", "x@y.vn"], "ít nhất một tỉnh"),
        (["--email", "x@y.vn", "--province", "Atlantis"], "Không có tỉnh"),
        (["--email", "not-an-email", "--province", "Huế"], "không hợp lệ"),
    ]:
        result = runner.invoke(args=["users", "create", *args])
        assert result.exit_code == 2 and message in result.output, result.output
    assert db.session.scalar(select(User.id).where(User.email == "x@y.vn")) is None


def test_a_producer_account_is_not_turned_into_an_official(runner):
    from tests.factories import create_user

    producer = create_user("producer", email="co-so@example.vn")
    result = runner.invoke(
        args=["users", "create", "--email", "co-so@example.vn", "--province", "Huế"]
    )
    assert result.exit_code == 2
    db.session.refresh(producer)
    assert producer.role == "producer"


def test_set_password_opens_a_demo_producer_account(runner, client):
    """The README's way into a demo producer's inbox: their .invalid address gets no reset
    link, so the operator sets a password from the command line."""
    user = create_user(email="hop-tac-xa-mau@demo.choviet.invalid")
    with write_transaction():
        user.password_hash = None  # as the demo seeds them: no password
    result = runner.invoke(
        args=["users", "set-password", "Hop-Tac-Xa-Mau@demo.choviet.invalid"],
        input="mat-khau-moi-1\nmat-khau-moi-1\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.set_password"))
    response = post_form(
        client, "/tai-khoan/dang-nhap", {"email": user.email, "password": "mat-khau-moi-1"}
    )
    assert response.status_code == 302 and "/co-so-cua-toi" in response.headers["Location"]


def test_set_password_refuses_weak_passwords_and_unknown_accounts(runner):
    user = create_user(email="an@demo.choviet.invalid")
    before = user.password_hash
    for email, password, message in [
        (user.email, "short", "ít nhất 8 ký tự"),
        (user.email, "123456789", "quá dễ đoán"),
        ("nobody@example.vn", "mat-khau-moi-1", "Không có tài khoản"),
    ]:
        result = runner.invoke(args=["users", "set-password", email, "--password", password])
        assert result.exit_code == 2 and message in result.output, result.output
    db.session.refresh(user)
    assert user.password_hash == before
