"""Accounts: registration, e-mail verification, sign-in, password reset, invitations.

Messages never reveal whether an e-mail address is registered: registration and reset answer
the same way either way, and the owner of an existing address gets an e-mail instead.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from catalog.accounts import sign_in_throttle
from catalog.accounts.email_addresses import account_email, normalize_email
from catalog.accounts.sessions import end_sessions
from catalog.database import write_transaction
from catalog.errors import Invalid
from catalog.extensions import db
from catalog.models import Invitation, Producer, Province, User
from catalog.platform import audit, mail, tokens
from catalog.platform.clock import utcnow
from catalog.platform.slugs import unique_slug
from catalog.platform.vietnamese import clean_text, infer_producer_type, normalize_key

# A hash computed once, so that checking an unknown e-mail costs as much as a known one.
_DUMMY_HASH = generate_password_hash("chợ việt timing guard")
CURRENT_HASH_METHOD = "scrypt"


class AccountError(Invalid):
    """A polite, user-facing reason an account action was refused."""


def normalize_password(password: str) -> str:
    """NFC, so that a password typed on a keyboard that composes differently still matches.
    Nothing else: spaces and case are part of a password."""
    return unicodedata.normalize("NFC", password or "")


MIN_PASSWORD = 8
MAX_PASSWORD = 200
GUESSABLE = ("password", "matkhau123", "12345678")


def password_problem(password: str) -> str | None:
    """Why a new password is refused (web forms and the command line share it), or None."""
    if len(password) < MIN_PASSWORD:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
    if len(password) > MAX_PASSWORD:
        return "Mật khẩu quá dài."
    if password.isdigit() or password.lower() in GUESSABLE:
        return "Mật khẩu quá dễ đoán; hãy dùng cả chữ và số."
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(normalize_password(password), method=CURRENT_HASH_METHOD)


def _password_matches(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    return check_password_hash(user.password_hash, normalize_password(password))


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def link(endpoint: str, token: str) -> str:
    base = current_app.config["SITE_URL"].rstrip("/")
    return base + url_for(endpoint, token=token)


def valid_for() -> str:
    """How long an e-mailed link works, in words (every mail that carries one says it)."""
    hours = max(1, current_app.config["TOKEN_MAX_AGE_S"] // 3600)
    return f"{hours} giờ"


def password_stamp(user: User) -> int:
    """The whole second of the last password change: reset and staff invitation links
    carry it, so setting a password through one ends them all."""
    return int(user.password_changed_at.timestamp())


def register(email: str, password: str, business_name: str, province_id: int) -> None:
    """Create a producer account and its (pending) business, and send the verification link.

    The caller shows the same message whatever happens, so nobody can probe which addresses
    are registered (the password is hashed either way, so the answer takes as long).
    """
    email = account_email(email)
    password_hash = hash_password(password)
    with write_transaction():
        if db.session.get(Province, province_id) is None:
            raise AccountError("Vui lòng chọn tỉnh, thành phố trong danh sách.")
        existing = find_user(email)
        if existing is not None and existing.active and existing.email_verified_at is None:
            # Most likely the owner lost the first e-mail and is trying again.
            send_verification(existing)
            return
        if existing is not None:
            mail.queue(
                email,
                "Chợ Việt: có người muốn đăng ký bằng địa chỉ e-mail của bạn",
                "Chào bạn,\n\nAi đó (có thể là bạn) vừa đăng ký tài khoản Chợ Việt bằng địa "
                "chỉ này, nhưng địa chỉ đã có tài khoản nên chúng tôi không tạo thêm.\n\n"
                "Nếu quên mật khẩu, hãy đặt lại tại:\n"
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
            password_hash=password_hash,
            role="producer",
            producer_id=producer.id,
            display_name=name,
        )
        db.session.add(user)
        db.session.flush()
        audit.record(user, "account.register", "producer", producer.id, after={"name": name})
        send_verification(user)


def send_verification(user: User) -> None:
    token = tokens.make("verify-email", {"uid": user.id, "email": user.email})
    mail.queue(
        user.email,
        "Chợ Việt: xác nhận địa chỉ e-mail",
        "Chào bạn,\n\nVui lòng xác nhận địa chỉ e-mail để hoàn tất đăng ký trên Chợ Việt:\n"
        f"{link('account.verify_email', token)}\n\nLiên kết có hiệu lực trong {valid_for()}.\n"
        "Nếu bạn không đăng ký, hãy bỏ qua thư này.",
    )


def resend_verification(email: str) -> None:
    """Send a new verification link if this address has an unverified account; otherwise do
    nothing (the caller answers the same either way)."""
    with write_transaction():
        user = find_user(email)
        if user is None or not user.active or user.email_verified_at is not None:
            return
        send_verification(user)


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
        check_password_hash(_DUMMY_HASH, normalize_password(password))
        return None
    if not _password_matches(user, password) or not user.active:
        return None
    with write_transaction():
        user.last_login_at = utcnow()
        if not user.password_hash.startswith(CURRENT_HASH_METHOD + ":"):
            # An older hash (pbkdf2…): store it again with the current algorithm. The
            # password is the same, so sessions stay valid.
            user.password_hash = hash_password(password)
    return user


def request_password_reset(email: str) -> None:
    with write_transaction():
        user = find_user(email)
        if user is None or not user.active:
            return
        token = tokens.make("reset-password", {"uid": user.id, "stamp": password_stamp(user)})
        mail.queue(
            user.email,
            "Chợ Việt: đặt lại mật khẩu",
            f"Chào bạn,\n\nĐể đặt mật khẩu mới, hãy mở liên kết sau (có hiệu lực {valid_for()}, "
            f"dùng được một lần):\n{link('account.reset_password', token)}\n\n"
            "Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu cũ vẫn dùng được.",
        )


def user_for_reset(token: str) -> User:
    """The user a reset link belongs to; TokenError once the password has changed since."""
    payload = tokens.read("reset-password", token)
    user = db.session.get(User, int(payload.get("uid", 0)))
    if user is None or not user.active or payload.get("stamp") != password_stamp(user):
        raise tokens.TokenError(expired=False)
    return user


def reset_password(token: str, new_password: str) -> User:
    with write_transaction():
        user = user_for_reset(token)
        set_password(user, new_password)
        # Following the link proves the address belongs to the user, who may sign in at
        # once: wrong passwords typed for the address before are forgotten.
        user.email_verified_at = user.email_verified_at or utcnow()
        sign_in_throttle.clear(sign_in_throttle.keys_for(user.email))
        audit.record(user, "account.reset_password", "user", user.id)
    return user


def set_password(user: User, password: str) -> None:
    """A new password: reset links and every session issued before end with the old one."""
    user.password_hash = hash_password(password)
    user.password_changed_at = _next_stamp(user.password_changed_at)
    end_sessions(user)


def _next_stamp(previous: datetime | None) -> datetime:
    """Now, but always in a later whole second than `previous`: reset links compare whole
    seconds, and a change within the same second must still invalidate them."""
    now = utcnow()
    if previous is not None and int(now.timestamp()) <= int(previous.timestamp()):
        now = previous.replace(microsecond=0) + timedelta(seconds=1)
    return now


def set_password_by_operator(email: str, password: str) -> User:
    """`flask users set-password`: whoever runs commands on the server sets a password
    directly, e.g. for the demo producers, whose .invalid addresses can receive no reset link.
    Earlier sessions end as with any password change."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    with write_transaction():
        user = find_user(email)
        if user is None:
            raise AccountError("Không có tài khoản nào với địa chỉ e-mail này.")
        set_password(user, password)
        sign_in_throttle.clear(sign_in_throttle.keys_for(user.email))
        audit.record(None, "account.set_password", "user", user.id, reason="dòng lệnh")
    return user


