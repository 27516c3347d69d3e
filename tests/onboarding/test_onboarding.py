"""Assisted onboarding: an official registers a producer and its products, issues a one-time
link, and the producer who follows it takes the profile over."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import select

from catalog.extensions import db
from catalog.models import AuditEntry, MailMessage, Producer, ProducerHandover, Product, User
from catalog.onboarding import onboarding
from catalog.platform.clock import utcnow
from tests.factories import create_user, province
from tests.forms import post_form
from tests.listings.support import cao_bang_ward, category_id, found, jpeg

START = "/quan-ly/dang-ky-ho"
PASSWORD = "chè-xanh-2026"


def curator():  # type: ignore[no-untyped-def]
    return create_user("official", provinces=("Cao Bằng",))


def producer_values(**values: str) -> dict[str, str]:
    base = {
        "name": "HTX Miến dong Nguyên Bình",
        "type": "hop_tac_xa",
        "tax_code": "0100109106",
        "representative": "Nông Văn Dũng",
        "province_id": str(province("Cao Bằng").id),
        "ward_code": str(cao_bang_ward()[0]),
        "address": "Xóm Nà Mạ",
        "phone": "0912 345 678",
        "email": "htx@example.vn",
        "action": "luu",
    }
    base.update(values)
    return base


def register(client) -> Producer:  # type: ignore[no-untyped-def]
    response = post_form(client, START, producer_values())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return db.session.scalar(select(Producer).where(Producer.source == "official"))


def add_product(client, producer: Producer, **values):  # type: ignore[no-untyped-def]
    url = f"{START}/{producer.id}/san-pham"
    data = {
        "name": "Miến dong Nguyên Bình",
        "category_id": str(category_id()),
        "description": "Miến dong làm từ củ dong riềng trồng trên nương.",
        "price_vnd": "65.000",
        "unit": "gói 500 g",
        "ocop_stars": "4",
        "certificate_year": "2024",
        **values,
    }
    return post_form(client, url, data)


def link_in_mail(to: str) -> str:
    message = db.session.scalar(
        select(MailMessage).where(MailMessage.to == to).order_by(MailMessage.id.desc())
    )
    return re.search(r"https?://\S+/tai-khoan/nhan-quan-ly/\S+", message.body).group(0)


def path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_register_products_link_and_take_over(app, client, login_as):
    official = login_as(curator())
    producer = register(client)
    assert producer.status == "active" and producer.tax_code == "0100109106"
    assert producer.ward_name == cao_bang_ward()[1]
    assert add_product(client, producer, photo=(io.BytesIO(jpeg()), "a.jpg")).status_code == 302
    product = db.session.scalar(select(Product).where(Product.producer_id == producer.id))
    assert (product.status, product.source, product.price_vnd) == ("published", "official", 65000)
    assert len(product.images) == 1 and product.is_public
    from catalog.platform import search_sync

    search_sync.apply_pending()
    assert product.id in found("Miến dong")
    sent = post_form(
        client, f"{START}/{producer.id}/ban-giao", {"email": "chu@example.vn", "action": "gui"}
    )
    assert sent.status_code == 302
    url = link_in_mail("chu@example.vn")
    handover = db.session.scalar(select(ProducerHandover))
    assert url.rsplit("/", 1)[1] not in handover.token_hash  # only the hash is stored
    actions = set(
        db.session.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == official.id))
    )
    assert {"onboard.producer", "onboard.product", "onboard.handover_issued"} <= actions

    # the producer follows the link
    fresh = app.test_client()
    page = fresh.get(path(url))
    assert page.status_code == 200 and "HTX Miến dong Nguyên Bình" in page.get_data(as_text=True)
    assert 'value="chu@example.vn"' in page.get_data(as_text=True)
    done = post_form(
        fresh,
        path(url),
        {
            "email": "chu@example.vn",
            "display_name": "Nông Thị Hoa",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert done.status_code == 302 and "/co-so-cua-toi" in done.headers["Location"]
    user = db.session.scalar(select(User).where(User.email == "chu@example.vn"))
    assert user.producer_id == producer.id and user.email_verified_at is not None
    assert fresh.get("/co-so-cua-toi/").status_code == 200  # signed in, owns the profile
    assert (
        db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "account.accept_handover")
        ).actor_id
        == user.id
    )
    # the link works once
    again = app.test_client().get(path(url))
    assert again.status_code == 410
    # and the official no longer adds products for a managed producer
    assert "đã có người quản lý" in client.get(f"{START}/{producer.id}/san-pham").get_data(
        as_text=True
    )


def test_printed_link_with_another_address_asks_for_verification(app, client, login_as):
    login_as(curator())
    producer = register(client)
    printed = post_form(client, f"{START}/{producer.id}/ban-giao", {"email": "", "action": "in"})
    assert printed.status_code == 302
    sheet = client.get(f"{START}/{producer.id}/in").get_data(as_text=True)
    assert "<svg" in sheet and "nhan-quan-ly/" in sheet
    url = re.search(r"<code>(\S+)</code>", sheet).group(1)
    fresh = app.test_client()
    done = post_form(
        fresh,
        path(url),
        {
            "email": "khac@example.vn",
            "display_name": "A",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert done.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "khac@example.vn"))
    assert user.email_verified_at is None
    assert "xac-nhan-email" in link_in_mail_body("khac@example.vn")
    assert client.get(f"{START}/{producer.id}/in").status_code == 410  # used: no longer shown


def link_in_mail_body(to: str) -> str:
    return db.session.scalar(select(MailMessage.body).where(MailMessage.to == to))


def test_new_link_revokes_older_and_expired_is_refused(app, client, login_as):
    official = login_as(curator())
    producer = register(client)
    first = onboarding.issue_handover(official, producer, "a@example.vn")
    second = onboarding.issue_handover(official, producer, "b@example.vn")
    fresh = app.test_client()
    assert fresh.get(path(first.url)).status_code == 410
    assert fresh.get(path(second.url)).status_code == 200
    second.handover.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert fresh.get(path(second.url)).status_code == 410
    assert fresh.get("/tai-khoan/nhan-quan-ly/khong-co").status_code == 404
    assert fresh.get("/tai-khoan/nhan-quan-ly/" + "x" * 500).status_code == 404


def test_registered_email_and_bad_passwords_get_422(app, client, login_as):
    official = login_as(curator())
    producer = register(client)
    taken = create_user("producer", email="da-co@example.vn")
    url = onboarding.issue_handover(official, producer, "da-co@example.vn").url
    fresh = app.test_client()
    form = {"email": taken.email, "display_name": "A", "password": PASSWORD, "confirm": PASSWORD}
    response = post_form(fresh, path(url), form)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "đã có tài khoản" in text and "dang-nhap" in text
    weak = post_form(
        fresh,
        path(url),
        {**form, "email": "moi@example.vn", "password": "12345678", "confirm": "12345679"},
    )
    assert weak.status_code == 422
    assert db.session.scalar(select(ProducerHandover.used_at)) is None


def test_other_province_official_is_refused(client, login_as):
    login_as(curator())
    producer = register(client)
    login_as(create_user("official", provinces=("Lạng Sơn",)))
    for suffix in ("san-pham", "ban-giao", "in"):
        assert client.get(f"{START}/{producer.id}/{suffix}").status_code == 403
    assert client.get(f"{START}/99999/san-pham").status_code == 404
    other = post_form(client, START, producer_values(name="HTX Khác", tax_code=""))
    assert other.status_code == 422  # Cao Bằng is not among the choices
    login_as("producer")
    assert client.get(START).status_code == 403


def test_hostile_input_is_refused_politely(client, login_as):
    login_as(curator())
    bad = post_form(
        client,
        START,
        producer_values(name="x" * 500, tax_code="123", phone="abc", email="not-mail"),
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Tối đa 200 ký tự" in page and "Mã số thuế không hợp lệ" in page
    assert db.session.scalar(select(Producer)) is None
    producer = register(client)
    script = add_product(client, producer, name="<script>alert(1)</script>", category_id="999")
    assert script.status_code == 422
    assert "<script>alert(1)</script>" not in script.get_data(as_text=True)
    junk = add_product(client, producer, photo=(io.BytesIO(b"not an image"), "a.jpg"))
    assert junk.status_code == 422
    assert db.session.scalar(select(Product)) is None
    assert add_product(client, producer).status_code == 302
    assert add_product(client, producer).status_code == 422  # same name twice
    no_csrf = client.post(f"{START}/{producer.id}/ban-giao", data={"action": "in"})
    assert no_csrf.status_code == 400
