"""Producer accounts: registration, e-mail links, sign-in and out, password reset,
invitations, CSRF and hostile input. Forms are posted with their real CSRF token."""

from __future__ import annotations

import re
import time
import unicodedata

import pytest
from itsdangerous import TimestampSigner
from markupsafe import escape
from sqlalchemy import func, select

from catalog.accounts.account_views import safe_next
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import AuditEntry, Invitation, MailMessage, Producer, Province, User
from catalog.platform import tokens
from tests.factories import PASSWORD, create_user
from tests.forms import find_csrf_token, post_form

REGISTER = "/tai-khoan/dang-ky"
LOGIN = "/tai-khoan/dang-nhap"
LOGOUT = "/tai-khoan/dang-xuat"
FORGOT = "/tai-khoan/quen-mat-khau"
INVITE = "/tai-khoan/moi-dong-nghiep"
RESEND = "/tai-khoan/gui-lai-xac-nhan"
NEW_PASSWORD = "Vai-thieu-2026"


def province_id(name: str = "Bắc Ninh") -> int:
    return db.session.scalar(select(Province.id).where(Province.name == name))


def register(client, email="hongphuc@example.vn", name="HTX Nông nghiệp Hồng Phúc", **extra):
    data = {
        "email": email,
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "business_name": name,
        "province_id": str(province_id()),
    }
    data.update(extra)
    return post_form(client, REGISTER, data)


def login(client, email, password=PASSWORD, **extra):
    return post_form(client, LOGIN, {"email": email, "password": password, **extra})


def mails_to(address: str) -> list[MailMessage]:
    db.session.expire_all()
    stmt = select(MailMessage).where(MailMessage.to == address).order_by(MailMessage.id)
    return list(db.session.scalars(stmt))


def link_in(message: MailMessage) -> str:
    """The path of the (single) link to this site in a mail body."""
    match = re.search(r"http://127\.0\.0\.1:5000(/tai-khoan/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def user_by_email(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def text(response) -> str:
    return response.get_data(as_text=True)


def signed_in(client) -> bool:
    return "Đăng xuất" in text(client.get("/"))


def error_summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return match.group(0) if match else ""


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
        lambda _token: "%00%ff" + "x" * 3000,
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


def test_a_link_signed_with_another_secret_is_refused(app, client):
    register(client)
    user = user_by_email("hongphuc@example.vn")
    app.config["SECRET_KEY"] = "another-secret"
    forged = tokens.make("verify-email", {"uid": user.id, "email": user.email})
    app.config["SECRET_KEY"] = "test-secret"
    assert client.get(f"/tai-khoan/xac-nhan-email/{forged}").status_code == 400


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


# ---------------------------------------------------------------- outbox


def test_mail_outbox_prints_messages_newest_last(app, client, runner):
    register(client)
    post_form(app.test_client(), FORGOT, {"email": "hongphuc@example.vn"})
    result = runner.invoke(args=["mail", "outbox"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Đến: hongphuc@example.vn" in out and "chưa gửi" in out
    assert out.index("xác nhận địa chỉ e-mail") < out.index("đặt lại mật khẩu")
    assert "/tai-khoan/xac-nhan-email/" in out
    assert "/tai-khoan/xac-nhan-email/" in runner.invoke(args=["mail", "outbox", "--unsent"]).output


def test_an_empty_outbox_says_so(app, runner):
    assert "Hộp thư đi trống" in runner.invoke(args=["mail", "outbox"]).output


def test_without_smtp_each_mail_is_written_to_the_log(app, client, caplog):
    with caplog.at_level("INFO", logger="catalog.platform.mail"):
        register(client)
    logged = caplog.text
    assert "Chợ Việt: xác nhận địa chỉ e-mail" in logged
    assert "/tai-khoan/xac-nhan-email/" in logged


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        if FakeSMTP.fail:
            raise OSError("máy chủ thư không trả lời")
        FakeSMTP.sent.append(message)


def test_with_smtp_mail_is_sent_after_commit_and_failures_are_kept(app, client, monkeypatch):
    monkeypatch.setattr("catalog.platform.mail.smtplib.SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "sent", [])
    app.config["SMTP_HOST"] = "smtp.example.vn"
    register(client)
    [sent] = FakeSMTP.sent
    assert sent["To"] == "hongphuc@example.vn" and "xác nhận" in sent["Subject"]
    [stored] = mails_to("hongphuc@example.vn")
    assert stored.sent_at is not None and stored.error is None

    monkeypatch.setattr(FakeSMTP, "fail", True)
    post_form(client, FORGOT, {"email": "hongphuc@example.vn"})
    failed = mails_to("hongphuc@example.vn")[-1]
    assert failed.sent_at is None and "không trả lời" in failed.error


def test_account_pages_are_never_cached(app, client):
    assert client.get(LOGIN).headers["Cache-Control"] == "private, no-store"
    assert client.get(REGISTER).headers["Cache-Control"] == "private, no-store"


def test_registering_again_before_verifying_sends_a_fresh_link(app, client):
    register(client)
    again = register(app.test_client(), name="Tên khác")
    assert again.headers["Location"] == "/tai-khoan/kiem-tra-hop-thu?muc=dang-ky"
    first, second = mails_to("hongphuc@example.vn")
    assert "xác nhận" in second.subject
    assert client.get(link_in(second)).status_code == 302
    assert db.session.scalar(select(func.count(Producer.id))) == 1
