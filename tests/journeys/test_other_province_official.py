"""Issue 5's acceptance scenario, the other side: an official of Lạng Sơn tries to act on
Cao Bằng entries of every kind the journey touches (test_official_journey.py) and is
refused everywhere, changing nothing and seeing none of them.

Only what has no web path is set up directly: the two officials' accounts, and Cao Bằng
entries made through the services to keep it quick.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from catalog.extensions import db
from catalog.listings import listings
from catalog.models import (
    AuditEntry,
    Campaign,
    Complaint,
    ImportBatch,
    OcopCertificate,
    Producer,
    Product,
    User,
)
from catalog.promotion import campaigns
from tests.factories import create_user, province
from tests.forms import csrf_token, post_form
from tests.journeys.support import (
    CAMPAIGN,
    COMPLAINT,
    EVIDENCE,
    EXPORT,
    IMPORTS,
    LISTING,
    LOG,
    PRODUCER_NAME,
    QUEUE,
    REPORT,
    REPORTER,
    import_csv,
    last_id,
    sign_in,
    text,
)
from tests.listings.support import draft, owner
from tests.trust.support import certify, live_product

# -- another province's official ------------------------------------------------------------


def cao_bang_entries(app: Any, curator: User) -> dict[str, Any]:
    """Cao Bằng entries of every kind the journey touches, made quickly: services for the
    producer side, the web for the complaint and the import batch."""
    waiting = owner(status="pending", name=PRODUCER_NAME)
    listing = listings.submit(waiting, draft(waiting, LISTING))
    live = live_product("Miến dong Nguyên Bình", curator=curator)
    certificate = certify(curator, live)
    today = campaigns.local_today()
    campaign = campaigns.create_campaign(
        curator,
        {
            "title": CAMPAIGN,
            "summary": "",
            "description": "",
            "starts_on": today - timedelta(days=1),
            "ends_on": today + timedelta(days=9),
            "province_id": province("Cao Bằng").id,
            "banner_alt": "",
        },
    )
    campaigns.add_product(curator, campaign.id, live.id)
    campaigns.set_published(curator, campaign.id, True)
    consumer = app.test_client()
    filed = post_form(
        consumer,
        f"/phan-anh/san-pham/{live.id}",
        {"kind": "poor_quality", "message": COMPLAINT, "email": REPORTER},
        form_url=f"/san-pham/{live.slug}",
    )
    assert filed.status_code == 200
    uploader = app.test_client()
    sign_in(uploader, curator.email)
    batch = last_id(
        post_form(uploader, IMPORTS, {"file": (io.BytesIO(import_csv()), "cao-bang.csv")})
    )
    db.session.expire_all()
    return {
        "producer": waiting.producer_id,
        "listing": listing.id,
        "live": live,
        "certificate": certificate.id,
        "campaign": campaign.id,
        "complaint": db.session.scalars(select(Complaint.id)).one(),
        "batch": batch,
    }


def snapshot(ids: dict[str, Any]) -> dict[str, Any]:
    """What the Lạng Sơn official must not change."""
    db.session.expire_all()
    waiting = db.session.get(Producer, ids["producer"])
    live_producer = db.session.get(Producer, ids["live"].producer_id)
    cert = db.session.get(OcopCertificate, ids["certificate"])
    campaign = db.session.get(Campaign, ids["campaign"])
    complaint = db.session.get(Complaint, ids["complaint"])
    return {
        "waiting": waiting.status,
        "listing": db.session.get(Product, ids["listing"]).status,
        "live": (live_producer.status, live_producer.trusted, ids["live"].status),
        "certificate": (cert.verified_at, cert.revoked_at),
        "certificates": db.session.scalar(select(func.count(OcopCertificate.id))),
        "campaign": (campaign.title, campaign.status, campaigns.product_ids(campaign)),
        "complaint": (complaint.status, len(complaint.events)),
        "batch": db.session.get(ImportBatch, ids["batch"]).status,
        "products": db.session.scalar(select(func.count(Product.id))),
        "audit": db.session.scalar(select(func.count(AuditEntry.id))),
    }


def forbidden_requests(ids: dict[str, Any], token: str) -> list[tuple[str, str, dict]]:
    """(method, url, form) of every action on the Cao Bằng entries."""
    cao_bang = province("Cao Bằng").id
    producer, listing, live = ids["producer"], ids["listing"], ids["live"]
    cert, campaign, complaint = ids["certificate"], ids["campaign"], ids["complaint"]
    decision = {"csrf_token": token, "decision": "approve", "note": ""}
    note = {"csrf_token": token}
    edit = {
        "csrf_token": token,
        "title": "Đổi tên",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "province_id": str(cao_bang),
        "summary": "",
        "description": "",
        "banner_alt": "",
    }
    manage = f"/quan-ly/co-so-san-xuat/{live.producer_id}"
    return [
        ("GET", f"/quan-ly/co-so/{producer}", {}),
        ("POST", f"/quan-ly/co-so/{producer}", decision),
        ("GET", f"/quan-ly/san-pham/{listing}", {}),
        ("POST", f"/quan-ly/san-pham/{listing}", decision),
        ("GET", f"/quan-ly/chung-nhan/{cert}", {}),
        ("POST", f"/quan-ly/chung-nhan/{cert}/xac-minh", {**note, "xac-minh-csrf_token": token}),
        ("POST", f"/quan-ly/chung-nhan/{cert}/thu-hoi", {**note, "thu-hoi-note": "Thu hồi"}),
        ("GET", f"/quan-ly/san-pham/{live.id}/chung-nhan/moi", {}),
        (
            "POST",
            f"/quan-ly/san-pham/{live.id}/chung-nhan/moi",
            {**note, "decision_no": "1/QĐ", "decision_date": "2025-01-01", "stars": "5"},
        ),
        ("GET", manage, {}),
        ("POST", f"{manage}/danh-dau-tin-cay", {**note, "tin-cay-note": EVIDENCE}),
        ("POST", f"{manage}/tam-ngung", {**note, "tam-ngung-note": "Hàng giả"}),
        ("GET", f"/quan-ly/chuong-trinh/{campaign}", {}),
        ("POST", f"/quan-ly/chuong-trinh/{campaign}", edit),
        ("POST", f"/quan-ly/chuong-trinh/{campaign}/go", note),
        ("GET", f"/quan-ly/chuong-trinh/{campaign}/san-pham", {}),
        (
            "POST",
            f"/quan-ly/chuong-trinh/{campaign}/san-pham",
            {**note, "action": "bo", "product_id": str(live.id)},
        ),
        ("GET", f"/quan-ly/phan-anh/{complaint}", {}),
        (
            "POST",
            f"/quan-ly/phan-anh/{complaint}",
            {**note, "status": "dismissed", "reply": "Không có cơ sở.", "note": ""},
        ),
        ("POST", f"/quan-ly/phan-anh/{complaint}/an-san-pham", {**note, "reason": "Ẩn"}),
        ("GET", f"{REPORT}?tinh={cao_bang}", {}),
        ("GET", f"{EXPORT}?tinh={cao_bang}&dinh-dang=xlsx", {}),
        ("GET", f"{EXPORT}?tinh={cao_bang}&dinh-dang=csv&bang=san-pham", {}),
    ]


def test_a_lang_son_official_cannot_act_on_cao_bang_entries(app, client):
    curator = create_user("official", provinces=("Cao Bằng",))
    ids = cao_bang_entries(app, curator)
    before = snapshot(ids)
    lang_son = create_user("official", provinces=("Lạng Sơn",))
    sign_in(client, lang_son.email)
    token = csrf_token(client, QUEUE)

    for method, url, data in forbidden_requests(ids, token):
        response = client.get(url) if method == "GET" else client.post(url, data=data)
        assert response.status_code == 403, (method, url, response.status_code)
        assert PRODUCER_NAME not in text(response), url
    batch = f"{IMPORTS}/{ids['batch']}"
    assert client.get(batch).status_code in (403, 404)
    for action in ("xac-nhan", "huy"):
        response = client.post(f"{batch}/{action}", data={"csrf_token": token})
        assert response.status_code in (403, 404), action

    # Bulk approval answers per item: both refused as out of scope.
    keys = [f"producer:{ids['producer']}", f"listing:{ids['listing']}"]
    bulk = client.post(
        "/quan-ly/duyet-hang-loat",
        data={"csrf_token": token, "muc": keys},
        follow_redirects=True,
    )
    assert "Không duyệt được 2 mục" in text(bulk) and "Đã duyệt" not in text(bulk)
    assert "Bạn không phụ trách tỉnh, thành phố của mục này." in text(bulk)
    # Their own pages list none of Cao Bằng's entries.
    for url in (QUEUE, "/quan-ly/phan-anh", "/quan-ly/chuong-trinh", IMPORTS, LOG):
        page = text(client.get(url))
        assert PRODUCER_NAME not in page and LISTING not in page, url
        assert "Miến dong Nguyên Bình" not in page and CAMPAIGN not in page, url
    own = client.get(f"{EXPORT}?dinh-dang=csv&bang=san-pham")
    assert own.status_code == 200
    assert "Miến dong Nguyên Bình" not in own.data.decode("utf-8-sig")

    assert snapshot(ids) == before
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.actor_id == lang_son.id)
        )
        == 0
    )
