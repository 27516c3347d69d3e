"""Admins' forms for staff accounts: e-mail, role, provinces (several), active."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, SelectMultipleField
from wtforms.fields.choices import SelectChoice

from catalog.platform import geo
from catalog.web.edit_conflicts import VersionedForm
from catalog.web.fields import radio_choice
from catalog.web.forms_common import email_field

ROLE_LABELS = {"official": "Cán bộ (theo tỉnh, thành phố)", "admin": "Quản trị viên (toàn quốc)"}


def _province_ids(values: Any) -> list[int]:
    """Garbage ids become -1, which is not a choice: refused in Vietnamese, never a 500."""
    result = []
    for value in values or []:
        try:
            result.append(int(value))
        except (TypeError, ValueError):
            result.append(-1)
    return result


class StaffForm(VersionedForm):
    role = radio_choice("Vai trò", ROLE_LABELS.items(), "Vui lòng chọn vai trò.")
    provinces = SelectMultipleField(
        "Tỉnh, thành phố phụ trách",
        coerce=int,
        description="Giữ Ctrl (hoặc ⌘) để chọn nhiều. Bắt buộc với cán bộ.",
    )
    active = BooleanField("Tài khoản đang hoạt động (được đăng nhập)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.provinces.choices = [SelectChoice(p.id, p.name) for p in geo.all_provinces()]

    def province_ids(self) -> list[int]:
        return _province_ids(self.provinces.data)


class NewStaffForm(StaffForm):
    email = email_field("E-mail", 254, required=True)
