""" "Đã xác minh" on producers: one rule (an official checked the papers, with the evidence,
who and when), the same for every source, audited, revocable; the officials' page actions;
the public page that explains the badges; the API fields."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.errors import Forbidden
from catalog.extensions import db
from catalog.models import AuditEntry, Producer
from catalog.platform import search_sync
from catalog.review import moderation
from catalog.trust import verification
from catalog.trust.verification import ModerationError
from search_index import SearchQuery
from tests.factories import create_producer
from tests.forms import csrf_token, post_form
from tests.listings.support import text
from tests.trust.support import live_product, official

PAPERS = "Mã số thuế 0101234567 khớp giấy chứng nhận đăng ký HTX số 12; người đại diện Nông Văn A."


def verified_ids() -> list[int]:
    return search_sync.backend().search(SearchQuery(verified=True)).ids


def test_verifying_needs_the_papers_and_shows_who_and_when_everywhere(client, curator, product):
    producer_id = product.producer_id
    assert db.session.get(Producer, producer_id).verified is False  # approval is not verification
    for hostile in ("", "   \n\t", "x" * 2001, None):
        with pytest.raises(ModerationError):
            verification.verify_producer(curator, producer_id, hostile)
    assert verified_ids() == []
    producer = verification.verify_producer(curator, producer_id, f"  {PAPERS}  ")
    assert producer.verified and producer.verified_by_id == curator.id
    assert producer.verified_note == PAPERS and producer.verified_at is not None
    assert verified_ids() == [product.id]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "producer.verify")
    ).one()
    assert entry.before["verified"] is False and entry.after["verified_note"] == PAPERS
    assert entry.after["verified_by_id"] == curator.id

    page = text(client.get(f"/co-so/{producer.slug}"))
    assert "cán bộ cơ quan quản lý đối chiếu giấy tờ ngày" in page and "0101234567 khớp" in page
    assert 'href="/huong-dan/nhan-tin-cay#da-xac-minh"' in page
    api = client.get(f"/api/v1/producers/{producer_id}").get_json()
    assert api["verified"] is True and api["verified_at"].startswith(
        producer.verified_at.date().isoformat()
    )
    item = client.get(f"/api/v1/products/{product.id}").get_json()
    assert item["producer"]["verified"] is True
    assert item["producer"]["verified_at"] == api["verified_at"]
    listed = client.get("/api/v1/producers?verified=true").get_json()
    assert [p["id"] for p in listed["items"]] == [producer_id]

    with pytest.raises(ModerationError, match="lý do"):
        verification.unverify_producer(curator, producer_id, " ")
    verification.unverify_producer(curator, producer_id, "Giấy phép đã hết hạn.")
    fresh = db.session.get(Producer, producer_id)
    assert not fresh.verified and fresh.verified_at is None and fresh.verified_note is None
    assert verified_ids() == []
    api = client.get(f"/api/v1/producers/{producer_id}").get_json()
    assert api["verified"] is False and api["verified_at"] is None
    assert "Đã xác minh" not in text(client.get(f"/co-so/{fresh.slug}")).split("</h1>")[1][:400]
    with pytest.raises(ModerationError, match="chưa được xác minh"):
        verification.unverify_producer(curator, producer_id, "lần nữa")


@pytest.mark.parametrize("source", ["self", "import", "official", None])
def test_every_source_is_verified_the_same_way_and_approval_does_not(curator, source):
    pending = create_producer(status="pending", source=source, tax_code=None)
    with pytest.raises(ModerationError, match="đã được duyệt"):
        verification.verify_producer(curator, pending.id, PAPERS)
    approved = moderation.approve_producer(pending.id, official=curator)
    assert approved.status == "active" and approved.verified is False
    done = verification.verify_producer(curator, pending.id, PAPERS)
    assert done.verified and done.verified_by_id == curator.id


def test_another_provinces_official_cannot_verify(client, login_as, curator):
    lang_son = live_product("Hồi Lạng Sơn", "Lạng Sơn", official("Lạng Sơn"))
    with pytest.raises(Forbidden):
        verification.verify_producer(curator, lang_son.producer_id, PAPERS)
    login_as(curator)
    own = live_product("Miến dong", curator=curator)
    token = csrf_token(client, f"/quan-ly/co-so-san-xuat/{own.producer_id}")
    for action, prefix in (("xac-minh", "xac-minh"), ("thu-hoi-xac-minh", "bo-xac-minh")):
        response = client.post(
            f"/quan-ly/co-so-san-xuat/{lang_son.producer_id}/{action}",
            data={f"{prefix}-csrf_token": token, f"{prefix}-note": PAPERS},
        )
        assert response.status_code == 403, action
    assert db.session.get(Producer, lang_son.producer_id).verified is False
    assert client.post("/quan-ly/co-so-san-xuat/999999/xac-minh").status_code in (400, 404)


def test_the_officials_page_verifies_and_withdraws_with_a_note(client, login_as, curator, product):
    login_as(curator)
    url = f"/quan-ly/co-so-san-xuat/{product.producer_id}"
    page = text(client.get(url))
    assert verification.VERIFIED_MEANING in page and "Xác minh cơ sở" in page
    refused = post_form(client, f"{url}/xac-minh", {"xac-minh-note": "  "}, form_url=url)
    assert refused.status_code == 422
    assert db.session.get(Producer, product.producer_id).verified is False
    too_long = post_form(client, f"{url}/xac-minh", {"xac-minh-note": "x" * 5000}, form_url=url)
    assert too_long.status_code == 422
    done = post_form(client, f"{url}/xac-minh", {"xac-minh-note": PAPERS}, form_url=url)
    assert done.status_code == 302
    page = text(client.get(url))
    assert "Giấy tờ đã đối chiếu" in page and "0101234567 khớp" in page
    assert "Thu hồi nhãn" in page
    withdrawn = post_form(
        client, f"{url}/thu-hoi-xac-minh", {"bo-xac-minh-note": "Sai địa chỉ."}, form_url=url
    )
    assert withdrawn.status_code == 302
    assert db.session.get(Producer, product.producer_id).verified is False


def test_changing_the_tax_code_withdraws_the_mark_with_its_evidence(curator, product):
    from catalog.listings import profiles

    verification.verify_producer(curator, product.producer_id, PAPERS)
    producer = db.session.get(Producer, product.producer_id)
    assert verification.clear_after_identity_change(producer) is True
    assert producer.verified_at is None and producer.verified_by_id is None
    assert verification.clear_after_identity_change(producer) is False
    assert set(verification.cleared_state()) == set(verification.FIELDS)
    assert "tax_code" in profiles.IDENTITY_FIELDS


def test_the_badge_page_explains_each_badge(client):
    page = text(client.get("/huong-dan/nhan-tin-cay"))
    for anchor in ("dia-chi-tin-cay", "da-xac-minh", "ocop", "ocop-tu-khai", "du-lieu-mau"):
        assert f'id="{anchor}"' in page
    assert verification.VERIFIED_MEANING in page
    assert "Sắp hết hạn" in page and "Đã thu hồi" in page and "tự khai" in page


def test_sample_data_is_marked_as_sample_not_as_checked(curator, product):
    producer = db.session.get(Producer, product.producer_id)
    assert verification.mark_sample(producer) is True
    assert producer.verified and producer.verified_by_id is None
    assert producer.verified_note == verification.SAMPLE_NOTE
    assert verification.mark_sample(producer) is False
