"""Thin views: register, sign in and out, links sent by e-mail, invitations.

Every form re-renders with its errors (HTTP 422) and keeps what was typed, except passwords.
Answers never tell whether an e-mail address has an account.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError
from werkzeug.routing import BuildError

from catalog.accounts import accounts
from catalog.accounts.forms import (
    AcceptInvitationForm,
    AcceptWithAccountForm,
    EmailOnlyForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from catalog.extensions import limiter
from catalog.platform import geo, tokens
from catalog.web.blueprints import account as bp
from catalog.web.error_pages import render_error, wants_json
from catalog.web.security import role_required

BAD_LOGIN = (
    "E-mail hoặc mật khẩu không đúng. Hãy kiểm tra lại (chữ hoa, chữ thường, bộ gõ tiếng "
    "Việt), hoặc đặt lại mật khẩu nếu bạn quên."
)
PRODUCER_HOME = "/co-so-cua-toi/"


# ---------------------------------------------------------------- helpers


def _rate(setting: str):  # type: ignore[no-untyped-def]
    """A limit read from the configuration at request time (CHOVIET_LOGIN_RATE…)."""
    return lambda: current_app.config[setting]


def _email_key() -> str:
    """Rate-limit key: the address typed into the form, whatever the client's IP."""
    return "email:" + accounts.normalize_email(request.form.get("email", ""))[:254]


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirects)."""
    if not target or len(target) > 1000 or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target:
        return None
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_for(user: Any) -> str:
    """Where a signed-in person lands: producers on their own space, officials on theirs."""
    if user.role == "producer":
        endpoint, fallback = "producer.dashboard", PRODUCER_HOME
    else:
        endpoint, fallback = "official.dashboard", url_for("public.home")
    try:
        return url_for(endpoint)
    except BuildError:
        return fallback


def _sign_in(user: Any, remember: bool = False) -> None:
    # A fresh session: nothing from before signing in carries over.
    session.clear()
    login_user(user, remember=remember)


def _render_form(template: str, form: Any, **context: Any):  # type: ignore[no-untyped-def]
    """The page with its form; 422 when a submitted form has errors."""
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template(template, form=form, **context), status


def _message(status: int, title: str, message: str, actions=(), note: str = ""):  # type: ignore[no-untyped-def]
    return render_template(
        "account/message.html", title=title, message=message, actions=actions, note=note
    ), status


def _link_error(exc: tokens.TokenError, again_url: str, again_label: str):  # type: ignore[no-untyped-def]
    if exc.expired:
        title = "Liên kết đã hết hạn"
        message = (
            "Vì an toàn, liên kết trong thư chỉ dùng được trong một thời gian ngắn. "
            "Bạn có thể yêu cầu một liên kết mới."
        )
    else:
        title = "Liên kết không dùng được"
        message = (
            "Liên kết không đúng, không còn hiệu lực hoặc đã được dùng. Hãy mở lại đúng liên "
            "kết trong thư mới nhất (một số ứng dụng thư làm mất phần cuối của liên kết), "
            "hoặc yêu cầu một liên kết mới."
        )
    return _message(400, title, message, actions=[(again_url, again_label)])


@bp.after_request
def _private(response) -> ResponseReturnValue:
    # Forms with a CSRF token, e-mail addresses, links with tokens: never stored by caches.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_context_processor
def _account_globals() -> dict[str, Any]:
    return {"account_home_url": home_for}


@bp.errorhandler(429)
def _too_many(exc: Any) -> ResponseReturnValue:
    limit = getattr(exc, "limit", None)
    seconds = limit.limit.get_expiry() if limit is not None else 60
    wait = f"{seconds // 3600} giờ" if seconds >= 3600 else f"{max(1, seconds // 60)} phút"
    what = "đăng nhập" if request.endpoint == "account.login" else "gửi yêu cầu này"
    return _message(
        429,
        "Bạn đã thử quá nhiều lần",
        f"Để bảo vệ tài khoản, bạn đã {what} quá nhiều lần trong thời gian ngắn. "
        f"Vui lòng đợi khoảng {wait} rồi thử lại.",
        actions=[(request.path, "Thử lại sau")],
    )


@bp.app_errorhandler(CSRFError)
def _csrf_failed(exc: CSRFError) -> ResponseReturnValue:
    """Any form on the site sent without its security code, or with an expired one."""
    if wants_json():
        return render_error(400, exc.description)
    rule = request.url_rule
    back = request.path if rule is not None and "GET" in (rule.methods or ()) else "/"
    return _message(
        400,
        "Biểu mẫu đã hết hạn",
        "Để bảo vệ bạn, mỗi biểu mẫu chỉ dùng được trong một thời gian và trên trình duyệt "
        "đã mở nó. Vui lòng mở lại trang, điền lại và gửi lần nữa.",
        actions=[(back, "Mở lại trang")],
    )


# ---------------------------------------------------------------- registration


@bp.route("/dang-ky", methods=["GET", "POST"])
@limiter.limit(_rate("REGISTER_RATE"), methods=["POST"])
@limiter.limit(_rate("MAIL_PER_ADDRESS_RATE"), methods=["POST"], key_func=_email_key)
def register() -> ResponseReturnValue:
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegisterForm().set_provinces(geo.all_provinces())
    if form.validate_on_submit():
        try:
            accounts.register(
                form.email.data,
                form.password.data,
                form.business_name.data,
                int(form.province_id.data),
            )
        except accounts.AccountError as exc:
            form.province_id.errors.append(str(exc))
        else:
            # The same answer whether or not the address already had an account.
            return redirect(url_for(".check_email", muc="dang-ky"))
    return _render_form("account/register.html", form)


CHECK_EMAIL = {
    "dang-ky": (
        "Hãy kiểm tra hộp thư của bạn",
        "Chúng tôi đã gửi một thư đến địa chỉ bạn vừa nhập. Hãy mở thư và làm theo hướng dẫn "
        "để hoàn tất đăng ký.",
    ),
    "mat-khau": (
        "Hãy kiểm tra hộp thư của bạn",
        "Nếu địa chỉ này có tài khoản trên Chợ Việt, chúng tôi đã gửi đến đó một liên kết để "
        "đặt mật khẩu mới. Liên kết chỉ dùng được một lần.",
    ),
    "xac-nhan": (
        "Hãy kiểm tra hộp thư của bạn",
        "Nếu địa chỉ này có tài khoản chưa xác nhận, chúng tôi đã gửi lại thư xác nhận.",
    ),
}


@bp.get("/kiem-tra-hop-thu")
def check_email() -> ResponseReturnValue:
    title, message = CHECK_EMAIL.get(request.args.get("muc", ""), CHECK_EMAIL["dang-ky"])
    note = ""
    config = current_app.config
    if not config["SMTP_HOST"] and config["ENV_NAME"] == "development":
        note = (
            "Môi trường phát triển: thư không được gửi đi thật. Xem thư bằng lệnh "
            "“flask --app app mail outbox” hoặc trong nhật ký máy chủ."
        )
    if request.args.get("muc") == "mat-khau":
        actions = [(url_for(".forgot_password"), "Không nhận được thư? Gửi lại liên kết")]
    else:
        actions = [(url_for(".resend_verification"), "Không nhận được thư? Gửi lại thư")]
    if not current_user.is_authenticated:
        actions.append((url_for(".login"), "Đăng nhập"))
    return _message(200, title, message + " Không thấy thư? Xem cả mục Spam.", actions, note)


@bp.get("/xac-nhan-email/<token>")
def verify_email(token: str) -> ResponseReturnValue:
    try:
        user = accounts.verify_email(token)
    except tokens.TokenError as exc:
        return _link_error(exc, url_for(".resend_verification"), "Gửi lại thư xác nhận")
    flash("Cảm ơn bạn, địa chỉ e-mail đã được xác nhận.", "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(home_for(user))
    return redirect(url_for(".login"))


@bp.route("/gui-lai-xac-nhan", methods=["GET", "POST"])
@limiter.limit(_rate("RESEND_VERIFICATION_RATE"), methods=["POST"])
@limiter.limit(_rate("MAIL_PER_ADDRESS_RATE"), methods=["POST"], key_func=_email_key)
def resend_verification() -> ResponseReturnValue:
    form = EmailOnlyForm(email=current_user.email if current_user.is_authenticated else None)
    if form.validate_on_submit():
        accounts.resend_verification(form.email.data)
        return redirect(url_for(".check_email", muc="xac-nhan"))
    return _render_form("account/resend_verification.html", form)


# ---------------------------------------------------------------- signing in and out


@bp.route("/dang-nhap", methods=["GET", "POST"])
@limiter.limit(_rate("LOGIN_RATE"), methods=["POST"])
def login() -> ResponseReturnValue:
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or home_for(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(BAD_LOGIN)
        else:
            _sign_in(user, remember=bool(form.remember.data))
            flash("Bạn đã đăng nhập.", "success")
            return redirect(safe_next(form.next.data) or home_for(user))
    return _render_form("account/login.html", form)


@bp.post("/dang-xuat")
def logout() -> ResponseReturnValue:
    # Clear first: logout_user() then marks the remember-me cookie for deletion.
    session.clear()
    logout_user()
    flash("Bạn đã đăng xuất.", "success")
    return redirect(url_for("public.home"))


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@limiter.limit(_rate("PASSWORD_RESET_RATE"), methods=["POST"])
@limiter.limit(_rate("MAIL_PER_ADDRESS_RATE"), methods=["POST"], key_func=_email_key)
def forgot_password() -> ResponseReturnValue:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        return redirect(url_for(".check_email", muc="mat-khau"))
    return _render_form("account/forgot_password.html", form)


@bp.route("/dat-lai-mat-khau/<token>", methods=["GET", "POST"])
@limiter.limit(_rate("PASSWORD_RESET_RATE"), methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    again = (url_for(".forgot_password"), "Yêu cầu liên kết mới")
    try:
        accounts.user_for_reset(token)
    except tokens.TokenError as exc:
        return _link_error(exc, *again)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(token, form.password.data)
        except tokens.TokenError as exc:
            return _link_error(exc, *again)
        _sign_in(user)
        flash(
            "Đã đặt mật khẩu mới. Mọi phiên đăng nhập cũ của tài khoản đã được đăng xuất.",
            "success",
        )
        return redirect(home_for(user))
    return _render_form("account/reset_password.html", form)


# ---------------------------------------------------------------- colleagues


@bp.route("/moi-dong-nghiep", methods=["GET", "POST"])
@role_required("producer")
@limiter.limit(_rate("INVITE_RATE"), methods=["POST"])
def invite() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = EmailOnlyForm()
    if form.validate_on_submit():
        try:
            invitation = accounts.invite_colleague(user, form.email.data)
        except accounts.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(f"Đã gửi lời mời đến {invitation.email}.", "success")
            return redirect(url_for(".invite"))
    team = accounts.team(user.producer_id) if user.producer_id else None
    producer_name = user.producer.name if user.producer_id else ""
    return _render_form("account/invite.html", form, team=team, producer_name=producer_name)


@bp.route("/nhan-loi-moi/<token>", methods=["GET", "POST"])
@limiter.limit(_rate("LOGIN_RATE"), methods=["POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    try:
        pending = accounts.read_invitation(token)
    except tokens.TokenError as exc:
        return _link_error(exc, url_for(".login"), "Đăng nhập")
    except accounts.AccountError as exc:
        return _message(400, "Lời mời đã được dùng", str(exc), [(url_for(".login"), "Đăng nhập")])
    if pending.blocked_reason:
        return _message(409, "Chưa thể nhận lời mời", pending.blocked_reason)
    existing = pending.existing_user is not None
    form = AcceptWithAccountForm() if existing else AcceptInvitationForm()
    if form.validate_on_submit():
        name = "" if existing else form.display_name.data
        try:
            user = accounts.accept_invitation(token, form.password.data, name)
        except tokens.TokenError as exc:
            return _link_error(exc, url_for(".login"), "Đăng nhập")
        except accounts.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            _sign_in(user)
            flash(f"Bạn đã cùng quản lý {pending.producer_name} trên Chợ Việt.", "success")
            return redirect(home_for(user))
    return _render_form("account/accept_invitation.html", form, pending=pending)
