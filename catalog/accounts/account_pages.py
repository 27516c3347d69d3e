"""What the account pages share (and the producer handover page of onboarding, on the same
blueprint): limits read from the configuration at request time, signing in with a fresh
session, where a signed-in person lands, and the one message page that answers links,
refusals and limits."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import to_user_timezone
from flask_login import login_user
from werkzeug.routing import BuildError

from catalog.accounts import accounts
from catalog.accounts.password_sign_in import SignInDelayed
from catalog.models import User
from catalog.platform import tokens
from catalog.web.too_many import wait_text

PRODUCER_HOME = "/co-so-cua-toi/"


def rate_setting(setting: str) -> Callable[[], str]:
    """A limit read from the configuration at request time (CHOVIET_LOGIN_RATE…)."""
    return lambda: current_app.config[setting]


def email_key() -> str:
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


def home_for(user: User) -> str:
    """Where a signed-in person lands: producers on their own space, officials on theirs."""
    if user.role == "producer":
        endpoint, fallback = "producer.dashboard", PRODUCER_HOME
    else:
        endpoint, fallback = "official.dashboard", url_for("public.home")
    try:
        return url_for(endpoint)
    except BuildError:
        return fallback


def sign_in(user: User, remember: bool = False) -> None:
    """A fresh session: nothing from before signing in carries over."""
    session.clear()
    login_user(user, remember=remember)


def stay_signed_in(user: User) -> None:
    """After the user's sessions were ended on purpose (a new password, "sign out
    everywhere"): this browser signs in again under the new session version, keeping its
    remember-me cookie if it had one; every other browser must sign in again."""
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    sign_in(user, remember=cookie in request.cookies)


def sign_in_delayed(form: Any, exc: SignInDelayed) -> ResponseReturnValue:
    """The sign-in form, as typed, answering 429 while attempts for this address must wait.
    The same words whether or not the address has an account."""
    seconds = exc.seconds_left()
    wait = wait_text(math.ceil(seconds / 60) * 60, translate=False)
    at = to_user_timezone(exc.until).strftime("%H:%M")
    form.form_errors.append(
        "Địa chỉ e-mail này vừa bị nhập sai mật khẩu nhiều lần, nên để bảo vệ tài khoản, lần "
        f"đăng nhập tiếp theo cần chờ. Vui lòng thử lại sau khoảng {wait} (từ {at}). Nếu quên "
        "mật khẩu, bạn có thể đặt lại mật khẩu ngay bây giờ."
    )
    html = render_template("account/login.html", form=form)
    return html, 429, {"Retry-After": str(seconds)}


def message_page(
    status: int,
    title: str,
    message: str,
    actions: Sequence[tuple[str, str]] = (),
    note: str = "",
) -> ResponseReturnValue:
    """A page that only says something, with links (url, label) to go on from there."""
    return render_template(
        "account/message.html", title=title, message=message, actions=actions, note=note
    ), status


def link_error(exc: tokens.TokenError, again_url: str, again_label: str) -> ResponseReturnValue:
    """A link from an e-mail that cannot be used (expired, or wrong), and where to ask again."""
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
    return message_page(400, title, message, actions=[(again_url, again_label)])
