"""Sessions end when the user ends them: a session cookie or remember-me cookie copied before
signing out, a password change or reset, a deactivation, a role change or "sign out
everywhere" opens nothing afterwards (the user's session version moved on), while another
user's sessions carry on. The browser that changed its password or pressed "sign out
everywhere" stays signed in; signing out ends every session of the account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from catalog.accounts import staff
from catalog.extensions import db
from catalog.models import AuditEntry, User
from catalog.web.security import load_user
from tests.accounts.support import (
    FORGOT,
    LOGIN,
    LOGOUT,
    NEW_PASSWORD,
    link_in,
    login,
    mails_to,
    text,
)
from tests.factories import PASSWORD, create_user, province
from tests.forms import csrf_token, post_form

SETTINGS = "/tai-khoan/"
PRODUCER_HOME = "/co-so-cua-toi/"
EVERYWHERE = "/tai-khoan/dang-xuat-moi-noi"
CHANGE_PASSWORD = "/tai-khoan/doi-mat-khau"


@dataclass(frozen=True)
class Copied:
    """A browser's cookies as a thief would copy them."""

    session: str
    remember: str


def browser(app: Any, email: str, password: str = PASSWORD) -> tuple[Any, Copied]:
    """A browser signed in with "remember me", and a copy of its cookies."""
    client = app.test_client()
    assert login(client, email, password, remember="y").status_code == 302
    return client, copy_cookies(client)


def copy_cookies(client: Any) -> Copied:
    session = client.get_cookie("session")
    remember = client.get_cookie("remember_token")
    assert session is not None and remember is not None
    return Copied(session.value, remember.value)


