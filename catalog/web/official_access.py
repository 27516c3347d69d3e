"""Who may open the officials' workspace, and which provinces they may act on: shared by
every feature's official views (kept here so no view module doubles as a helper library)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from catalog.web.security import role_required

official_required = role_required("official", "admin")


def in_scope(*province_ids: int | None) -> None:
    """403 unless the signed-in official covers every province given (None: no province)."""
    if not current_user.is_active:
        abort(403)
    for province_id in province_ids:
        if province_id is not None and not current_user.covers(province_id):
            abort(403)
