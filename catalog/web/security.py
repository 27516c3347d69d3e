"""Who is signed in, and what they may open."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort
from flask_login import current_user

from catalog.extensions import db, login_manager
from catalog.models import User

# ASCII digits only ("²".isdigit() is True), and few enough to fit the database's integers.
_SESSION_ID = re.compile(r"(?P<user>[0-9]{1,18}):(?P<version>[0-9]{1,18})", re.ASCII)


def load_user(session_id: str) -> User | None:
    """The user a session or remember-me cookie names, if it is still theirs.

    Both carry "<user id>:<session version>" (User.get_id). A version other than the user's
    current one belongs to a session that ended (signed out, password changed or reset,
    role or active status changed, "sign out everywhere": catalog/accounts/sessions.py), so
    a copied cookie replayed afterwards is anonymous; so is anything malformed.
    """
    match = _SESSION_ID.fullmatch(session_id) if isinstance(session_id, str) else None
    if match is None:
        return None
    user = db.session.get(User, int(match["user"]))
    if user is None or not user.active:
        return None
    if int(match["version"]) != user.session_version:
        return None
    return user


def role_required(*roles: str) -> Callable:
    """Only signed-in users with one of these roles; others get 403 (anonymous: login)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_security(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "account.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
