"""Producer accounts, invitations: a colleague joins the same producer through an e-mailed
link, an existing account confirms with its password, and nobody is moved from another
producer or from an official's account."""

from __future__ import annotations

from sqlalchemy import func, select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Invitation, User
from tests.accounts.support import (
    INVITE,
    LOGIN,
    NEW_PASSWORD,
    link_in,
    mails_to,
    signed_in,
    text,
    user_by_email,
)
from tests.factories import PASSWORD, create_user
from tests.forms import post_form

# ---------------------------------------------------------------- invitations


def test_a_colleague_joins_the_same_producer_through_an_invitation(app, client, login_as):
    inviter = login_as("producer")
    sent = post_form(client, INVITE, {"email": "Dong.Nghiep@Example.vn"})
    assert sent.status_code == 302
    assert "Đã gửi lời mời đến dong.nghiep@example.vn." in text(client.get(INVITE))
    [message] = mails_to("dong.nghiep@example.vn")
    link = link_in(message)

    colleague = app.test_client()
    page = colleague.get(link)
    assert page.status_code == 200 and "Họ và tên" in text(page)
    joined = post_form(
        colleague,
        link,
        {"display_name": "Lò Thị Mai", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert joined.status_code == 302
    assert signed_in(colleague)
    member = user_by_email("dong.nghiep@example.vn")
    assert member.producer_id == inviter.producer_id and member.role == "producer"
    assert member.email_verified_at is not None
    assert db.session.scalar(select(Invitation.accepted_at)) is not None
    team_page = text(client.get(INVITE))
    assert "Lò Thị Mai" in team_page

    reused = app.test_client().get(link)
    assert reused.status_code == 400 and "đã được sử dụng" in text(reused)


def test_an_invitation_to_an_existing_account_asks_for_its_password(app, client, login_as):
    inviter = login_as("producer")
    loose = create_user(email="tu-do@example.vn")
    with write_transaction():
        db.session.get(User, loose.id).producer_id = None
    post_form(client, INVITE, {"email": "tu-do@example.vn"})
    link = link_in(mails_to("tu-do@example.vn")[0])
    invitee = app.test_client()
    page = text(invitee.get(link))
    assert "đã có tài khoản" in page and "Họ và tên" not in page
    wrong = post_form(invitee, link, {"password": "khong-dung-1"})
    assert wrong.status_code == 422 and "Mật khẩu không đúng" in text(wrong)
    assert post_form(invitee, link, {"password": PASSWORD}).status_code == 302
    assert user_by_email("tu-do@example.vn").producer_id == inviter.producer_id


def test_an_invitation_cannot_move_someone_from_another_producer_or_an_official(
    app, client, login_as
):
    login_as("producer")
    other = create_user(email="cho-khac@example.vn")
    create_user("official", email="can-bo@example.vn", provinces=("Cao Bằng",))
    for address, reason in (
        ("cho-khac@example.vn", "đang quản lý một cơ sở khác"),
        ("can-bo@example.vn", "tài khoản cán bộ"),
    ):
        assert post_form(client, INVITE, {"email": address}).status_code == 302
        response = app.test_client().get(link_in(mails_to(address)[0]))
        assert response.status_code == 409 and reason in text(response)
    assert user_by_email("cho-khac@example.vn").producer_id == other.producer_id


def test_inviting_a_current_member_says_so_next_to_the_field(app, client, login_as):
    inviter = login_as("producer")
    response = post_form(client, INVITE, {"email": inviter.email.upper()})
    assert response.status_code == 422
    assert "đã cùng quản lý cơ sở của bạn" in text(response)
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_inviting_needs_a_signed_in_verified_producer(app, client, login_as):
    anonymous = client.get(INVITE)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith(LOGIN)
    login_as(create_user(verified=False))
    response = post_form(client, INVITE, {"email": "ai-do@example.vn"})
    assert response.status_code == 422 and "xác nhận địa chỉ e-mail" in text(response)
    official = app.test_client()
    with official.session_transaction() as session:
        session["_user_id"] = create_user("official").get_id()
    assert official.get(INVITE).status_code == 403
