"""Who may open a producer's own pages: shared by every feature's producer views (kept here so
no view module doubles as a helper library)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from catalog.web.security import role_required


def producer_required(view: Callable) -> Callable:
    """Signed-in producer accounts linked to a business; anonymous → login, others → 403."""

    @wraps(view)
    @role_required("producer")
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.producer_id is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
