"""Thin views: the signed-in person's own account page, changing the password, and signing
out everywhere else.

Both changing the password and "Đăng xuất khỏi mọi thiết bị" end every session and
remember-me cookie of the account (catalog/accounts/sessions.py) except this browser's,
which signs in again under the new session version: whoever presses the button is the one
person certain to be the owner, and usually wants to go on (change the password next, say).
Signing out (the header's button) ends every session, this one included.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from flask_login import current_user

from catalog.accounts import accounts, sessions
from catalog.accounts.account_pages import rate_setting, stay_signed_in
from catalog.accounts.forms import ButtonForm, ChangePasswordForm
from catalog.extensions import limiter
from catalog.models import ROLES
from catalog.web.blueprints import account as bp
from catalog.web.forms_errors import form_page
from catalog.web.security import role_required

signed_in_required = role_required(*ROLES)

ROLE_NAMES = {
    "producer": "Cơ sở sản xuất",
    "official": "Cán bộ quản lý",
    "admin": "Quản trị viên",
}


def _user_key() -> str:
    """Rate-limit key for the password form: the account, whatever the client's IP."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{get_remote_address()}"  # answered with the login page anyway


@bp.get("/")
@signed_in_required
def settings() -> ResponseReturnValue:
    return form_page(
        "account/settings.html",
        ButtonForm(),
        role_name=ROLE_NAMES.get(current_user.role, current_user.role),
    )


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@signed_in_required
@limiter.limit(rate_setting("LOGIN_RATE"), methods=["POST"])
@limiter.limit(rate_setting("LOGIN_RATE"), methods=["POST"], key_func=_user_key)
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current_password.data, form.password.data)
        except accounts.AccountError as exc:
            form.current_password.errors.append(str(exc))
        else:
            stay_signed_in(user)
            flash(
                "Đã đổi mật khẩu. Mọi thiết bị khác đã được đăng xuất; bạn vẫn đăng nhập trên "
                "thiết bị này.",
                "success",
            )
            return redirect(url_for(".settings"))
    return form_page("account/change_password.html", form)


@bp.post("/dang-xuat-moi-noi")
@signed_in_required
def sign_out_everywhere() -> ResponseReturnValue:
    if not ButtonForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    sessions.sign_out_everywhere(user)
    stay_signed_in(user)
    flash("Đã đăng xuất khỏi mọi thiết bị khác. Bạn vẫn đăng nhập trên thiết bị này.", "success")
    return redirect(url_for(".settings"))
