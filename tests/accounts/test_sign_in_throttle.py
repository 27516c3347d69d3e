"""The per-account sign-in throttle: wrong passwords for one address from many client IPs
delay further attempts for that address (a growing delay, never a lock-out), the same way
for unknown addresses, with one e-mail to the owner per trip; the state is in the database,
so another process sees it; the owner's own browser is not slowed down by strangers.

Time passes by moving the stored timestamps back (`time_passes`): no sleeping, no clock."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from catalog.accounts import sign_in_throttle
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import SignInThrottle
from tests.accounts.support import (
    FORGOT,
    NEW_PASSWORD,
    error_summary,
    link_in,
    mails_to,
    text,
)
from tests.conftest import close_app, make_app
from tests.factories import PASSWORD, create_user
from tests.forms import csrf_token, post_form

LOGIN = "/tai-khoan/dang-nhap"
OWNER = "chu@example.vn"
WRONG = "doan-bua-123"
SUBJECT = "Chợ Việt: nhiều lần đăng nhập sai vào tài khoản của bạn"
_ips = iter(range(1, 100_000))


def attempt(client: Any, email: str = OWNER, password: str = WRONG, ip: str | None = None) -> Any:
    """One sign-in, each from a new client IP unless told (the per-IP limit never answers)."""
    if ip is None:
        n = next(_ips)
        ip = f"10.{n // 250 % 250}.{n % 250}.1"
    return post_form(
        client, LOGIN, {"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}
    )


def time_passes(seconds: int) -> None:
    with write_transaction():
        for row in db.session.scalars(select(SignInThrottle)):
            row.last_failure_at -= timedelta(seconds=seconds)
            row.expires_at -= timedelta(seconds=seconds)
            if row.delayed_until is not None:
                row.delayed_until -= timedelta(seconds=seconds)
    db.session.expire_all()


def trip_mails() -> list[Any]:
    return [m for m in mails_to(OWNER) if m.subject == SUBJECT]


def test_four_addresses_five_wrong_passwords_each_delay_the_account(app, client):
    create_user(email=OWNER)
    statuses = [
        attempt(client, ip=f"203.0.113.{ip}").status_code for ip in (1, 2, 3, 4) for _ in range(5)
    ]
    assert statuses == [422] * 5 + [429] * 15
    delayed = attempt(client, password=PASSWORD)  # even the right password waits now
    assert delayed.status_code == 429
    assert 0 < int(delayed.headers["Retry-After"]) <= 60
    page = text(delayed)
    assert "Vui lòng thử lại sau khoảng 1 phút" in error_summary(page)
    assert f'value="{OWNER}"' in page  # the form comes back as typed


def test_the_delay_grows_and_the_right_password_works_once_it_has_passed(app, client):
    create_user(email=OWNER)
    for _ in range(5):
        attempt(client)
    time_passes(61)
    assert attempt(client).status_code == 422  # checked again, wrong again: 2 minutes
    assert 60 < int(attempt(client).headers["Retry-After"]) <= 120
    time_passes(121)
    assert attempt(client).status_code == 422  # 4 minutes
    assert 120 < int(attempt(client).headers["Retry-After"]) <= 240
    time_passes(241)
    assert attempt(client, password=PASSWORD).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SignInThrottle)) == 0
    assert attempt(app.test_client()).status_code == 422  # a new streak starts from zero


def test_the_delay_is_capped_and_never_overflows():
    rules = sign_in_throttle.Limits(5, timedelta(hours=1), timedelta(minutes=1), timedelta(hours=1))
    delays = [sign_in_throttle.delay_after(n, rules) for n in (4, 5, 6, 7, 8, 12, 10**6)]
    minutes = [d and d.total_seconds() / 60 for d in delays]
    assert minutes == [None, 1, 2, 4, 8, 60, 60]


def test_an_unknown_address_is_answered_exactly_like_a_registered_one(app, client):
    create_user(email=OWNER)
    stranger = "khong-ai@example.vn"
    for email in (OWNER, stranger):
        assert [attempt(client, email).status_code for _ in range(6)] == [422] * 5 + [429]
    known, unknown = attempt(client, OWNER), attempt(client, stranger)
    assert known.status_code == unknown.status_code == 429

    # The same words; only the clock time of each streak's start may differ (the two run a
    # few seconds apart and may straddle a minute).
    def same(html: str) -> str:
        return re.sub(r"\b\d{2}:\d{2}\b", "hh:mm", error_summary(html))

    assert same(text(known)) == same(text(unknown).replace(stranger, OWNER))
    assert mails_to(stranger) == []


def test_the_owner_gets_exactly_one_mail_per_trip(app, client):
    create_user(email=OWNER)
    for _ in range(4):
        attempt(client)
    assert trip_mails() == []
    attempt(client)
    [mail] = trip_mails()
    assert "5 lần" in mail.body and "giờ Việt Nam" in mail.body
    assert WRONG not in mail.body  # never what was typed
    assert "/tai-khoan/quen-mat-khau" in mail.body
    for seconds in (61, 121, 241):  # the delay grows: the same trip, no new mail
        time_passes(seconds)
        attempt(client)
    assert len(trip_mails()) == 1
    time_passes(10 * 3600)  # the streak is forgotten; a new one trips again
    for _ in range(5):
        attempt(client)
    assert len(trip_mails()) == 2


def test_variants_of_one_address_count_together(app, client):
    create_user(email=OWNER)
    variants = [" CHU@Example.VN ", "chu@EXAMPLE.vn", "ｃｈｕ@example.vn", "ch\x00u@example.vn"]
    for email in variants:
        assert attempt(client, email).status_code == 422
    assert attempt(client, "\tChu@example.VN").status_code == 422  # the fifth: trips
    assert attempt(client, OWNER, PASSWORD).status_code == 429
    assert db.session.scalar(select(func.count()).select_from(SignInThrottle)) == 1


def test_hostile_addresses_get_an_answer_and_cost_one_short_row(app, client):
    huge = "a" * 5000 + "@example.vn"
    assert attempt(client, huge).status_code == 422  # refused by the form: not an attempt
    longest = "b" * 240 + "@example.vn"
    odd = "\u202e\ufeff<script>@x"
    for email in (longest, odd):
        assert [attempt(client, email).status_code for _ in range(6)] == [422] * 5 + [429]
    keys = list(db.session.scalars(select(SignInThrottle.key)))
    assert len(keys) == 2 and all(len(key) == 64 for key in keys)
    assert "<script>" not in text(attempt(client, odd))


def test_a_password_reset_clears_the_delay(app, client):
    create_user(email=OWNER)
    for _ in range(6):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 429
    post_form(client, FORGOT, {"email": OWNER})
    link = link_in(mails_to(OWNER)[-1])
    done = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert attempt(app.test_client(), password=NEW_PASSWORD).status_code == 302


def test_the_owners_own_browser_is_not_slowed_down_by_strangers(app, client):
    create_user(email=OWNER)
    phone = app.test_client()
    assert attempt(phone, password=PASSWORD).status_code == 302  # signed in here before
    phone.post("/tai-khoan/dang-xuat", data={"csrf_token": _token(phone)})
    for _ in range(5):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 429  # strangers wait
    assert attempt(phone, password=PASSWORD).status_code == 302  # the owner does not
    phone.post("/tai-khoan/dang-xuat", data={"csrf_token": _token(phone)})
    # The known browser's own wrong passwords are throttled too, on a key of their own.
    assert [attempt(phone).status_code for _ in range(6)] == [422] * 5 + [429]
    assert len(trip_mails()) == 2


def test_a_forged_known_device_cookie_is_ignored(app, client):
    create_user(email=OWNER)
    for _ in range(5):
        attempt(client)
    client.set_cookie("cv_known_device", "gia-mao." * 20, path="/tai-khoan/")
    assert attempt(client, password=PASSWORD).status_code == 429


def test_another_process_sees_the_delay(app, client):
    """The state is in the database: a second app (another worker) on the same database
    refuses too, with its own fresh Flask-Limiter counters."""
    create_user(email=OWNER)
    for _ in range(5):
        attempt(client)
    db.session.remove()
    other = make_app(Path(app.instance_path))
    with other.app_context():
        assert attempt(other.test_client(), password=PASSWORD).status_code == 429
        close_app(other)


def test_the_limit_can_be_turned_off(app, client):
    app.config["SIGN_IN_ACCOUNT_FAILURES"] = 0
    create_user(email=OWNER)
    assert [attempt(client).status_code for _ in range(8)] == [422] * 8
    assert attempt(client, password=PASSWORD).status_code == 302


def _token(client: Any) -> str:
    return csrf_token(client, "/")
