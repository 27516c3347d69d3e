"""Account forms. Messages in Vietnamese; text is NFC, trimmed and free of control
characters before validation (strip_filter). Passwords are never filtered or echoed back."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from catalog.models import Province
from catalog.web.forms_common import Form, email, max_len, password_rules, strip_filter

EMAIL_MAX = 254
PASSWORD_MAX = 200


def required(message: str) -> DataRequired:
    """Say which field is missing: the error summary lists them all together."""
    return DataRequired(message=message)


def _email_field(label: str = "Địa chỉ e-mail", *, new: bool = True) -> EmailField:
    """`new=False` for an address that names an existing account (signing in): the account
    decides, not today's syntax rules (the demo producers' .invalid addresses, say)."""
    rules = [required("Vui lòng nhập địa chỉ e-mail."), max_len(EMAIL_MAX)]
    return EmailField(label, filters=[strip_filter], validators=[*rules, email()] if new else rules)


def _new_password(label: str = "Mật khẩu") -> PasswordField:
    return PasswordField(label, validators=[required("Vui lòng nhập mật khẩu."), password_rules])


def _confirm(label: str = "Nhập lại mật khẩu") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            required("Vui lòng nhập lại mật khẩu."),
            EqualTo("password", message="Hai mật khẩu không giống nhau."),
        ],
    )


def _current_password(label: str = "Mật khẩu") -> PasswordField:
    # No rules on the way in: older passwords may predate them. A cap keeps hashing cheap.
    return PasswordField(
        label,
        validators=[
            required("Vui lòng nhập mật khẩu."),
            Length(max=PASSWORD_MAX, message="Mật khẩu quá dài."),
        ],
    )


class RegisterForm(Form):
    business_name = StringField(
        "Tên cơ sở sản xuất",
        filters=[strip_filter],
        validators=[
            required("Vui lòng nhập tên cơ sở sản xuất."),
            Length(min=2, message="Tên cơ sở quá ngắn."),
            max_len(200),
        ],
    )
    province_id = SelectField(
        "Tỉnh, thành phố", validators=[required("Vui lòng chọn tỉnh, thành phố.")]
    )
    email = _email_field()
    password = _new_password()
    confirm = _confirm()

    def set_provinces(self, provinces: Iterable[Province]) -> RegisterForm:
        self.province_id.choices = [("", "Chọn tỉnh, thành phố")] + [
            (str(p.id), p.name) for p in provinces
        ]
        return self


class LoginForm(Form):
    email = _email_field(new=False)
    password = _current_password()
    remember = BooleanField("Ghi nhớ đăng nhập trên thiết bị này trong 30 ngày")
    next = HiddenField()


class EmailOnlyForm(Form):
    """Forgotten password, resend the verification link, invite a colleague."""

    email = _email_field()


class ResetPasswordForm(Form):
    password = _new_password("Mật khẩu mới")
    confirm = _confirm("Nhập lại mật khẩu mới")


class CreatePasswordForm(Form):
    """An invited official's first password."""

    password = _new_password("Mật khẩu")
    confirm = _confirm("Nhập lại mật khẩu")


class ChangePasswordForm(Form):
    """The account page: the current password proves it is the owner, not a borrowed
    session; the new one is typed twice."""

    current_password = _current_password("Mật khẩu hiện tại")
    password = _new_password("Mật khẩu mới")
    confirm = _confirm("Nhập lại mật khẩu mới")


class AcceptInvitationForm(Form):
    """A new account for an invited colleague."""

    display_name = StringField(
        "Họ và tên",
        filters=[strip_filter],
        validators=[required("Vui lòng nhập họ và tên."), max_len(200)],
    )
    password = _new_password()
    confirm = _confirm()


class AcceptWithAccountForm(Form):
    """The invited address already has an account: its password proves it."""

    password = _current_password("Mật khẩu tài khoản Chợ Việt của bạn")


class ButtonForm(Form):
    """Forms that are only a button (sign out, resend): CSRF only."""
