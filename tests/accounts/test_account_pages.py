"""The account pages in every state a person meets (empty, with errors, signed in with the
verification banner and a flash message, link errors, 429) are valid HTML (W3C Nu checker)
and pass axe-core at phone width. test_page_quality.py covers the empty register and login
pages at both widths along with the public pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog.accounts import users
from catalog.extensions import db
from catalog.models import MailMessage
from tests.factories import create_user
from tests.forms import post_form
from tests.page_checks import axe_script, html_problems, live_browser, page_problems

IMPACTS = ("serious", "critical")


def _link(address: str) -> str:
    db.session.expire_all()
    body = db.session.scalars(
        select(MailMessage.body).where(MailMessage.to == address).order_by(MailMessage.id.desc())
    ).first()
    return re.search(r"http://127\.0\.0\.1:5000(/tai-khoan/\S+)", body).group(1)


def account_pages(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """HTML of each state, gathered with test clients."""
    pages: dict[str, str] = {}
    anon = app.test_client()
    for name, url in {
        "register": "/tai-khoan/dang-ky",
        "login": "/tai-khoan/dang-nhap",
        "forgot": "/tai-khoan/quen-mat-khau",
        "resend": "/tai-khoan/gui-lai-xac-nhan",
        "check-email": "/tai-khoan/kiem-tra-hop-thu?muc=dang-ky",
        "bad-link": "/tai-khoan/xac-nhan-email/khong-hop-le",
        "method-not-allowed": "/tai-khoan/dang-xuat",
    }.items():
        pages[name] = anon.get(url).get_data(as_text=True)
    pages["register-errors"] = post_form(
        anon, "/tai-khoan/dang-ky", {"email": "sai", "business_name": "<b>x</b>"}
    ).get_data(as_text=True)
    pages["login-error"] = post_form(
        anon, "/tai-khoan/dang-nhap", {"email": "a@example.vn", "password": "sai-1"}
    ).get_data(as_text=True)
    pages["csrf-error"] = anon.post("/tai-khoan/dang-nhap").get_data(as_text=True)

    user = create_user(email="trang@example.vn", verified=False)
    producer_client = app.test_client()
    post_form(
        producer_client,
        "/tai-khoan/dang-nhap",
        {"email": user.email, "password": "mat-khau-thu-9"},
    )
    pages["signed-in-banner-flash"] = producer_client.get("/").get_data(as_text=True)
    pages["invite-errors"] = post_form(
        producer_client, "/tai-khoan/moi-dong-nghiep", {"email": "khong-hop-le"}
    ).get_data(as_text=True)

    verified = create_user(email="moi@example.vn")
    inviter = app.test_client()
    post_form(
        inviter, "/tai-khoan/dang-nhap", {"email": verified.email, "password": "mat-khau-thu-9"}
    )
    post_form(inviter, "/tai-khoan/moi-dong-nghiep", {"email": "ban@example.vn"})
    pages["invite-team"] = inviter.get("/tai-khoan/moi-dong-nghiep").get_data(as_text=True)
    pages["account-settings"] = inviter.get("/tai-khoan/").get_data(as_text=True)
    pages["change-password-errors"] = post_form(
        inviter, "/tai-khoan/doi-mat-khau", {"current_password": "sai", "password": "1"}
    ).get_data(as_text=True)
    for n in range(6):  # from six addresses: the per-account limit answers, not the per-IP one
        delayed = post_form(
            app.test_client(),
            "/tai-khoan/dang-nhap",
            {"email": "cham@example.vn", "password": "sai-1"},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"},
        )
    assert delayed.status_code == 429
    pages["sign-in-delayed"] = delayed.get_data(as_text=True)
    pages["accept-invitation"] = anon.get(_link("ban@example.vn")).get_data(as_text=True)

    post_form(anon, "/tai-khoan/quen-mat-khau", {"email": verified.email})
    pages["reset-password"] = anon.get(_link(verified.email)).get_data(as_text=True)
    staff = create_user("admin", email="quan-tri@example.vn")
    with app.test_request_context():
        users.create_staff("can-bo@example.vn", "official", ["Cao Bằng"], actor=staff)
    invited = _link("can-bo@example.vn")
    pages["staff-invitation"] = anon.get(invited).get_data(as_text=True)
    pages["staff-invitation-errors"] = post_form(
        anon, invited, {"password": "1", "confirm": "2"}
    ).get_data(as_text=True)
    app.config["LOGIN_RATE"] = "1 per minute"
    limited = app.test_client()
    for _ in range(2):
        response = post_form(
            limited, "/tai-khoan/dang-nhap", {"email": "x@example.vn", "password": "sai-1"}
        )
    assert response.status_code == 429
    pages["too-many"] = response.get_data(as_text=True)
    app.config["LOGIN_RATE"] = "5 per minute"
    return pages


def test_account_pages_in_every_state_are_valid_html(app, tmp_path: Path):
    assert html_problems(account_pages(app), tmp_path) == []


@pytest.mark.slow
def test_account_forms_with_errors_pass_axe_on_a_phone(app):
    axe = axe_script()
    create_user(email="axe@example.vn", verified=False)
    failures: list[str] = []

    def check(page, name: str) -> None:  # type: ignore[no-untyped-def]
        failures.extend(page_problems(page, f"account-{name}", axe, impacts=IMPACTS))

    with live_browser(app) as (browser, base):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "/tai-khoan/dang-ky")
        page.fill("#business_name", "Cơ sở <script>x</script>")
        page.fill("#email", "sai")
        page.click("form.form button[type=submit]")
        check(page, "register-errors")
        page.goto(base + "/tai-khoan/dang-nhap")
        page.fill("#email", "axe@example.vn")
        page.fill("#password", "sai-mat-khau")
        page.click("form.form button[type=submit]")
        check(page, "login-error")
        page.fill("#password", "mat-khau-thu-9")
        page.click("form.form button[type=submit]")
        page.goto(base + "/tai-khoan/moi-dong-nghiep")
        check(page, "invite-banner")
        page.goto(base + "/tai-khoan/")
        check(page, "settings")
    assert failures == []
