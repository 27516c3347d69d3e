"""What the producer-account tests share: the account pages' addresses, the registration and
sign-in forms posted with their real CSRF token, and readers of the outbox, the users and the
pages that come back."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from catalog.extensions import db
from catalog.models import MailMessage, Province, User
from tests.factories import PASSWORD
from tests.forms import post_form

REGISTER = "/tai-khoan/dang-ky"
LOGIN = "/tai-khoan/dang-nhap"
LOGOUT = "/tai-khoan/dang-xuat"
FORGOT = "/tai-khoan/quen-mat-khau"
INVITE = "/tai-khoan/moi-dong-nghiep"
RESEND = "/tai-khoan/gui-lai-xac-nhan"
NEW_PASSWORD = "Vai-thieu-2026"


def province_id(name: str = "Bắc Ninh") -> int:
    return db.session.scalar(select(Province.id).where(Province.name == name))


def register(
    client: Any,
    email: str = "hongphuc@example.vn",
    name: str = "HTX Nông nghiệp Hồng Phúc",
    **extra: Any,
) -> Any:
    data = {
        "email": email,
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "business_name": name,
        "province_id": str(province_id()),
    }
    data.update(extra)
    return post_form(client, REGISTER, data)


def login(client: Any, email: str, password: str = PASSWORD, **extra: Any) -> Any:
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


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def signed_in(client: Any) -> bool:
    return "Đăng xuất" in text(client.get("/"))


def error_summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return match.group(0) if match else ""
