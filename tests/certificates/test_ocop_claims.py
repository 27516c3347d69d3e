"""Stars count only from certificate records (issue 14.1): a producer's own claim is kept as a
claim, shown as "tự khai, chưa đối chiếu" and never as the OCOP badge, in HTML, the API,
JSON-LD and search; approving a listing that claims stars settles the claim in the same step
(record, confirm the record on file, drop); imported and assisted stars are records."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from catalog.certificates import claims
from catalog.extensions import db
from catalog.models import OcopCertificate, Product
from catalog.platform import outbox, search_sync
from catalog.platform.clock import utcnow
from catalog.review import moderation, review_queue
from catalog.review.moderation import ModerationError
from search_index import SearchQuery
from tests.forms import csrf_token
from tests.review.support import found, official, owner, reload, submitted
from tests.trust.support import data

CLAIM = {
    "ocop_stars": 4,
    "certificate_no": "GCN 12/2024",
    "certificate_decision": "1234/QĐ-UBND",
    "certificate_year": 2024,
}
REVIEW = "/quan-ly/san-pham/{}"


@pytest.fixture
def claimed(app):  # type: ignore[no-untyped-def]
    """A submitted listing that claims four stars, and an official of its province."""
    return submitted(owner(), "Trà hoa vàng", **CLAIM), official("Cao Bằng")


def stars_of(product_id: int) -> list[int]:
    return search_sync.backend().search(SearchQuery(stars=(3, 4, 5))).ids


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


def test_a_claim_counts_no_stars_anywhere(client, claimed):
    product, curator = claimed
    assert (product.claimed_stars, product.ocop_stars, product.public_stars) == (4, None, None)
    with pytest.raises(ModerationError, match="phần tự khai OCOP"):
        moderation.approve_product(product.id, official=curator)
    assert reload(product).status == "submitted"
    # Published with the claim standing (a listing from before the rule, say): still no stars.
    product.status, product.published_at = "published", utcnow()
    outbox.record([product.id], "test_publish")
    db.session.commit()
    search_sync.apply_pending()
    page = client.get(f"/san-pham/{product.slug}").get_data(as_text=True)
    assert "tự khai, chưa đối chiếu" in page and "Cơ sở tự khai 4 sao" in page
    assert "OCOP 4 sao" not in page and "badge-stars" not in page
    assert 'href="/huong-dan/nhan-tin-cay#ocop-tu-khai"' in page
    facts = json.dumps(json_ld(page), ensure_ascii=False)
    assert "Nhóm sản phẩm OCOP" in facts and "Hạng OCOP" not in facts
    api = client.get(f"/api/v1/products/{product.id}").get_json()
    assert api["ocop_stars"] is None and api["certified_stars"] is None
    assert api["ocop_claim"] == {"stars": 4, "year": 2024, "checked": False}
    assert product.id not in stars_of(product.id) and found("tra hoa vang") == [product.id]


def test_approving_asks_how_to_settle_the_claim(client, login_as, claimed):
    product, curator = claimed
    login_as(curator)
    page = client.get(REVIEW.format(product.id)).get_data(as_text=True)
    assert "Tự khai, chưa đối chiếu" in page and "Khi duyệt: xử lý phần tự khai OCOP" in page
    assert 'value="1234/QĐ-UBND"' in page  # the record's fields start from the claim
    token = csrf_token(client, REVIEW.format(product.id))
    response = client.post(
        REVIEW.format(product.id), data={"decision": "approve", "csrf_token": token}
    )
    assert response.status_code == 422 and "Vui lòng chọn cách xử lý." in response.text
    assert reload(product).status == "submitted"


def record_form(token: str, **values: str) -> dict[str, str]:
    return {
        "decision": "approve",
        "claim_action": "record",
        "decision_no": "1234/QĐ-UBND",
        "decision_date": "2024-10-12",
        "issuing_council": "UBND tỉnh Cao Bằng",
        "stars": "4",
        "evaluation_type": "new",
        "csrf_token": token,
        **values,
    }


def test_recording_the_certificate_on_approval_makes_the_stars_real(client, login_as, claimed):
    product, curator = claimed
    login_as(curator)
    token = csrf_token(client, REVIEW.format(product.id))
    response = client.post(REVIEW.format(product.id), data=record_form(token))
    assert response.status_code == 302
    product = reload(product)
    assert product.status == "published" and product.claimed_stars is None
    assert product.public_stars == 4 and product.certificate_expires_on == date(2027, 10, 12)
    (cert,) = product.certificates
    assert (cert.source, cert.created_by_id, cert.decision_no) == (
        "official",
        curator.id,
        "1234/QĐ-UBND",
    )
    assert product.id in stars_of(product.id)
    listing = client.get("/quan-ly/chung-nhan").get_data(as_text=True)
    assert "Trà hoa vàng" in listing


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"decision_date": "01/01/2099"}, "không thể sau hôm nay"),
        ({"decision_date": "31/02/2026"}, "ngày"),
        ({"stars": "7"}, "chọn"),
        ({"decision_no": "<script>" * 40}, "tối đa 120"),
        ({"issuing_council": ""}, "hội đồng cấp"),
    ],
)
def test_a_bad_record_on_approval_changes_nothing(client, login_as, claimed, values, message):
    product, curator = claimed
    login_as(curator)
    token = csrf_token(client, REVIEW.format(product.id))
    response = client.post(REVIEW.format(product.id), data=record_form(token, **values))
    assert response.status_code == 422 and message.lower() in response.text.lower()
    product = reload(product)
    assert product.status == "submitted" and product.claimed_stars == 4
    assert product.certificates == []


def test_confirming_needs_a_valid_record_on_file(claimed):
    product, curator = claimed
    with pytest.raises(ModerationError, match="chưa có chứng nhận nào"):
        moderation.approve_product(
            product.id, official=curator, settlement=claims.Settlement("verify")
        )
    db.session.rollback()
    cert = OcopCertificate(product_id=product.id, source="import", **_record(stars=4))
    db.session.add(cert)
    db.session.commit()
    product = moderation.approve_product(
        product.id, official=curator, settlement=claims.Settlement("verify")
    )
    assert product.public_stars == 4 and product.certificate_verified
    assert product.claimed_stars is None


def _record(stars: int) -> dict:
    d = data(stars=stars, decision_date=date(2025, 1, 10))
    return {
        "decision_no": d.decision_no,
        "decision_date": d.decision_date,
        "issuing_council": d.issuing_council,
        "stars": d.stars,
        "evaluation_type": "new",
        "expires_on": date(2028, 1, 10),
    }


def test_dropping_the_claim_publishes_without_stars(claimed):
    product, curator = claimed
    product = moderation.approve_product(
        product.id, official=curator, settlement=claims.Settlement("drop")
    )
    assert product.status == "published" and product.claimed_stars is None
    assert product.public_stars is None and product.certificates == []


def test_bulk_approval_leaves_claims_to_the_review_page(claimed):
    product, curator = claimed
    result = review_queue.bulk_approve(curator, [f"listing:{product.id}"])
    assert result.approved == [] and "tự khai OCOP" in result.refused[0][1]
    assert reload(product).status == "submitted"


def test_imported_stars_are_records_in_the_officials_list(client, login_as):
    from catalog.imports.import_rows import COLUMNS
    from catalog.imports.imports import import_csv

    header = ",".join(COLUMNS) + "\n"
    values = {
        "product_name": "Mật ong bạc hà",
        "category": "Thực phẩm",
        "ocop_stars": "4",
        "certificate_year": "2025",
        "producer_name": "HTX Ong Mèo Vạc",
        "province": "Hà Giang",
    }
    rows = ",".join(values.get(name, "") for name in COLUMNS) + "\n"
    report = import_csv((header + rows).encode())
    assert report.ok, report.errors
    product = db.session.scalar(select(Product).where(Product.name == "Mật ong bạc hà"))
    (cert,) = product.certificates
    assert (cert.source, cert.stars, cert.decision_date_approximate) == ("import", 4, True)
    # Only the year is known: valid through 2027, "expiring" all of 2028, no exact date shown.
    assert cert.expires_on == date(2028, 12, 31) and product.certificate_expires_on is None
    assert cert.status_on(date(2027, 6, 1)) == "valid" and product.public_stars == 4
    assert cert.status_on(date(2028, 2, 1)) == "expiring"
    assert cert.status_on(date(2029, 1, 1)) == "expired"
    assert import_csv((header + rows).encode()).products_unchanged == 1  # no second record
    login_as(official("Tuyên Quang"))
    listing = client.get("/quan-ly/chung-nhan").get_data(as_text=True)
    assert "Mật ong bạc hà" in listing and "Tất cả (0)" not in listing
