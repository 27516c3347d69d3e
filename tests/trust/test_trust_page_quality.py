"""The trust pages (officials' and the public badges) are valid HTML, pass axe-core with no
serious or critical violation and fit a 390-px phone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from catalog.certificates import certificates
from catalog.trust import trust
from tests.forms import post_form
from tests.page_checks import browser_page_problems, html_problems, rendered
from tests.trust.support import certify, data, live_product, official


def today() -> date:
    return date.today()


def _entries():  # type: ignore[no-untyped-def]
    """A trusted producer whose product has a verified certificate, an expiring one, a
    revoked one; returns (curator, pages by name)."""
    curator = official("Cao Bằng")
    product = live_product("Hạt dẻ Trùng Khánh", curator=curator)
    cert = certify(curator, product, certificate_no="GCN-2025-01")
    certificates.verify_certificate(curator, cert.id)
    soon = live_product("Miến dong Nguyên Bình", curator=curator)
    certificates.record_certificate(
        curator, soon.id, data(decision_date=date(2024, 1, 1), expires_on=today() + timedelta(30))
    )
    revoked = certify(curator, live_product("Trà hoa vàng", curator=curator))
    certificates.revoke_certificate(curator, revoked.id, "Quyết định thu hồi số 5/QĐ")
    trust.mark_trusted(curator, product.producer_id, "Kiểm tra thực tế ngày 12/3/2026.")
    pages = {
        "trust-producers": "/quan-ly/co-so-san-xuat",
        "trust-producer": f"/quan-ly/co-so-san-xuat/{product.producer_id}",
        "trust-certificates": "/quan-ly/chung-nhan",
        "trust-certificate": f"/quan-ly/chung-nhan/{cert.id}",
        "trust-revoked": f"/quan-ly/chung-nhan/{revoked.id}",
        "trust-certificate-new": f"/quan-ly/san-pham/{product.id}/chung-nhan/moi",
        "trust-official-product": f"/quan-ly/san-pham/{product.id}",
        "trust-public-product": f"/san-pham/{product.slug}",
        "trust-public-producer": f"/co-so/{product.producer.slug}",
        "trust-search": "/tim-kiem?tin-cay=true",
    }
    return curator, product, pages


def test_trust_pages_are_valid_html(app, client, login_as, tmp_path):
    curator, product, pages = _entries()
    login_as(curator)
    documents = rendered(client, pages)
    bad = post_form(
        client,
        pages["trust-certificate-new"],
        {"decision_no": "", "decision_date": "x", "stars": "9", "evaluation_type": "new"},
    )
    assert bad.status_code == 422
    documents["trust-certificate-errors"] = bad.get_data(as_text=True)
    url = pages["trust-producer"]
    bad = post_form(client, f"{url}/tam-ngung", {"tam-ngung-note": ""}, form_url=url)
    assert bad.status_code == 422
    documents["trust-producer-errors"] = bad.get_data(as_text=True)
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_trust_pages_pass_axe_and_fit_phones(app, client, login_as):
    curator, _, pages = _entries()
    login_as(curator)
    assert browser_page_problems(app, pages, client=client) == []
