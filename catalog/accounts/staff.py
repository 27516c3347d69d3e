"""Admins manage staff accounts on the web: create an official or admin (through
users.create_staff, so the set-password e-mail is the same as `flask users create`), change
their provinces and role, deactivate or reactivate them.

An admin cannot deactivate or demote themselves: the last admin would otherwise lock
everyone out of user management.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from catalog.accounts import accounts
from catalog.accounts.sessions import end_sessions
from catalog.accounts.users import STAFF_ROLES, UserError, create_staff
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Province, User
from catalog.platform import audit


class StaffError(UserError):
    """A polite refusal; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _provinces(province_ids: Iterable[int], role: str) -> list[Province]:
    ids = list(dict.fromkeys(province_ids))
    provinces = list(db.session.scalars(select(Province).where(Province.id.in_(ids))))
    if len(provinces) != len(ids):
        raise StaffError("Có tỉnh, thành phố không tồn tại.", field="provinces")
    if role == "official" and not provinces:
        raise StaffError("Cán bộ cần phụ trách ít nhất một tỉnh, thành phố.", field="provinces")
    return sorted(provinces, key=lambda p: p.name) if role == "official" else []


def _check_role(role: str) -> None:
    if role not in STAFF_ROLES:
        raise StaffError("Vai trò không hợp lệ.", field="role")


def create(admin: User, email: str, role: str, province_ids: Iterable[int]) -> User:
    """A new official or admin; refuses an address that already has an account."""
    _require_admin(admin)
    _check_role(role)
    provinces = _provinces(province_ids, role)
    if accounts.find_user(email) is not None:
        raise StaffError("Địa chỉ e-mail này đã có tài khoản.", field="email")
    try:
        return create_staff(email, role, [p.name for p in provinces], actor=admin)
    except StaffError:
        raise
    except UserError as exc:
        raise StaffError(str(exc), field="email") from exc


def update(
    admin: User, user_id: int, *, role: str, province_ids: Iterable[int], active: bool
) -> User:
    """Change a staff account's role, provinces and whether it may sign in."""
    _require_admin(admin)
    _check_role(role)
    with write_transaction():
        user = db.session.get(User, user_id)
        if user is None or user.role not in STAFF_ROLES:
            raise LookupError(user_id)
        if user.id == admin.id and role != "admin":
            raise StaffError("Bạn không thể tự bỏ quyền quản trị của mình.", field="role")
        if user.id == admin.id and not active:
            raise StaffError("Bạn không thể tự khóa tài khoản của mình.", field="active")
        provinces = _provinces(province_ids, role)
        before = _state(user)
        user.role = role
        user.provinces = provinces
        user.active = active
        after = _state(user)
        if (after["role"], after["active"]) != (before["role"], before["active"]):
            # A new role or a deactivation must not wait for old sessions to expire.
            end_sessions(user)
        if after != before:
            user.bump_version()  # an admin's form opened before this is now stale (409)
            audit.record(admin, "user.update", "user", user.id, before=before, after=after)
    return user


def _state(user: User) -> dict[str, object]:
    return {
        "role": user.role,
        "provinces": sorted(p.name for p in user.provinces),
        "active": user.active,
    }


def _require_admin(admin: User) -> None:
    if admin.role != "admin" or not admin.is_active:
        raise PermissionError("Chỉ quản trị viên được quản lý tài khoản.")


def staff_list(role: str = "", province_id: int | None = None) -> list[User]:
    """Officials and admins, filtered by role and province, by e-mail."""
    stmt = select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.email)
    if role in STAFF_ROLES:
        stmt = stmt.where(User.role == role)
    if province_id is not None:
        stmt = stmt.where(User.provinces.any(Province.id == province_id))
    return list(db.session.scalars(stmt))