def replay(app: Any, name: str, value: str, url: str = SETTINGS) -> Any:
    """GET `url` in a fresh browser carrying only that cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief.get(url)


def opens(app: Any, copied: Copied, url: str = SETTINGS) -> bool:
    """Whether each copied cookie on its own still opens a signed-in page: both must agree."""
    answers = []
    for name, value in (("session", copied.session), ("remember_token", copied.remember)):
        response = replay(app, name, value, url)
        if response.status_code == 302:
            assert response.headers["Location"].startswith(LOGIN), response.headers["Location"]
            answers.append(False)
        else:
            assert response.status_code == 200, (name, response.status_code)
            answers.append(True)
    assert answers[0] == answers[1], answers
    return answers[0]


# ---------------------------------------------------------------- each way a session ends


def sign_out(app: Any, client: Any, user: User) -> None:
    response = client.post(LOGOUT, data={"csrf_token": csrf_token(client, SETTINGS)})
    assert response.status_code == 302


def change_password(app: Any, client: Any, user: User) -> None:
    response = post_form(
        client,
        CHANGE_PASSWORD,
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302, text(response)


def reset_password(app: Any, client: Any, user: User) -> None:
    other = app.test_client()
    post_form(other, FORGOT, {"email": user.email})
    link = link_in(mails_to(user.email)[-1])
    done = post_form(other, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302


def set_password_on_the_command_line(app: Any, client: Any, user: User) -> None:
    args = ["users", "set-password", user.email, "--password", NEW_PASSWORD]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output


def sign_out_everywhere(app: Any, client: Any, user: User) -> None:
    response = post_form(client, EVERYWHERE, {}, form_url=SETTINGS)
    assert response.status_code == 302


def deactivate(app: Any, client: Any, user: User) -> None:
    admin = create_user("admin")
    provinces = [p.id for p in user.provinces]
    staff.update(admin, user.id, role=user.role, province_ids=provinces, active=False)


def make_admin(app: Any, client: Any, user: User) -> None:
    admin = create_user("admin")
    staff.update(admin, user.id, role="admin", province_ids=[], active=True)


def make_admin_on_the_command_line(app: Any, client: Any, user: User) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--role", "admin", "--email", user.email]
    )
    assert result.exit_code == 0, result.output


Ending = Callable[[Any, Any, User], None]
PRODUCER_ENDINGS: list[Ending] = [
    sign_out,
    change_password,
    reset_password,
    set_password_on_the_command_line,
    sign_out_everywhere,
]
STAFF_ENDINGS: list[Ending] = [deactivate, make_admin, make_admin_on_the_command_line]


@pytest.mark.parametrize("ending", PRODUCER_ENDINGS, ids=lambda f: f.__name__)
def test_copied_producer_cookies_open_nothing_afterwards(app, ending):
    victim = create_user(email="nan-nhan@example.vn")
    bystander = create_user(email="ben-canh@example.vn")
    client, stolen = browser(app, victim.email)
    _, untouched = browser(app, bystander.email)
    assert opens(app, stolen, PRODUCER_HOME) and opens(app, stolen)

    ending(app, client, victim)

    assert not opens(app, stolen, PRODUCER_HOME)
    assert not opens(app, stolen)
    assert opens(app, untouched, PRODUCER_HOME)


@pytest.mark.parametrize("ending", STAFF_ENDINGS, ids=lambda f: f.__name__)
def test_copied_staff_cookies_open_nothing_after_deactivation_or_a_new_role(app, ending):
    victim = create_user("official", email="can-bo@example.vn", provinces=("Cao Bằng",))
    bystander = create_user("official", email="dong-nghiep@example.vn", provinces=("Huế",))
    client, stolen = browser(app, victim.email)
    _, untouched = browser(app, bystander.email)
    assert opens(app, stolen, "/quan-ly/")

    ending(app, client, victim)

    assert not opens(app, stolen, "/quan-ly/")
    assert not opens(app, stolen)
    assert opens(app, untouched, "/quan-ly/")


def test_province_changes_keep_an_officials_sessions(app):
    person = create_user("official", email="tinh@example.vn", provinces=("Cao Bằng",))
    _, kept = browser(app, person.email)
    hue = province("Huế").id
    staff.update(create_user("admin"), person.id, role="official", province_ids=[hue], active=True)
    assert opens(app, kept, "/quan-ly/")


# ---------------------------------------------------------------- the browser that acted


def test_signing_out_ends_the_accounts_other_browsers_too(app):
    user = create_user(email="hai-may@example.vn")
    phone, _ = browser(app, user.email)
    laptop, _ = browser(app, user.email)
    sign_out(app, laptop, user)
    assert phone.get(SETTINGS).status_code == 302
    assert laptop.get(SETTINGS).status_code == 302


@pytest.mark.parametrize("ending", [change_password, sign_out_everywhere], ids=lambda f: f.__name__)
def test_the_browser_that_acted_stays_signed_in_with_fresh_cookies(app, ending):
    user = create_user(email="o-lai@example.vn")
    client, before = browser(app, user.email)
    phone, on_the_phone = browser(app, user.email)
    ending(app, client, user)
    assert client.get(SETTINGS).status_code == 200
    assert copy_cookies(client) != before
    assert opens(app, copy_cookies(client))  # its new remember cookie works in a new browser
    assert not opens(app, before)
    assert phone.get(SETTINGS).status_code == 302 and not opens(app, on_the_phone)


def test_sign_out_everywhere_says_what_it_does_and_is_audited(app):
    user = create_user(email="moi-noi@example.vn")
    client, stolen = browser(app, user.email)
    page = text(client.get(SETTINGS))
    assert "Đăng xuất khỏi mọi thiết bị" in page
    assert "Bạn vẫn đăng nhập trên thiết bị này" in page
    response = post_form(client, EVERYWHERE, {}, form_url=SETTINGS, follow_redirects=True)
    assert "Đã đăng xuất khỏi mọi thiết bị khác" in text(response)
    assert not opens(app, stolen)
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == user.id))
    assert "account.sign_out_everywhere" in set(actions)


def test_sign_out_everywhere_needs_post_csrf_and_a_signed_in_user(app):
    user = create_user(email="can-than@example.vn")
    client, kept = browser(app, user.email)
    assert client.get(EVERYWHERE).status_code == 405
    assert client.post(EVERYWHERE).status_code == 400
    assert client.post(EVERYWHERE, data={"csrf_token": "gia-mao"}).status_code == 400
    assert opens(app, kept)  # nothing ended
    anonymous = app.test_client()
    token = csrf_token(anonymous, LOGIN)
    response = anonymous.post(EVERYWHERE, data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith(LOGIN)


def test_change_password_refuses_a_wrong_current_password_and_weak_ones(app):
    user = create_user(email="doi@example.vn")
    client, kept = browser(app, user.email)
    wrong = post_form(
        client,
        CHANGE_PASSWORD,
        {"current_password": "khong-phai", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 422 and "Mật khẩu hiện tại không đúng" in text(wrong)
    weak = post_form(
        client,
        CHANGE_PASSWORD,
        {"current_password": PASSWORD, "password": "12345678", "confirm": "12345678"},
    )
    assert weak.status_code == 422 and "quá dễ đoán" in text(weak)
    huge = post_form(
        client,
        CHANGE_PASSWORD,
        {"current_password": "x" * 5000, "password": "a\x00" * 300, "confirm": "b"},
    )
    assert huge.status_code == 422
    assert opens(app, kept)  # nothing changed, nothing ended
    assert login(app.test_client(), user.email, PASSWORD).status_code == 302


def test_the_account_page_needs_a_signed_in_user(app):
    response = app.test_client().get(SETTINGS)
    assert response.status_code == 302 and response.headers["Location"].startswith(LOGIN)


# ---------------------------------------------------------------- the user loader


@pytest.mark.parametrize(
    "session_id",
    ["", "1", "1:", ":0", "abc:0", "1:abc", "1:²", "²:0", "1:0:0", " 1:0", "9" * 30 + ":0"],
)
def test_malformed_session_ids_load_nobody(app, session_id):
    create_user()
    assert load_user(session_id) is None


def test_a_session_from_before_session_versions_loads_nobody(app):
    user = create_user()
    legacy = f"{user.id}:{int(user.password_changed_at.timestamp())}"  # the old format
    assert load_user(legacy) is None
    assert load_user(user.get_id()) == user
