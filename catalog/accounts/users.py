"""Staff accounts made by an administrator: trade officials (scoped to provinces) and admins.

Producers sign up themselves (services/accounts.py); officials and admins are created from
the command line or the admins' users page. A new account gets an invitation by e-mail
(staff_invitations: who invited them, as what, a link to create their password) so nobody has
to pass a password around; an existing account that is re-scoped gets a reset link as before.
"""

from __future__ import annotations

import secrets

from catalog.accounts import accounts, staff_invitations
from catalog.accounts.email_addresses import EmailRefused, account_email
from catalog.accounts.sessions import end_sessions
from catalog.database import write_transaction
from catalog.errors import Invalid
from catalog.extensions import db
from catalog.models import Province, User
from catalog.platform import audit, geo
from catalog.platform.clock import utcnow

STAFF_ROLES = ("official", "admin")


class UserError(Invalid):
    """A polite reason the account could not be created."""


def create_staff(
    email: str, role: str, province_names: list[str], *, actor: User | None = None
) -> User:
    """Create (or re-scope) an official or admin; returns the user. `actor` is the admin
    who did it on the web (None from the command line)."""
    if role not in STAFF_ROLES:
        raise UserError(f"Vai trò phải là một trong: {', '.join(STAFF_ROLES)}.")
    try:
        email = account_email(email)
    except EmailRefused as exc:
        raise UserError(exc.message, field="email") from exc
    provinces: list[Province] = []
    for name in province_names:
        province = geo.resolve_province(name)
        if province is None:
            raise UserError(f"Không có tỉnh/thành phố “{name}”.")
        provinces.append(province)
    if role == "official" and not provinces:
        raise UserError("Cán bộ cần ít nhất một tỉnh/thành phố (--province).")
    existing = accounts.find_user(email)
    if existing is not None and existing.role == "producer":
        raise UserError("Địa chỉ này đang là tài khoản của một cơ sở sản xuất.")
    with write_transaction():
        user = existing or User(email=email, display_name=email.split("@")[0])
        before = None if existing is None else {"role": user.role}
        if existing is not None and existing.role != role:
            end_sessions(user)  # sessions signed in under the old role end
        if existing is not None:
            user.bump_version()  # re-scoped: an admin's open form of it is now stale
        user.role = role
        user.provinces = provinces
        user.email_verified_at = user.email_verified_at or utcnow()
        if user.password_hash is None:
            user.password_hash = accounts.hash_password(secrets.token_urlsafe(32))
        db.session.add(user)
        db.session.flush()
        audit.record(
            actor,
            "user.create_staff" if existing is None else "user.update_staff",
            "user",
            user.id,
            before=before,
            after={"role": role, "provinces": [p.name for p in provinces]},
        )
        if existing is None:
            staff_invitations.send(user, actor)
    if existing is not None:
        accounts.request_password_reset(email)
    return user
