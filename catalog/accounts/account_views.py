"""Thin views: register, sign in and out, links sent by e-mail, invitations.

Every form re-renders with its errors (HTTP 422) and keeps what was typed, except passwords.
Answers never tell whether an e-mail address has an account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

from catalog.accounts import (
    accounts,
    known_devices,
    password_sign_in,
    sessions,
    staff_invitations,
)
from catalog.accounts.account_pages import (
    email_key,
    home_for,
    link_error,
    message_page,
    rate_setting,
    safe_next,
    sign_in,
    sign_in_delayed,
)
from catalog.accounts.email_addresses import EmailRefused
from catalog.accounts.forms import (
    AcceptInvitationForm,
    AcceptWithAccountForm,
    CreatePasswordForm,
    EmailOnlyForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from catalog.extensions import limiter
from catalog.platform import geo, tokens
from catalog.web.blueprints import account as bp
from catalog.web.error_pages import render_error, wants_json
from catalog.web.forms_errors import form_page
from catalog.web.security import role_required
from catalog.web.too_many import retry_after, wait_text

BAD_LOGIN = (
    "E-mail hoặc mật khẩu không đúng. Hãy kiểm tra lại (chữ hoa, chữ thường, bộ gõ tiếng "
    "Việt), hoặc đặt lại mật khẩu nếu bạn quên."
)


# ---------------------------------------------------------------- the blueprint's pages


@bp.after_request
def _private(response: Response) -> Response:
    # Forms with a CSRF token, e-mail addresses, links with tokens: never stored by caches.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_context_processor
def _account_globals() -> dict[str, Any]:
    return {"account_home_url": home_for}


@bp.errorhandler(429)
def _too_many(exc: Any) -> ResponseReturnValue:
    wait = wait_text(retry_after(exc, 60), translate=False)
    what = "đăng nhập" if request.endpoint == "account.login" else "gửi yêu cầu này"
    return message_page(
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
    return message_page(
        400,
        "Biểu mẫu đã hết hạn",
        "Để bảo vệ bạn, mỗi biểu mẫu chỉ dùng được trong một thời gian và trên trình duyệt "
        "đã mở nó. Vui lòng mở lại trang, điền lại và gửi lần nữa.",
        actions=[(back, "Mở lại trang")],
    )


# ---------------------------------------------------------------- registration


@bp.route("/dang-ky", methods=["GET", "POST"])
@limiter.limit(rate_setting("REGISTER_RATE"), methods=["POST"])
@limiter.limit(rate_setting("MAIL_PER_ADDRESS_RATE"), methods=["POST"], key_func=email_key)
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
        except EmailRefused as exc:
            form.email.errors.append(str(exc))
        except accounts.AccountError as exc:
            form.province_id.errors.append(str(exc))
        else:
            # The same answer whether or not the address already had an account.
            return redirect(url_for(".check_email", muc="dang-ky"))
    return form_page("account/register.html", form)


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
    return message_page(200, title, message + " Không thấy thư? Xem cả mục Spam.", actions, note)


@bp.get("/xac-nhan-email/<token>")
def verify_email(token: str) -> ResponseReturnValue:
    try:
        user = accounts.verify_email(token)
    except tokens.TokenError as exc:
        return link_error(exc, url_for(".resend_verification"), "Gửi lại thư xác nhận")
    flash("Cảm ơn bạn, địa chỉ e-mail đã được xác nhận.", "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(home_for(user))
    return redirect(url_for(".login"))


@bp.route("/gui-lai-xac-nhan", methods=["GET", "POST"])
@limiter.limit(rate_setting("RESEND_VERIFICATION_RATE"), methods=["POST"])
@limiter.limit(rate_setting("MAIL_PER_ADDRESS_RATE"), methods=["POST"], key_func=email_key)
def resend_verification() -> ResponseReturnValue:
    form = EmailOnlyForm(email=current_user.email if current_user.is_authenticated else None)
    return _mail_request(
        form, accounts.resend_verification, "xac-nhan", "account/resend_verification.html"
    )


def _mail_request(
    form: EmailOnlyForm, send: Callable[[str], object], sent: str, template: str
) -> ResponseReturnValue:
    """A form that only asks for an address: send, then the same "check your mail" page
    whether or not the address has an account."""
    if form.validate_on_submit():
        send(form.email.data)
        return redirect(url_for(".check_email", muc=sent))
    return form_page(template, form)


# ---------------------------------------------------------------- signing in and out


@bp.route("/dang-nhap", methods=["GET", "POST"])
@limiter.limit(rate_setting("LOGIN_RATE"), methods=["POST"])
def login() -> ResponseReturnValue:
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or home_for(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email = form.email.data
        try:
            user = password_sign_in.authenticate(
                email, form.password.data, known_device=known_devices.knows(email)
            )
        except password_sign_in.SignInDelayed as exc:
            return sign_in_delayed(form, exc)
        if user is None:
            form.form_errors.append(BAD_LOGIN)
        else:
            sign_in(user, remember=bool(form.remember.data))
            flash("Bạn đã đăng nhập.", "success")
            landing = redirect(safe_next(form.next.data) or home_for(user))
            return known_devices.remember(landing, email)
    return form_page("account/login.html", form)


@bp.post("/dang-xuat")
def logout() -> ResponseReturnValue:
    """Signing out ends this session and every copy of its cookies (sessions.sign_out)."""
    if current_user.is_authenticated:
        sessions.sign_out(current_user._get_current_object())
    # Clear first: logout_user() then marks the remember-me cookie for deletion.
    session.clear()
    logout_user()
    flash("Bạn đã đăng xuất.", "success")
    return redirect(url_for("public.home"))


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@limiter.limit(rate_setting("PASSWORD_RESET_RATE"), methods=["POST"])
@limiter.limit(rate_setting("MAIL_PER_ADDRESS_RATE"), methods=["POST"], key_func=email_key)
def forgot_password() -> ResponseReturnValue:
    return _mail_request(
        EmailOnlyForm(),
        accounts.request_password_reset,
        "mat-khau",
        "account/forgot_password.html",
    )


@bp.route("/dat-lai-mat-khau/<token>", methods=["GET", "POST"])
@limiter.limit(rate_setting("PASSWORD_RESET_RATE"), methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    again = (url_for(".forgot_password"), "Yêu cầu liên kết mới")
    try:
        accounts.user_for_reset(token)
    except tokens.TokenError as exc:
        return link_error(exc, *again)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(token, form.password.data)
        except tokens.TokenError as exc:
            return link_error(exc, *again)
        sign_in(user)
        flash(
            "Đã đặt mật khẩu mới. Mọi phiên đăng nhập cũ của tài khoản đã được đăng xuất.",
            "success",
        )
        # Following the link proved the mailbox: this browser is the owner's from now on.
        return known_devices.remember(redirect(home_for(user)), user.email)
    return form_page("account/reset_password.html", form)


@bp.route("/tao-mat-khau/<token>", methods=["GET", "POST"])
@limiter.limit(rate_setting("PASSWORD_RESET_RATE"), methods=["POST"])
def staff_invitation(token: str) -> ResponseReturnValue:
    """An invited official or admin creates their password (welcome words, not a reset)."""
    try:
        invitation = staff_invitations.read(token)
    except (tokens.TokenError, staff_invitations.InvitationUsed) as exc:
        return _invitation_refused(exc)
    form = CreatePasswordForm()
    if form.validate_on_submit():
        try:
            user = staff_invitations.accept(token, form.password.data)
        except (tokens.TokenError, staff_invitations.InvitationUsed) as exc:
            return _invitation_refused(exc)
        sign_in(user)
        flash("Đã tạo mật khẩu. Chào mừng bạn đến với trang quản lý của Chợ Việt!", "success")
        return known_devices.remember(redirect(home_for(user)), user.email)
    return form_page("account/staff_invitation.html", form, invitation=invitation)


def _invitation_refused(exc: Exception) -> ResponseReturnValue:
    """An invitation link that was used, has expired or is wrong, and what to do next."""
    login = (url_for(".login"), "Đăng nhập")
    forgot = (url_for(".forgot_password"), "Quên mật khẩu? Nhận liên kết đặt mật khẩu")
    if isinstance(exc, staff_invitations.InvitationUsed):
        return message_page(400, "Lời mời đã được dùng", str(exc), [login, forgot])
    if isinstance(exc, tokens.TokenError) and exc.expired:
        message = (
            "Vì an toàn, liên kết trong thư mời chỉ dùng được trong một thời gian ngắn. Hãy "
            "nhờ người đã mời bạn gửi lại lời mời, hoặc nhận liên kết đặt mật khẩu bằng "
            "địa chỉ e-mail được mời."
        )
        return message_page(400, "Lời mời đã hết hạn", message, [forgot])
    message = (
        "Liên kết không đúng hoặc không còn hiệu lực. Hãy mở lại đúng liên kết trong thư mời "
        "mới nhất (một số ứng dụng thư làm mất phần cuối của liên kết)."
    )
    return message_page(400, "Liên kết mời không dùng được", message, [login, forgot])


# ---------------------------------------------------------------- colleagues


@bp.route("/moi-dong-nghiep", methods=["GET", "POST"])
@role_required("producer")
@limiter.limit(rate_setting("INVITE_RATE"), methods=["POST"])
def invite() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = EmailOnlyForm()
    if form.validate_on_submit():
        try:
            invitation = accounts.invite_colleague(user, form.email.data)
        except (accounts.AccountError, EmailRefused) as exc:
            form.email.errors.append(str(exc))
        else:
            flash(f"Đã gửi lời mời đến {invitation.email}.", "success")
            return redirect(url_for(".invite"))
    team = accounts.team(user.producer_id) if user.producer_id else None
    producer_name = user.producer.name if user.producer_id else ""
    return form_page("account/invite.html", form, team=team, producer_name=producer_name)


@bp.route("/nhan-loi-moi/<token>", methods=["GET", "POST"])
@limiter.limit(rate_setting("LOGIN_RATE"), methods=["POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    try:
        pending = accounts.read_invitation(token)
    except tokens.TokenError as exc:
        return link_error(exc, url_for(".login"), "Đăng nhập")
    except accounts.AccountError as exc:
        return message_page(
            400, "Lời mời đã được dùng", str(exc), [(url_for(".login"), "Đăng nhập")]
        )
    if pending.blocked_reason:
        return message_page(409, "Chưa thể nhận lời mời", pending.blocked_reason)
    existing = pending.existing_user is not None
    form = AcceptWithAccountForm() if existing else AcceptInvitationForm()
    if form.validate_on_submit():
        name = "" if existing else form.display_name.data
        try:
            user = accounts.accept_invitation(token, form.password.data, name)
        except tokens.TokenError as exc:
            return link_error(exc, url_for(".login"), "Đăng nhập")
        except accounts.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            sign_in(user)
            flash(f"Bạn đã cùng quản lý {pending.producer_name} trên Chợ Việt.", "success")
            return redirect(home_for(user))
    return form_page("account/accept_invitation.html", form, pending=pending)