def change_password(user: User, current: str, new_password: str) -> None:
    if not _password_matches(user, current):
        raise AccountError("Mật khẩu hiện tại không đúng.")
    with write_transaction():
        set_password(user, new_password)
        audit.record(user, "account.change_password", "user", user.id)


def invite_colleague(inviter: User, email: str) -> Invitation:
    """Invite someone to manage the inviter's business. Inviting an address that already has
    an account sends the same invitation; whether it can be accepted is decided then."""
    if inviter.producer_id is None:
        raise AccountError("Tài khoản của bạn chưa gắn với cơ sở sản xuất nào.")
    if inviter.email_verified_at is None:
        raise AccountError("Vui lòng xác nhận địa chỉ e-mail của bạn trước khi mời đồng nghiệp.")
    email = account_email(email)
    with write_transaction():
        existing = find_user(email)
        if existing is not None and existing.producer_id == inviter.producer_id:
            raise AccountError("Người này đã cùng quản lý cơ sở của bạn.")
        invitation = Invitation(
            producer_id=inviter.producer_id, email=email, invited_by_id=inviter.id
        )
        db.session.add(invitation)
        db.session.flush()
        token = tokens.make("invitation", {"iid": invitation.id, "email": email})
        producer = db.session.get_one(Producer, inviter.producer_id)
        mail.queue(
            email,
            f"Chợ Việt: lời mời cùng quản lý {producer.name}",
            f"Chào bạn,\n\n{inviter.display_name or inviter.email} ({inviter.email}) mời bạn "
            f"cùng quản lý hồ sơ của {producer.name} trên Chợ Việt.\n\n"
            f"Nhận lời mời tại:\n{link('account.accept_invitation', token)}\n\n"
            f"Liên kết có hiệu lực {valid_for()}. Nếu bạn không quen người mời, hãy bỏ qua thư.",
        )
        audit.record(inviter, "account.invite", "producer", producer.id, after={"email": email})
    return invitation


