"""The provincial department in charge comes from CHOVIET_DEPARTMENT_NAME, in e-mails and
pages alike: nothing names "Sở Công Thương" on its own."""

from __future__ import annotations

import re
from datetime import timedelta

from catalog.config import load_settings
from catalog.extensions import db
from catalog.onboarding import onboarding
from catalog.platform.clock import utcnow
from tests.factories import create_producer, create_user
from tests.forms import post_form
from tests.onboarding.test_onboarding import curator, link_in_mail_body, path, register

NAME = "Sở Nông nghiệp và Môi trường"
CONFIGURED = "Văn phòng Điều phối OCOP"


def test_default_and_environment(monkeypatch):
    monkeypatch.delenv("CHOVIET_DEPARTMENT_NAME", raising=False)
    assert load_settings()["DEPARTMENT_NAME"] == NAME
    monkeypatch.setenv("CHOVIET_DEPARTMENT_NAME", "  Sở Công Thương  ")
    assert load_settings()["DEPARTMENT_NAME"] == "Sở Công Thương"
    monkeypatch.setenv("CHOVIET_DEPARTMENT_NAME", "   ")  # blank is not a name
    assert load_settings()["DEPARTMENT_NAME"] == NAME


def test_configured_name_in_mail_and_pages(app, client, login_as):
    app.config["DEPARTMENT_NAME"] = CONFIGURED
    official = login_as(curator())
    producer = register(client)
    issued = onboarding.issue_handover(official, producer, "chu@example.vn")
    body = link_in_mail_body("chu@example.vn")
    fresh = app.test_client()
    pages = [fresh.get(path(issued.url)).get_data(as_text=True)]
    post_form(client, f"/quan-ly/dang-ky-ho/{producer.id}/ban-giao", {"email": "", "action": "in"})
    pages.append(client.get(f"/quan-ly/dang-ky-ho/{producer.id}/in").get_data(as_text=True))
    expired = onboarding.issue_handover(official, producer, "")
    expired.handover.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    gone = fresh.get(path(expired.url))
    assert gone.status_code == 410
    pages.append(gone.get_data(as_text=True))
    login_as(create_user("producer", producer=create_producer(status="pending")))
    pages.append(client.get("/co-so-cua-toi/").get_data(as_text=True))
    for text in (body, *pages):
        assert CONFIGURED in text
        assert not re.search("Sở Công Thương", text, re.IGNORECASE)
    assert f"Cán bộ {CONFIGURED} tỉnh Cao Bằng" in pages[-1]  # lower case mid-sentence
