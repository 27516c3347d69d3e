"""Rate limits on the account forms (Flask-Limiter): per client IP, per e-mail address for
forms that send mail, configurable, answered with a friendly Vietnamese 429 page.

Every test gets its own app, and create_app() gives the limiter a fresh memory storage, so
counts never carry from one test to the next (the last two tests prove it)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, create_user
from tests.forms import post_form

LOGIN = "/tai-khoan/dang-nhap"
FORGOT = "/tai-khoan/quen-mat-khau"


def attempt_login(client, ip: str = "203.0.113.7", password: str = "sai-mat-khau-1"):
    return post_form(
        client,
        LOGIN,
        {"email": "ai@example.vn", "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_the_sixth_login_attempt_in_a_minute_gets_a_vietnamese_429(app, client):
    for _ in range(5):
        assert attempt_login(client).status_code == 422
    response = attempt_login(client)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert 'lang="vi"' in html
    assert "Bạn đã thử quá nhiều lần" in html and "đăng nhập quá nhiều lần" in html
    assert "1 phút" in html
    assert response.headers.get("Retry-After")


def test_the_limit_counts_per_ip_and_only_posts(app, client):
    # Per IP only: the per-account limit (tests/accounts/test_sign_in_throttle.py) would
    # delay the sixth attempt for this address from any IP.
    app.config["SIGN_IN_ACCOUNT_FAILURES"] = 0
    for _ in range(5):
        attempt_login(client, ip="203.0.113.7")
    assert client.get(LOGIN).status_code == 200  # reading the form is not an attempt
    assert attempt_login(client, ip="203.0.113.7").status_code == 429
    assert attempt_login(client, ip="198.51.100.20").status_code == 422


def test_even_the_right_password_waits_once_the_limit_is_hit(app, client):
    create_user(email="ai@example.vn")
    for _ in range(5):
        attempt_login(client)
    assert attempt_login(client, password=PASSWORD).status_code == 429


def test_limits_come_from_the_configuration(app, client):
    app.config["LOGIN_RATE"] = "2 per minute"
    assert attempt_login(client).status_code == 422
    assert attempt_login(client).status_code == 422
    assert attempt_login(client).status_code == 429


def test_reset_requests_for_one_address_are_limited_whatever_the_ip(app, client):
    create_user(email="nan-nhan@example.vn")
    for n in range(3):
        response = post_form(
            client,
            FORGOT,
            {"email": "nan-nhan@example.vn"},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"},
        )
        assert response.status_code == 302
    blocked = post_form(
        client, FORGOT, {"email": "NAN-NHAN@example.vn"}, environ_base={"REMOTE_ADDR": "192.0.2.9"}
    )
    assert blocked.status_code == 429
    assert "gửi yêu cầu này quá nhiều lần" in blocked.get_data(as_text=True)


@pytest.mark.parametrize("run", [1, 2])
def test_limits_do_not_leak_between_tests(app, client, run):
    for _ in range(5):
        assert attempt_login(client).status_code == 422
