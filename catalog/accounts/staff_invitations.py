"""A new official or admin is invited, not sent a password reset: the mail says who invited
them, as what and for which provinces, and links to a "Tạo mật khẩu" page.

The link is the reset link's mechanism under its own purpose: signed, expiring after
CHOVIET_TOKEN_MAX_AGE_S, and carrying the account's password stamp, so it works once
(creating the password changes the stamp; so does a reset through "Quên mật khẩu").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app, url_for

from catalog.accounts import sign_in_throttle
from catalog.accounts.accounts import (
    AccountError,
    link,
    password_stamp,
    set_password,
    valid_for,
)
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Province, User
from catalog.platform import audit, mail, tokens
from catalog.platform.clock import utcnow

PURPOSE = "staff-invitation"
SYSTEM_INVITER = "Quản trị viên hệ thống Chợ Việt"


class InvitationUsed(AccountError):
    """The link was good, but a password has been set since: polite, with a way on."""


def place_names(provinces: Sequence[Province]) -> str:
    """'tỉnh Lạng Sơn', 'tỉnh Cao Bằng và thành phố Hà Nội': lower case mid-sentence."""
    names = [p.name_in_sentence for p in provinces]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


def role_words(user: User) -> str:
    """What the person is invited as, in the words of the mail and the page."""
    if user.role == "admin":
        return "quản trị viên (toàn quốc)"
    return f"cán bộ quản lý của {place_names(user.provinces)}"


def inviter_words(inviter: User | None) -> str:
    if inviter is None:
        return SYSTEM_INVITER
    name = inviter.display_name or ""
    return f"{name} ({inviter.email})" if name and name != inviter.email else inviter.email


def send(user: User, inviter: User | None) -> None:
    """Queue the invitation (inside the caller's transaction, like every mail)."""
    token = tokens.make(
        PURPOSE,
        {"uid": user.id, "stamp": password_stamp(user), "by": inviter.id if inviter else None},
    )
    base = current_app.config["SITE_URL"].rstrip("/")
    role = role_words(user)
    mail.queue(
        user.email,
        f"Chợ Việt: lời mời làm {role}",
        f"Chào bạn,\n\n{inviter_words(inviter)} đã mời bạn làm {role} trên Chợ Việt, "
        "danh bạ sản phẩm OCOP và hàng Việt.\n\n"
        f"Tài khoản của bạn: {user.email}\n\n"
        "Để bắt đầu, hãy tạo mật khẩu tại liên kết sau (có hiệu lực "
        f"{valid_for()}, dùng được một lần):\n{link('account.staff_invitation', token)}\n\n"
        "Nếu liên kết đã hết hạn, hãy nhờ người mời gửi lại, hoặc yêu cầu liên kết đặt mật "
        f"khẩu với địa chỉ e-mail này tại:\n{base}{url_for('account.forgot_password')}\n\n"
        "Nếu bạn không chờ lời mời này, hãy bỏ qua thư; không ai dùng được tài khoản khi "
        "chưa có mật khẩu.",
    )


@dataclass(frozen=True)
class StaffInvitation:
    user: User
    inviter: str
    role: str


def read(token: str) -> StaffInvitation:
    """The invitation behind a link; TokenError when forged or expired, InvitationUsed
    once a password has been set since it was sent."""
    payload = tokens.read(PURPOSE, token)
    uid = payload.get("uid")
    user = db.session.get(User, uid) if isinstance(uid, int) else None
    if user is None or not user.active or user.role == "producer":
        raise tokens.TokenError(expired=False)
    if payload.get("stamp") != password_stamp(user):
        raise InvitationUsed(
            "Lời mời này đã được dùng: mật khẩu của tài khoản đã được tạo. Hãy đăng nhập; "
            "nếu quên mật khẩu, bạn có thể đặt lại."
        )
    by = payload.get("by")
    inviter = db.session.get(User, by) if isinstance(by, int) else None
    return StaffInvitation(user, inviter_words(inviter), role_words(user))


def accept(token: str, password: str) -> User:
    """Create the password the invitation asked for; the link then stops working."""
    with write_transaction():
        user = read(token).user
        set_password(user, password)
        user.last_login_at = utcnow()  # signed in at once: no longer "Chưa đăng nhập"
        sign_in_throttle.clear(sign_in_throttle.keys_for(user.email))
        audit.record(user, "account.accept_staff_invitation", "user", user.id)
    return user
