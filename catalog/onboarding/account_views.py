"""Taking over a profile an official registered on the producer's behalf (a one-time link).

The person who follows the link creates their account (e-mail, name, password twice, the
registration rules) and is signed in as the producer's manager. An unknown link answers
404, a used or expired one 410, an address that already has an account 422.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo

from catalog.accounts import accounts
from catalog.accounts.account_pages import home_for, message_page, rate_setting, sign_in
from catalog.accounts.email_addresses import EmailRefused
from catalog.extensions import limiter
from catalog.onboarding import onboarding
from catalog.platform.department import department_name
from catalog.web.blueprints import account as bp
from catalog.web.forms_common import Form, email, max_len, password_rules, strip_filter
from catalog.web.forms_errors import add_error, form_page

GONE = {
    "used": (
        "Liên kết đã được sử dụng",
        "Liên kết nhận quản lý này đã được dùng. Nếu bạn đã tạo tài khoản, hãy đăng nhập.",
    ),
    "expired": (
        "Liên kết đã hết hạn",
        "Liên kết nhận quản lý này đã hết hạn hoặc đã được thay bằng liên kết mới. Hãy liên "
        "hệ cán bộ {department} để nhận liên kết mới.",
    ),
    "unknown": (
        "Liên kết không đúng",
        "Không tìm thấy liên kết này. Hãy mở lại đúng liên kết trong thư hoặc quét lại mã QR "
        "trên giấy cán bộ đã đưa.",
    ),
}


class HandoverForm(Form):
    email = EmailField(
        "Địa chỉ e-mail",
        filters=[strip_filter],
        validators=[
            DataRequired(message="Vui lòng nhập địa chỉ e-mail."),
            max_len(254),
            email(),
        ],
    )
    display_name = StringField(
        "Họ và tên",
        filters=[strip_filter],
        validators=[DataRequired(message="Vui lòng nhập họ và tên."), max_len(200)],
    )
    password = PasswordField(
        "Mật khẩu", validators=[DataRequired(message="Vui lòng nhập mật khẩu."), password_rules]
    )
    confirm = PasswordField(
        "Nhập lại mật khẩu",
        validators=[
            DataRequired(message="Vui lòng nhập lại mật khẩu."),
            EqualTo("password", message="Hai mật khẩu không giống nhau."),
        ],
    )


@bp.route("/nhan-quan-ly/<token>", methods=["GET", "POST"])
@limiter.limit(rate_setting("REGISTER_RATE"), methods=["POST"])
def handover(token: str) -> ResponseReturnValue:
    try:
        return _take_over(token)
    except onboarding.HandoverInvalid as exc:  # unknown, used or expired: on opening or sending
        return _gone(exc.reason)


def _take_over(token: str) -> ResponseReturnValue:
    link = onboarding.read_handover(token)
    producer = link.producer
    form = HandoverForm(email=link.email) if request.method == "GET" else HandoverForm()
    taken = False
    if form.validate_on_submit():
        try:
            user = onboarding.accept_handover(
                token, form.email.data, form.display_name.data, form.password.data
            )
        except EmailRefused as exc:
            add_error(form.email, str(exc))
        except accounts.AccountError as exc:
            taken = True
            add_error(form.email, str(exc))
        else:
            sign_in(user)
            note = "" if user.email_verified_at else " Hãy mở thư xác nhận địa chỉ e-mail."
            flash(f"Bạn đã nhận quản lý {producer.name} trên Chợ Việt.{note}", "success")
            return redirect(home_for(user))
    return form_page("account/handover.html", form, producer=producer, taken=taken)


def _gone(reason: str) -> ResponseReturnValue:
    title, message = GONE.get(reason, GONE["unknown"])
    message = message.replace("{department}", department_name())
    status = 404 if reason == "unknown" else 410
    return message_page(status, title, message, [(url_for(".login"), "Đăng nhập")])