@dataclass(frozen=True)
class Team:
    members: list[User]
    pending: list[Invitation]


def team(producer_id: int) -> Team:
    """Who manages a business, and the invitations not accepted yet (newest first)."""
    members = db.session.scalars(
        select(User).where(User.producer_id == producer_id).order_by(User.created_at, User.id)
    ).all()
    pending = db.session.scalars(
        select(Invitation)
        .where(Invitation.producer_id == producer_id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(50)
    ).all()
    return Team(list(members), list(pending))


@dataclass(frozen=True)
class PendingInvitation:
    invitation: Invitation
    producer_name: str
    existing_user: User | None

    @property
    def blocked_reason(self) -> str | None:
        """Why the invited address cannot join, known before asking for a password."""
        user = self.existing_user
        if user is None:
            return None
        if user.role != "producer":
            return (
                "Địa chỉ e-mail này thuộc một tài khoản cán bộ quản lý, không thể tham gia "
                "quản lý cơ sở. Hãy nhờ người mời gửi lời mời đến một địa chỉ khác."
            )
        if not user.active:
            return "Tài khoản dùng địa chỉ e-mail này đang bị khóa."
        if user.producer_id not in (None, self.invitation.producer_id):
            return (
                "Địa chỉ e-mail này đang quản lý một cơ sở khác trên Chợ Việt; mỗi tài khoản "
                "chỉ quản lý một cơ sở. Hãy nhờ người mời gửi lời mời đến một địa chỉ khác."
            )
        return None


def read_invitation(token: str) -> PendingInvitation:
    payload = tokens.read("invitation", token)
    invitation = db.session.get(Invitation, int(payload.get("iid", 0)))
    if invitation is None or invitation.email != payload.get("email"):
        raise tokens.TokenError(expired=False)
    if invitation.accepted_at is not None:
        raise AccountError("Lời mời này đã được sử dụng. Hãy đăng nhập để tiếp tục.")
    producer = db.session.get_one(Producer, invitation.producer_id)
    return PendingInvitation(invitation, producer.name, find_user(invitation.email))


def accept_invitation(token: str, password: str, display_name: str = "") -> User:
    """Join the inviting business: a new account (with this password), or an existing one
    (proved by its password)."""
    with write_transaction():
        pending = read_invitation(token)
        if pending.blocked_reason:
            raise AccountError(pending.blocked_reason)
        invitation = pending.invitation
        user = pending.existing_user
        if user is not None:
            if not _password_matches(user, password):
                raise AccountError("Mật khẩu không đúng với tài khoản đã có.")
        else:
            user = User(
                email=invitation.email,
                password_hash=hash_password(password),
                role="producer",
                display_name=clean_text(display_name)[:200],
            )
            db.session.add(user)
        user.producer_id = invitation.producer_id
        # Following the link proves the address belongs to the invitee.
        user.email_verified_at = user.email_verified_at or utcnow()
        invitation.accepted_at = utcnow()
        db.session.flush()
        audit.record(user, "account.accept_invitation", "producer", invitation.producer_id)
    return user
