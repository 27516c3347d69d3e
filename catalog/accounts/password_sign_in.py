"""Signing in with a password, throttled per account (catalog/accounts/sign_in_throttle.py)
as well as per client IP (Flask-Limiter on the view).

While an address is delayed the password is not even checked: the answer is the same 429
whether the address has an account or not, and whether the password was right. When the
limit first trips in a streak, the owner (if the address has an active account) is told by
e-mail: when, and how many wrong passwords; never what was typed.
"""

from __future__ import annotations

import math
from datetime import datetime

from flask_babel import to_user_timezone

from catalog.accounts import accounts, sign_in_throttle
from catalog.database import write_transaction
from catalog.models import User
from catalog.platform import links, mail
from catalog.platform.clock import utcnow


class SignInDelayed(Exception):
    """Attempts for this address must wait until `until` (UTC)."""

    def __init__(self, until: datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until

    def seconds_left(self) -> int:
        """Whole seconds to wait, at least one (for Retry-After)."""
        return max(1, math.ceil((self.until - utcnow()).total_seconds()))


def authenticate(email: str, password: str, *, known_device: bool = False) -> User | None:
    """The user for these credentials, None for a wrong password or an unknown address;
    SignInDelayed while attempts for this address (from this kind of device) must wait."""
    rules = sign_in_throttle.limits()
    key = sign_in_throttle.account_key(email, known_device=known_device)
    if rules.enabled:
        until = sign_in_throttle.delayed_until(key, utcnow())
        if until is not None:
            raise SignInDelayed(until)
    user = accounts.authenticate(email, password)
    if user is not None:
        if sign_in_throttle.has_streak(key):
            with write_transaction():
                sign_in_throttle.clear([key])
        return user
    if rules.enabled:
        with write_transaction():
            now = utcnow()
            failures = sign_in_throttle.count_failure(key, now)
            if failures == rules.failures:
                _tell_owner(email, failures, now, known_device=known_device)
    return None


def _tell_owner(email: str, failures: int, when: datetime, *, known_device: bool) -> None:
    """The limit tripped: one e-mail to the owner, in the caller's transaction."""
    user = accounts.find_user(email)
    if user is None or not user.active:
        return
    local = to_user_timezone(when).strftime("%H:%M ngày %d/%m/%Y")
    if known_device:
        where = (
            "Các lần thử này đến từ một trình duyệt đã từng đăng nhập vào tài khoản của bạn; "
            "từ nay trình duyệt đó phải chờ trước mỗi lần thử tiếp theo."
        )
    else:
        where = (
            "Từ nay, mỗi lần thử tiếp theo từ thiết bị lạ phải chờ một lúc, lâu dần nếu vẫn "
            "sai. Tài khoản không bị khóa: trên thiết bị bạn đã từng đăng nhập, bạn vẫn đăng "
            "nhập được như thường."
        )
    mail.queue(
        user.email,
        "Chợ Việt: nhiều lần đăng nhập sai vào tài khoản của bạn",
        "Chào bạn,\n\n"
        f"Lúc {local} (giờ Việt Nam), tài khoản Chợ Việt của bạn ({user.email}) đã bị "
        f"đăng nhập sai mật khẩu {failures} lần liên tiếp. {where}\n\n"
        "Nếu đó là bạn và bạn quên mật khẩu, hãy đặt lại mật khẩu tại:\n"
        f"{links.site_url('account.forgot_password')}\n\n"
        "Nếu không phải bạn, có thể ai đó đang đoán mật khẩu của bạn; mật khẩu chưa bị lộ. "
        "Hãy dùng một mật khẩu dài, không dùng ở nơi khác. Trang Tài khoản cho phép đổi mật "
        "khẩu và đăng xuất khỏi mọi thiết bị khác:\n"
        f"{links.site_url('account.settings')}\n",
    )
