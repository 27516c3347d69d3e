"""Accounts: registration, e-mail verification, sign-in, password reset, invitations.

Messages never reveal whether an e-mail address is registered: registration and reset answer
the same way either way, and the owner of an existing address gets an e-mail instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import write_transaction
from ..extensions import db
from ..models import Invitation, Producer, User
from ..vietnamese import clean_text, infer_producer_type, normalize_key
from . import audit, mail, tokens
from ._common import utcnow
from .slugs import unique_slug

# A hash computed once, so that checking an unknown e-mail costs as much as a known one.
_DUMMY_HASH = generate_password_hash("chợ việt timing guard")


class AccountError(ValueError):
    """A polite, user-facing reason an account action was refused."""


def normalize_email(email: str) -> str:
    return clean_text(email).lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def _link(endpoint: str, token: str) -> str:
    base = current_app.config["SITE_URL"].rstrip("/")
    return base + url_for(endpoint, token=token)


def _stamp(user: User) -> int:
    return int(user.password_changed_at.timestamp())


def register(email: str, password: str, business_name: str, province_id: int) -> None:
    """Create a producer account and its (pending) business, and send the verification link.

    The caller shows the same message whatever happens, so nobody can probe which addresses
    are registered.
    """
    email = normalize_email(email)
    with write_transaction():
        existing = find_user(email)
        if existing is not None:
            mail.queue(
                email,
                "Chợ Việt: có người muốn đăng ký bằng địa chỉ e-mail của bạn",
                "Ai đó (có thể là bạn) vừa đăng ký tài khoản Chợ Việt bằng địa chỉ này, "
                "nhưng địa chỉ đã có tài khoản.\n\nNếu quên mật khẩu, hãy đặt lại tại: "
                + current_app.config["SITE_URL"].rstrip("/")
                + url_for("account.forgot_password")
                + "\n\nNếu không phải bạn, hãy bỏ qua thư này.",
            )
            return
        name = clean_text(business_name)
        producer = Producer(
            name=name,
            name_key=normalize_key(name),
            slug=unique_slug(Producer, name),
            province_id=province_id,
            type=infer_producer_type(name),
            status="pending",
            email=email,
        )
        db.session.add(producer)
        db.session.flush()
        user = User(
            email=email,
            password_hash=generate_password_hash(password),
            role="producer",
            producer_id=producer.id,
            display_name=name,
        )
        db.session.add(user)
        db.session.flush()
        audit.record(user, "account.register", "producer", producer.id, after={"name": name})
        _send_verification(user)


def _send_verification(user: User) -> None:
    token = tokens.make("verify-email", {"uid": user.id, "email": user.email})
    mail.queue(
        user.email,
        "Chợ Việt: xác nhận địa chỉ e-mail",
        "Chào bạn,\n\nVui lòng xác nhận địa chỉ e-mail để hoàn tất đăng ký trên Chợ Việt:\n"
        f"{_link('account.verify_email', token)}\n\nLiên kết có hiệu lực trong 48 giờ.",
    )


def resend_verification(user: User) -> None:
    with write_transaction():
        _send_verification(user)


def verify_email(token: str) -> User:
    payload = tokens.read("verify-email", token)
    with write_transaction():
        user = db.session.get(User, int(payload.get("uid", 0)))
        if user is None or user.email != payload.get("email"):
            raise tokens.TokenError(expired=False)
        if user.email_verified_at is None:
            user.email_verified_at = utcnow()
            audit.record(user, "account.verify_email", "user", user.id)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None (same cost and answer either way)."""
    user = find_user(email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    with write_transaction():
        user.last_login_at = utcnow()
    return user


def request_password_reset(email: str) -> None:
    with write_transaction():
        user = find_user(email)
        if user is None or not user.active:
            return
        token = tokens.make("reset-password", {"uid": user.id, "stamp": _stamp(user)})
        mail.queue(
            user.email,
            "Chợ Việt: đặt lại mật khẩu",
            "Chào bạn,\n\nĐể đặt mật khẩu mới, hãy mở liên kết sau (có hiệu lực 48 giờ, dùng "
            f"một lần):\n{_link('account.reset_password', token)}\n\n"
            "Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu cũ vẫn dùng được.",
        )


def user_for_reset(token: str) -> User:
    payload = tokens.read("reset-password", token)
    user = db.session.get(User, int(payload.get("uid", 0)))
    if user is None or payload.get("stamp") != _stamp(user):
        raise tokens.TokenError(expired=False)
    return user


def reset_password(token: str, new_password: str) -> User:
    with write_transaction():
        user = user_for_reset(token)
        _set_password(user, new_password)
        # Following the link proves the address belongs to the user.
        user.email_verified_at = user.email_verified_at or utcnow()
        audit.record(user, "account.reset_password", "user", user.id)
    return user


def _set_password(user: User, password: str) -> None:
    user.password_hash = generate_password_hash(password)
    user.password_changed_at = utcnow()


def change_password(user: User, current: str, new_password: str) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise AccountError("Mật khẩu hiện tại không đúng.")
    with write_transaction():
        _set_password(user, new_password)
        audit.record(user, "account.change_password", "user", user.id)


def invite_colleague(inviter: User, email: str) -> None:
    """Invite someone to manage the inviter's business (same answer if already a user)."""
    if inviter.producer_id is None:
        raise AccountError("Tài khoản của bạn chưa gắn với cơ sở sản xuất nào.")
    email = normalize_email(email)
    with write_transaction():
        invitation = Invitation(
            producer_id=inviter.producer_id, email=email, invited_by_id=inviter.id
        )
        db.session.add(invitation)
        db.session.flush()
        token = tokens.make("invitation", {"iid": invitation.id, "email": email})
        producer = db.session.get(Producer, inviter.producer_id)
        mail.queue(
            email,
            f"Chợ Việt: lời mời cùng quản lý {producer.name}",
            f"{inviter.display_name or inviter.email} mời bạn cùng quản lý hồ sơ của "
            f"{producer.name} trên Chợ Việt.\n\nNhận lời mời và đặt mật khẩu tại:\n"
            f"{_link('account.accept_invitation', token)}\n\nLiên kết có hiệu lực 48 giờ.",
        )
        audit.record(inviter, "account.invite", "producer", producer.id, after={"email": email})


@dataclass(frozen=True)
class PendingInvitation:
    invitation: Invitation
    existing_user: User | None


def read_invitation(token: str) -> PendingInvitation:
    payload = tokens.read("invitation", token)
    invitation = db.session.get(Invitation, int(payload.get("iid", 0)))
    if invitation is None or invitation.email != payload.get("email"):
        raise tokens.TokenError(expired=False)
    if invitation.accepted_at is not None:
        raise AccountError("Lời mời này đã được sử dụng.")
    return PendingInvitation(invitation, find_user(invitation.email))


def accept_invitation(token: str, password: str, display_name: str) -> User:
    with write_transaction():
        pending = read_invitation(token)
        invitation = pending.invitation
        user = pending.existing_user
        if user is not None:
            if user.producer_id not in (None, invitation.producer_id):
                raise AccountError("Địa chỉ e-mail này đã quản lý một cơ sở khác.")
            if not user.password_hash or not check_password_hash(user.password_hash, password):
                raise AccountError("Mật khẩu không đúng với tài khoản đã có.")
        else:
            user = User(
                email=invitation.email,
                password_hash=generate_password_hash(password),
                role="producer",
                display_name=clean_text(display_name)[:200],
            )
            db.session.add(user)
        user.producer_id = invitation.producer_id
        user.email_verified_at = user.email_verified_at or utcnow()
        invitation.accepted_at = utcnow()
        db.session.flush()
        audit.record(user, "account.accept_invitation", "producer", invitation.producer_id)
    return user
