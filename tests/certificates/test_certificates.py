"""OCOP certificates as records: the current one, the product's copy, verify and revoke,
expiry with frozen dates, scope, the officials' pages and the daily refresh."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from catalog.certificates import certificates, expiry
from catalog.certificates.certificates import ModerationError
from catalog.errors import Forbidden
from catalog.extensions import db
from catalog.models import AuditEntry, OcopCertificate
from catalog.platform import search_sync
from search_index import SearchQuery
from tests.forms import csrf_token, post_form
from tests.listings.support import reload
from tests.trust.support import TODAY, certify, expiring_in, freeze_today, live_product, official


def starred(stars: int) -> list[int]:
    return search_sync.backend().search(SearchQuery(stars=(stars,))).ids


# -- the record and the product's copy ---------------------------------------------------


def test_recording_sets_the_products_copy_audit_and_index(curator, product):
    cert = certify(curator, product, certificate_no="GCN-01", stars=4)
    fresh = reload(product)
    assert cert.expires_on == date(2028, 1, 10)  # 36 months after the decision
    assert (fresh.ocop_stars, fresh.certificate_decision, fresh.certificate_no) == (
        4,
        "1234/QĐ-UBND",
        "GCN-01",
    )
    assert (fresh.certificate_year, fresh.certificate_expires_on) == (2025, date(2028, 1, 10))
    assert not fresh.certificate_revoked and not fresh.certificate_verified
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "certificate.record")
    ).one()
    assert entry.actor_id == curator.id and entry.entity_id == product.id
    assert entry.before["product"]["ocop_stars"] is None
    assert entry.after["product"]["ocop_stars"] == 4
    assert product.id in starred(4)  # synced after commit


def test_the_newest_decision_is_current(curator, product):
    newer = certify(curator, product, decision_date=date(2025, 5, 1), stars=5)
    certify(curator, product, decision_date=date(2022, 5, 1), stars=3, decision_no="1/QĐ")
    assert certificates.current_certificate(product.id).id == newer.id
    assert reload(product).ocop_stars == 5
    upgrade = certify(curator, product, decision_date=date(2026, 1, 2), evaluation_type="upgrade")
    assert certificates.current_certificate(product.id).id == upgrade.id
    assert reload(product).ocop_stars == 4


def test_default_expiry_keeps_the_month_end():
    assert certificates.default_expiry(date(2024, 2, 29)) == date(2027, 2, 28)
    assert certificates.default_expiry(date(2025, 10, 31)) == date(2028, 10, 31)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"stars": 6}, "3, 4 hoặc 5"),
        ({"evaluation_type": "hack"}, "Hình thức"),
        ({"decision_date": TODAY + timedelta(days=1)}, "sau hôm nay"),
        ({"decision_date": date(2010, 1, 1)}, "2018"),
        ({"expires_on": date(2024, 1, 1)}, "sau ngày quyết định"),
        ({"decision_no": "  "}, "số quyết định"),
        ({"decision_no": "x" * 121}, "120"),
        ({"issuing_council": "y" * 201}, "200"),
    ],
)
def test_bad_certificates_are_refused_before_writing(curator, product, values, message):
    with pytest.raises(ModerationError, match=message):
        certify(curator, product, **values)
    assert db.session.scalar(select(OcopCertificate.id)) is None
    assert reload(product).ocop_stars is None


# -- verify and revoke ------------------------------------------------------------------


def test_verify_marks_record_and_product(curator, product):
    cert = certify(curator, product)
    certificates.verify_certificate(curator, cert.id)
    assert cert.verified_at is not None and cert.verified_by_id == curator.id
    assert reload(product).certificate_verified
    with pytest.raises(ModerationError, match="đã được xác minh"):
        certificates.verify_certificate(curator, cert.id)


def test_revoke_removes_public_stars_at_once(client, curator, product):
    cert = certify(curator, product, stars=5)
    assert product.id in starred(5)
    with pytest.raises(ModerationError, match="lý do"):
        certificates.revoke_certificate(curator, cert.id, "   ")
    certificates.revoke_certificate(curator, cert.id, "Quyết định thu hồi số 77/QĐ-UBND")
    fresh = reload(product)
    assert fresh.certificate_revoked and fresh.public_stars is None
    assert product.id not in starred(5)
    page = client.get(f"/san-pham/{product.slug}").get_data(as_text=True)
    assert "đã bị thu hồi" in page and "badge-stars" not in page
    with pytest.raises(ModerationError, match="đã bị thu hồi"):
        certificates.verify_certificate(curator, cert.id)
    with pytest.raises(ModerationError, match="đã bị thu hồi"):
        certificates.revoke_certificate(curator, cert.id, "lần nữa")


# -- expiry with frozen dates -----------------------------------------------------------


def test_expiring_flags_89_and_90_days_not_91_expired_or_revoked(curator):
    products = {days: live_product(f"Miến dong {days}", curator=curator) for days in (91, 90, 89)}
    certs = {days: expiring_in(curator, p, days) for days, p in products.items()}
    expired = expiring_in(curator, live_product("Trà hoa vàng", curator=curator), 0)
    revoked = expiring_in(curator, live_product("Lạp xưởng", curator=curator), 30)
    certificates.revoke_certificate(curator, revoked.id, "Thu hồi")
    found = certificates.expiring(curator, today=TODAY)
    assert [c.id for c in found] == [certs[89].id, certs[90].id]
    assert certs[91].status_on(TODAY) == "valid"
    assert expired.status_on(TODAY) == "expired"
    assert revoked.status_on(TODAY) == "revoked"
    counts = certificates.counts(curator, today=TODAY)
    assert counts == {"valid": 1, "expiring": 2, "expired": 1, "revoked": 1}
    # The day after: 89 → 88 days, 91 → 90 days: now expiring too; soonest first.
    later = certificates.expiring(curator, today=TODAY + timedelta(days=1))
    assert [c.id for c in later] == [certs[89].id, certs[90].id, certs[91].id]


def test_expiring_is_scoped_and_follows_the_current_record(curator, product):
    old = expiring_in(curator, product, 10)
    assert certificates.expiring(curator, today=TODAY) == [old]
    certify(curator, product, decision_date=TODAY, evaluation_type="re_evaluation")
    assert certificates.expiring(curator, today=TODAY) == []  # renewed
    other = official("Lạng Sơn")
    expiring_in(other, live_product("Hồi Lạng Sơn", "Lạng Sơn", other), 10)
    assert certificates.expiring(curator, today=TODAY) == []
    assert len(certificates.expiring(other, today=TODAY)) == 1


def test_an_expired_certificate_loses_its_star_badge(client, monkeypatch, curator, product):
    expiring_in(curator, product, 5)
    freeze_today(monkeypatch, TODAY)
    page = client.get(f"/san-pham/{product.slug}").get_data(as_text=True)
    assert "badge-stars" in page and "Sắp hết hạn" in page
    freeze_today(monkeypatch, TODAY + timedelta(days=5))  # the expiry day itself
    assert reload(product).public_stars is None
    page = client.get(f"/san-pham/{product.slug}").get_data(as_text=True)
    assert "badge-stars" not in page and "Đã hết hạn" in page


def test_refresh_reindexes_products_whose_certificate_expired(runner, monkeypatch, curator):
    freeze_today(monkeypatch, TODAY)
    soon = live_product("Miến dong Nguyên Bình", curator=curator)
    lasting = live_product("Hạt dẻ", curator=curator)
    expiring_in(curator, soon, 3)
    expiring_in(curator, lasting, 400)
    assert {soon.id, lasting.id} <= set(starred(4))
    assert expiry.refresh(TODAY) == 0
    later = TODAY + timedelta(days=4)
    freeze_today(monkeypatch, later)
    assert expiry.stale_stars(later) == {soon.id}
    result = runner.invoke(args=["certificates", "refresh"])
    assert result.exit_code == 0, result.output
    assert "1 sản phẩm" in result.output
    assert starred(4) == [lasting.id]
    assert expiry.stale_stars(later) == set()


# -- scope ------------------------------------------------------------------------------


def test_an_official_cannot_touch_another_provinces_certificates(curator):
    other = official("Lạng Sơn")
    lang_son = live_product("Hồi Lạng Sơn", "Lạng Sơn", other)
    cert = certify(other, lang_son)
    with pytest.raises(Forbidden):
        certify(curator, lang_son)
    with pytest.raises(Forbidden):
        certificates.verify_certificate(curator, cert.id)
    with pytest.raises(Forbidden):
        certificates.revoke_certificate(curator, cert.id, "không phải tỉnh mình")
    assert cert.verified_at is None and cert.revoked_at is None
    assert certificates.in_scope(curator) == []


def test_pages_refuse_another_province_and_unknown_ids(client, login_as, curator, product):
    other = official("Lạng Sơn")
    lang_son = live_product("Hồi Lạng Sơn", "Lạng Sơn", other)
    cert = certify(other, lang_son)
    login_as(curator)
    token = csrf_token(client, f"/quan-ly/san-pham/{product.id}/chung-nhan/moi")
    assert client.get(f"/quan-ly/san-pham/{lang_son.id}/chung-nhan/moi").status_code == 403
    assert client.get(f"/quan-ly/chung-nhan/{cert.id}").status_code == 403
    for action, extra in (("xac-minh", {}), ("thu-hoi", {"thu-hoi-note": "x"})):
        response = client.post(
            f"/quan-ly/chung-nhan/{cert.id}/{action}",
            data={f"{action}-csrf_token": token, **extra},
        )
        assert response.status_code == 403, action
    response = client.post(
        f"/quan-ly/san-pham/{lang_son.id}/chung-nhan/moi",
        data={"csrf_token": token, "decision_no": "1", "decision_date": "2025-01-01"},
    )
    assert response.status_code == 403
    assert db.session.scalars(select(OcopCertificate)).all() == [cert]
    assert cert.verified_at is None and cert.revoked_at is None
    assert client.get("/quan-ly/chung-nhan/999999").status_code == 404
    assert client.get("/quan-ly/san-pham/999999/chung-nhan/moi").status_code == 404
    assert client.post("/quan-ly/chung-nhan/999999/xac-minh").status_code in (400, 404)


def test_pages_are_for_officials_only(client, login_as, product):
    login_as("producer")
    for url in ("/quan-ly/chung-nhan", f"/quan-ly/san-pham/{product.id}/chung-nhan/moi"):
        assert client.get(url).status_code == 403, url


# -- the pages --------------------------------------------------------------------------


def form_values(**values: str) -> dict[str, str]:
    return {
        "decision_no": "88/QĐ-UBND",
        "decision_date": "2025-03-04",
        "issuing_council": "UBND tỉnh Cao Bằng",
        "stars": "5",
        "evaluation_type": "upgrade",
        "expires_on": "",
        "certificate_no": "",
        **values,
    }


def test_record_verify_and_revoke_through_the_pages(client, login_as, curator, product):
    login_as(curator)
    url = f"/quan-ly/san-pham/{product.id}/chung-nhan/moi"
    response = post_form(client, url, form_values())
    assert response.status_code == 302
    cert = db.session.scalars(select(OcopCertificate)).one()
    assert (cert.stars, cert.evaluation_type, cert.expires_on) == (5, "upgrade", date(2028, 3, 4))
    detail = f"/quan-ly/chung-nhan/{cert.id}"
    assert "88/QĐ-UBND" in client.get(f"/quan-ly/san-pham/{product.id}").get_data(as_text=True)
    token = csrf_token(client, detail)

    def decide(step: str, **values: str):  # type: ignore[no-untyped-def]
        """A decision sent from a page showing the record as it is now (its version)."""
        db.session.expire_all()
        version = str(db.session.get(OcopCertificate, cert.id).version)
        data = {f"{step}-csrf_token": token, f"{step}-version": version, **values}
        return client.post(f"{detail}/{step}", data=data)

    response = decide("xac-minh")
    assert response.status_code == 302
    public = client.get(f"/san-pham/{product.slug}").get_data(as_text=True)
    assert "Đã xác minh" in public and "UBND tỉnh Cao Bằng" in public and "88/QĐ-UBND" in public
    response = decide("xac-minh")
    assert response.status_code == 422 and "đã được xác minh" in response.get_data(as_text=True)
    response = decide("thu-hoi")
    assert response.status_code == 422
    assert 'id="thu-hoi-note-loi"' in response.get_data(as_text=True)
    response = decide("thu-hoi", **{"thu-hoi-note": "Sai hồ sơ"})
    assert response.status_code == 302 and reload(product).certificate_revoked


def test_bad_form_input_gets_422_next_to_the_field(client, login_as, curator, product):
    login_as(curator)
    url = f"/quan-ly/san-pham/{product.id}/chung-nhan/moi"
    hostile = form_values(
        decision_no="<script>alert(1)</script>" + "x" * 200, decision_date="31/02/2025", stars="9"
    )
    response = post_form(client, url, hostile)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="decision_no-loi"' in page and 'id="decision_date-loi"' in page
    assert 'id="stars-loi"' in page and "<script>alert(1)" not in page
    response = post_form(client, url, form_values(decision_date="2099-01-01"))
    assert response.status_code == 422 and "sau hôm nay" in response.get_data(as_text=True)
    response = client.post(url, data=form_values())  # no CSRF token
    assert response.status_code in (400, 422)
    assert db.session.scalar(select(OcopCertificate.id)) is None


def test_certificates_page_filters_and_flags_expiring(
    client, login_as, monkeypatch, curator, product
):
    freeze_today(monkeypatch, TODAY)
    cert = expiring_in(curator, product, 60)
    valid = certify(curator, live_product("Trà", curator=curator), decision_date=TODAY)
    login_as(curator)
    page = client.get("/quan-ly/chung-nhan").get_data(as_text=True)
    assert "1 chứng nhận sắp hết hạn" in page
    assert page.index(f"/quan-ly/chung-nhan/{cert.id}") < page.index(
        f"/quan-ly/chung-nhan/{valid.id}"
    )
    only = client.get("/quan-ly/chung-nhan?trang-thai=valid").get_data(as_text=True)
    assert (
        f"/quan-ly/chung-nhan/{valid.id}" in only and f"/quan-ly/chung-nhan/{cert.id}" not in only
    )
    assert client.get("/quan-ly/chung-nhan?trang-thai=<x>&page=abc").status_code == 200
