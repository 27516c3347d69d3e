"""Look-alike e-mail addresses are one account, or no account: fullwidth letters and case fold
to the same address (NFKC), an internationalised domain is the same as its IDNA form, and an
address mixing alphabets (a Cyrillic "а" among Latin letters) is refused when an account is made."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog.accounts.email_addresses import EmailRefused, account_email, normalize_email
from catalog.extensions import db
from catalog.models import User
from tests.accounts.support import error_summary, mails_to, register, text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ＨｏｎｇＰｈｕｃ＠ｅｘａｍｐｌｅ．ｖｎ", "hongphuc@example.vn"),  # fullwidth
        ("  HongPhuc@Example.VN ", "hongphuc@example.vn"),
        ("an@Thư.vn", "an@xn--th-e0a.vn"),
        ("an@xn--th-e0a.vn", "an@xn--th-e0a.vn"),
        ("иван@почта.рф", "иван@xn--80a1acny.xn--p1ai"),  # one alphabet throughout: accepted
    ],
)
def test_addresses_that_are_the_same_normalise_the_same(typed, stored):
    assert normalize_email(typed) == stored
    assert account_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "hоngphuc@example.vn",  # Cyrillic о in the local part
        "hongphuc@exаmple.vn",  # Cyrillic а in the domain
        "hongphuc@ехample.vn",  # Cyrillic е, х
        "hοngphuc@example.vn",  # Greek ο
    ],
)
def test_mixed_alphabets_are_refused(typed):
    with pytest.raises(EmailRefused, match="nhiều bảng chữ"):
        account_email(typed)


@pytest.mark.parametrize("typed", ["", "@", "a@", "a@b", "a@xn--.vn", "a@" + "x" * 260 + ".vn"])
def test_malformed_addresses_are_refused_politely(typed):
    with pytest.raises(EmailRefused):
        account_email(typed)
    normalize_email(typed)  # finding an account by it never raises


def test_a_fullwidth_copy_of_an_address_is_the_same_account(app, client):
    assert register(client).status_code == 302
    again = register(client, email="ＨＯＮＧＰＨＵＣ@example.vn", name="HTX Giả Mạo")
    assert again.status_code == 302  # the same answer as any registration
    count = db.session.scalar(
        select(func.count()).select_from(User).where(User.email == "hongphuc@example.vn")
    )
    assert count == 1 and db.session.scalar(select(func.count()).select_from(User)) == 1
    assert len(mails_to("hongphuc@example.vn")) == 2  # the link, then the owner is told


def test_a_cyrillic_look_alike_cannot_register(app, client):
    response = register(client, email="hоngphuc@example.vn")
    assert response.status_code == 422
    assert "nhiều bảng chữ" in text(response) and "nhiều bảng chữ" in error_summary(response.text)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
