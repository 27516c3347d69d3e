"""Issue 5's acceptance scenario, end to end through the web: an official of Cao Bằng works
through a queue filled by a registration and an import, verifies a producer, runs a campaign,
handles a complaint and exports the yearly report; an official of Lạng Sơn then tries to act
on those entries and is refused, changing nothing.

Only what has no web path is set up directly: the two officials' accounts (and, in the
Lạng Sơn test, Cao Bằng entries made through the services to keep it quick).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import func, select

from catalog.extensions import db
from catalog.listings import listings
from catalog.models import (
    AuditEntry,
    Campaign,
    Category,
    Complaint,
    ImportBatch,
    MailMessage,
    OcopCertificate,
    Producer,
    Product,
    User,
)
from catalog.promotion import campaigns
from tests.factories import PASSWORD, create_user, province
from tests.forms import csrf_token, post_form
from tests.helpers import csv_bytes, row
from tests.listings.support import cao_bang_ward, draft, jpeg, owner
from tests.trust.support import certify, live_product

QUEUE = "/quan-ly/"
IMPORTS = "/quan-ly/nhap-danh-sach"
REPORT = "/quan-ly/bao-cao"
EXPORT = "/quan-ly/bao-cao/xuat"
LOG = "/quan-ly/nhat-ky"
PRODUCER_EMAIL = "htx.hatde@example.vn"
PRODUCER_PASSWORD = "Hat-de-Trung-Khanh-2026"
PRODUCER_NAME = "HTX Hạt dẻ Trùng Khánh"
LISTING = "Hạt dẻ rang củi Trùng Khánh"
REPORTER = "nguoi-mua@example.vn"
EVIDENCE = "Kiểm tra thực tế cơ sở ngày 12/3/2026; giấy phép kinh doanh còn hiệu lực."
COMPLAINT = "Mua ở chợ Đông Kinh, bao bì khác hẳn ảnh, nghi là hàng giả mạo nhãn hiệu."
FIRST_REPLY = "Chúng tôi đang kiểm tra lô hàng tại cơ sở."
FINAL_REPLY = "Đã làm việc với HTX: lô hàng đúng nguồn gốc, bao bì mới thay đổi."
CAMPAIGN = "Tháng hàng Việt Cao Bằng"
# Imported rows: (product, producer, group); the second lacks its OCOP group.
IMPORTED = (
    ("Trà hoa vàng Phục Hòa", "HTX Trà hoa vàng Phục Hòa", "Thực phẩm"),
    ("Miến dong Nguyên Bình", "HTX Miến dong Nguyên Bình", ""),
    ("Rượu ngô Bảo Lạc", "HTX Rượu ngô Bảo Lạc", "Đồ uống"),
)
TOKEN_LINK = re.compile(r"/phan-anh/theo-doi/([A-Za-z0-9_\-]+)")


# -- small helpers --------------------------------------------------------------------------


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def sign_in(client: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    response = post_form(client, "/tai-khoan/dang-nhap", {"email": email, "password": password})
    assert response.status_code == 302, text(response)[:500]


def mails_to(address: str) -> list[MailMessage]:
    db.session.expire_all()
    stmt = select(MailMessage).where(MailMessage.to == address).order_by(MailMessage.id)
    return list(db.session.scalars(stmt))


def site_path(body: str, prefix: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S+)", body)
    assert match, body
    return match.group(1)


def last_id(response: Any) -> int:
    """The id at the end of a redirect's Location."""
    assert response.status_code == 302, text(response)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def product_named(name: str) -> Product:
    db.session.expire_all()
    return db.session.scalars(select(Product).where(Product.name == name)).one()


def group_id(name: str) -> int:
    return db.session.scalar(select(Category.id).where(Category.name == name))


def import_csv() -> bytes:
    return csv_bytes(
        *(
            row(
                product_name=product,
                producer_name=producer,
                province="Cao Bằng",
                category=group,
                producer_type="Hợp tác xã",
                phone=f"091200011{n}",
                ocop_stars="",
            )
            for n, (product, producer, group) in enumerate(IMPORTED)
        )
    )


def xlsx_summary(book: Any) -> dict[str, dict[str, Any]]:
    """The "Tổng hợp" sheet as {section: {item: value}}: a bold one-cell row starts a
    section ("Số liệu chính" has its own two-cell header)."""
    sections: dict[str, dict[str, Any]] = {}
    current = ""
    for cells in book["Tổng hợp"].iter_rows():
        values = [c.value for c in cells if c.value is not None]
        if not values:
            continue
        if cells[0].font.bold and (len(values) == 1 or values[0] == "Số liệu chính"):
            current = values[0]
            sections[current] = {}
        elif current and len(values) >= 2 and values[:2] != ["Mục", "Số lượng"]:
            sections[current][values[0]] = values[1]
    return sections


# -- the journey ----------------------------------------------------------------------------


def register_and_list(app: Any) -> int:
    """Step 1a: a producer registers, verifies its address, fills its profile in Cao Bằng
    and submits a listing. Returns the listing's id."""
    web = app.test_client()
    cao_bang = province("Cao Bằng").id
    response = post_form(
        web,
        "/tai-khoan/dang-ky",
        {
            "business_name": PRODUCER_NAME,
            "province_id": str(cao_bang),
            "email": PRODUCER_EMAIL,
            "password": PRODUCER_PASSWORD,
            "confirm": PRODUCER_PASSWORD,
        },
    )
    assert response.status_code == 302
    [welcome] = mails_to(PRODUCER_EMAIL)
    verified = web.get(site_path(welcome.body, "/tai-khoan/xac-nhan-email/"))
    assert verified.status_code == 302
    sign_in(web, PRODUCER_EMAIL, PRODUCER_PASSWORD)

    ward_code, _ = cao_bang_ward()
    profile = {
        "name": PRODUCER_NAME,
        "type": "hop_tac_xa",
        "tax_code": "0100109106",
        "representative": "Nông Văn Thành",
        "province_id": str(cao_bang),
        "wards_for": str(cao_bang),
        "ward_code": str(ward_code),
        "address": "Xóm Nà Đoỏng",
        "phone": "0912 345 678",
        "email": PRODUCER_EMAIL,
        "description": "Hạt dẻ rang củi từ vùng núi đá vôi.",
        "action": "luu",
    }
    assert post_form(web, "/co-so-cua-toi/ho-so", profile).status_code == 302
    listing = {
        "name": LISTING,
        "category_id": str(group_id("Thực phẩm")),
        "description": "Hạt dẻ Trùng Khánh rang củi, bùi thơm, thu hoạch vụ thu.",
        "province_id": str(cao_bang),
        "price_vnd": "180.000",
        "unit": "kg",
        "photos": [(io.BytesIO(jpeg()), "hat-de.jpg")],
    }
    created = post_form(
        web, "/co-so-cua-toi/san-pham/moi", listing, content_type="multipart/form-data"
    )
    product_id = last_id(created)
    edit = f"/co-so-cua-toi/san-pham/{product_id}"
    submitted = post_form(web, f"{edit}/gui-duyet", {}, form_url=edit, follow_redirects=True)
    assert "Đã gửi duyệt" in text(submitted)
    assert product_named(LISTING).status == "submitted"
    return product_id


def import_list(client: Any) -> int:
    """Step 1b: the official uploads a CSV of Cao Bằng rows and confirms the preview."""
    uploaded = post_form(client, IMPORTS, {"file": (io.BytesIO(import_csv()), "cao-bang.csv")})
    batch_id = last_id(uploaded)
    preview = text(client.get(f"{IMPORTS}/{batch_id}"))
    assert all(name in preview for name, _, _ in IMPORTED) and "Tạo mới" in preview
    assert db.session.scalar(select(func.count(Product.id)).where(Product.source == "import")) == 0
    confirmed = post_form(
        client, f"{IMPORTS}/{batch_id}/xac-nhan", {}, form_url=f"{IMPORTS}/{batch_id}"
    )
    assert confirmed.status_code == 302
    imported = db.session.scalars(select(Product).where(Product.source == "import")).all()
    assert sorted(p.name for p in imported) == sorted(name for name, _, _ in IMPORTED)
    assert {p.status for p in imported} == {"published"}
    assert db.session.get(ImportBatch, batch_id).status == "confirmed"
    return batch_id


def work_the_queue(client: Any, listing_id: int) -> int:
    """Step 2: the queue shows the registration, the listing and the incomplete imported
    entry; the official approves and completes them. Returns the producer's id."""
    producer_id = db.session.get(Product, listing_id).producer_id
    incomplete = product_named("Miến dong Nguyên Bình")
    page = text(client.get(QUEUE))
    assert PRODUCER_NAME in page and LISTING in page and "Miến dong Nguyên Bình" in page
    assert f"/quan-ly/co-so/{producer_id}" in page and f"/quan-ly/san-pham/{listing_id}" in page
    only_incomplete = text(client.get(QUEUE + "?loai=incomplete"))
    assert f"/quan-ly/bo-sung/san-pham/{incomplete.id}" in only_incomplete
    assert "Thiếu: nhóm sản phẩm OCOP" in only_incomplete
    for complete_one in ("Trà hoa vàng Phục Hòa", "Rượu ngô Bảo Lạc"):
        assert complete_one not in only_incomplete  # they have their group

    decided = post_form(client, f"/quan-ly/co-so/{producer_id}", {"decision": "approve"})
    assert decided.status_code == 302
    bulk = post_form(
        client,
        "/quan-ly/duyet-hang-loat",
        {"muc": [f"listing:{listing_id}"]},
        form_url=QUEUE,
        follow_redirects=True,
    )
    assert "Đã duyệt 1 mục" in text(bulk)
    completed = post_form(
        client,
        f"/quan-ly/bo-sung/san-pham/{incomplete.id}",
        {"category_id": str(group_id("Thực phẩm"))},
    )
    assert completed.status_code == 302

    db.session.expire_all()
    assert db.session.get(Producer, producer_id).status == "active"
    assert db.session.get(Product, listing_id).status == "published"
    assert db.session.get(Product, incomplete.id).category_id == group_id("Thực phẩm")
    after = text(client.get(QUEUE))
    assert "Không có hồ sơ nào chờ duyệt" in after, after
    return producer_id


def verify_producer(client: Any, listing_id: int, producer_id: int) -> None:
    """Step 3: certificate recorded and verified, trusted mark with evidence; the public
    page and the search facet show it."""
    decided_on = campaigns.local_today() - timedelta(days=60)
    recorded = post_form(
        client,
        f"/quan-ly/san-pham/{listing_id}/chung-nhan/moi",
        {
            "decision_no": "215/QĐ-UBND",
            "decision_date": decided_on.isoformat(),
            "issuing_council": "UBND tỉnh Cao Bằng",
            "stars": "4",
            "evaluation_type": "new",
            "expires_on": "",
            "certificate_no": "",
        },
    )
    certificate_id = last_id(recorded)
    detail = f"/quan-ly/chung-nhan/{certificate_id}"
    assert post_form(client, f"{detail}/xac-minh", {}, form_url=detail).status_code == 302
    manage = f"/quan-ly/co-so-san-xuat/{producer_id}"
    trusted = post_form(
        client, f"{manage}/danh-dau-tin-cay", {"tin-cay-note": EVIDENCE}, form_url=manage
    )
    assert trusted.status_code == 302

    product = product_named(LISTING)
    assert product.ocop_stars == 4 and product.certificate_verified
    public = text(client.application.test_client().get(f"/san-pham/{product.slug}"))
    assert "badge-stars" in public and "OCOP 4 sao" in public
    assert "Địa chỉ tin cậy" in public and "Đã xác minh" in public and "215/QĐ-UBND" in public
    visitor = client.application.test_client()
    found = text(visitor.get("/tim-kiem?tin-cay=true"))
    assert LISTING in found
    assert "Trà hoa vàng Phục Hòa" not in found  # an imported, untrusted producer's product
    assert "Trà hoa vàng Phục Hòa" in text(visitor.get("/tim-kiem?tin-cay=false"))


def run_campaign(client: Any, listing_id: int) -> Campaign:
    """Step 4: a Cao Bằng campaign spanning today with the product, published."""
    today = campaigns.local_today()
    created = post_form(
        client,
        "/quan-ly/chuong-trinh/moi",
        {
            "title": CAMPAIGN,
            "starts_on": (today - timedelta(days=3)).isoformat(),
            "ends_on": (today + timedelta(days=10)).isoformat(),
            "province_id": str(province("Cao Bằng").id),
            "summary": "Hàng Việt về miền núi.",
            "description": "## Chương trình\n\nGiảm giá **hạt dẻ** Trùng Khánh.",
            "banner_alt": "",
        },
    )
    campaign_id = last_id(created)
    edit = f"/quan-ly/chuong-trinh/{campaign_id}"
    added = post_form(client, f"{edit}/san-pham", {"action": "them", "product_id": str(listing_id)})
    assert added.status_code == 302
    assert post_form(client, f"{edit}/dang", {}, form_url=edit).status_code == 302

    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign_id)
    assert campaign.status == "published"
    visitor = client.application.test_client()
    public = text(visitor.get(f"/chuong-trinh/{campaign.slug}"))
    assert CAMPAIGN in public and LISTING in public
    home = text(visitor.get("/"))
    assert "Chương trình đang diễn ra" in home and CAMPAIGN in home
    return campaign


def handle_complaint(client: Any, listing_id: int) -> None:
    """Step 5: a consumer complains from the product page; the official investigates,
    resolves with a reply; the reporter's private link shows the reply and the status."""
    consumer = client.application.test_client()
    page = f"/san-pham/{product_named(LISTING).slug}"
    sent = post_form(
        consumer,
        f"/phan-anh/san-pham/{listing_id}",
        {"kind": "counterfeit", "message": COMPLAINT, "name": "Chị Lan", "email": REPORTER},
        form_url=page,
    )
    assert sent.status_code == 200 and "Cảm ơn bạn đã phản ánh" in text(sent)

    listing = text(client.get("/quan-ly/phan-anh"))
    assert LISTING in listing
    match = re.search(r"/quan-ly/phan-anh/(\d+)", listing)
    assert match, listing
    detail = f"/quan-ly/phan-anh/{match.group(1)}"
    step = {"status": "investigating", "reply": FIRST_REPLY, "note": "Gọi HTX hỏi lô hàng"}
    assert post_form(client, detail, step).status_code == 302
    done = {"status": "resolved", "reply": FINAL_REPLY, "note": ""}
    assert post_form(client, detail, done).status_code == 302

    [receipt, *updates] = mails_to(REPORTER)
    token = TOKEN_LINK.search(receipt.body)
    assert token, receipt.body
    assert any(FINAL_REPLY in m.body for m in updates)
    tracking = text(consumer.get(f"/phan-anh/theo-doi/{token.group(1)}"))
    assert "Đã xử lý" in tracking and FINAL_REPLY in tracking and FIRST_REPLY in tracking
    assert "Gọi HTX hỏi lô hàng" not in tracking  # internal notes stay internal


def check_report(client: Any, campaign: Campaign) -> None:
    """Step 6: the yearly report for Cao Bằng, XLSX and CSV, against what was made here:
    public products = the listing + 3 imported; 1 trusted producer; 1 complaint, resolved;
    1 campaign with 1 product."""
    year = campaigns.local_today().year
    query = f"ky=ca-nam&nam={year}&tinh={province('Cao Bằng').id}"
    response = client.get(f"{EXPORT}?{query}&dinh-dang=xlsx")
    assert response.status_code == 200
    assert f"bao-cao-ocop-cao-bang-{year}.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    summary = xlsx_summary(book)
    key = summary["Số liệu chính"]
    assert key["Sản phẩm đang hiển thị"] == 4
    assert key["Địa chỉ tin cậy"] == 1
    assert key["Cơ sở đang hoạt động"] == 4  # the registered one and 3 imported
    assert key["Sản phẩm OCOP còn hiệu lực"] == 1
    assert (key["Phản ánh nhận trong kỳ"], key["Phản ánh đã xử lý xong trong kỳ"]) == (1, 1)
    assert (key["Chương trình trong kỳ"], key["Sản phẩm tham gia chương trình"]) == (1, 1)
    assert summary["Phản ánh nhận trong kỳ theo trạng thái"] == {
        "Mới tiếp nhận": 0,
        "Đang xác minh": 0,
        "Đã xử lý": 1,
        "Không có cơ sở": 0,
        "Tổng": 1,
    }
    products = {r[0]: r for r in book["Sản phẩm"].iter_rows(min_row=2, values_only=True)}
    assert set(products) == {LISTING, *(name for name, _, _ in IMPORTED)}
    assert products[LISTING][1:8] == (
        PRODUCER_NAME,
        "Cao Bằng",
        "Thực phẩm",
        4,
        "Còn hiệu lực",
        "Đang đăng",
        "Có",
    )
    assert products["Miến dong Nguyên Bình"][3] == "Thực phẩm"  # completed in step 2
    trusted = [r[0] for r in book["Cơ sở"].iter_rows(min_row=2, values_only=True) if r[5] == "Có"]
    assert trusted == [PRODUCER_NAME]
    complaint_rows = list(book["Phản ánh"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[4]) for r in complaint_rows] == [("Hàng giả, hàng nhái", "Đã xử lý")]
    campaign_rows = list(book["Chương trình"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[4]) for r in campaign_rows] == [(campaign.title, 1)]

    def csv_table(table: str) -> list[list[str]]:
        got = client.get(f"{EXPORT}?{query}&dinh-dang=csv&bang={table}")
        assert got.status_code == 200 and got.data.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))

    lines = csv_table("tong-hop")
    for expected in (
        ["Số liệu chính", "Sản phẩm đang hiển thị", "4"],
        ["Số liệu chính", "Địa chỉ tin cậy", "1"],
        ["Số liệu chính", "Sản phẩm tham gia chương trình", "1"],
        ["Phản ánh nhận trong kỳ theo trạng thái", "Đã xử lý", "1"],
        ["Phản ánh nhận trong kỳ theo trạng thái", "Mới tiếp nhận", "0"],
        ["Sản phẩm trong chương trình", campaign.title, "1"],
    ):
        assert expected in lines, expected
    names = [r[0] for r in csv_table("san-pham")[1:]]
    assert sorted(names) == sorted([LISTING, *(name for name, _, _ in IMPORTED)])


# The official's actions in the journey, with the name the log shows for each.
JOURNEY_ACTIONS = {
    "import_confirmed": "Nhập danh sách",
    "producer.approve": "Duyệt cơ sở",
    "product.approve": "Duyệt sản phẩm",
    "product.complete": "Bổ sung nhóm sản phẩm",
    "certificate.record": "Ghi nhận chứng nhận OCOP",
    "certificate.verify": "Xác minh chứng nhận OCOP",
    "producer.trust": "Đánh dấu địa chỉ tin cậy",
    "campaign.create": "Tạo chương trình",
    "campaign.add_product": "Thêm sản phẩm vào chương trình",
    "campaign.publish": "Đăng chương trình",
    "complaint.investigating": "Chuyển phản ánh sang xác minh",
    "complaint.resolved": "Xử lý xong phản ánh",
}
LOG_ROW = re.compile(
    r'<td data-label="Người thực hiện">([^<]*)</td>\s*<th scope="row" data-label="Hành động">'
    r"([^<]*)</th>"
)


def check_audit_log(client: Any, official: User, batch_id: int) -> None:
    """Step 8: the log lists the journey's actions, each under its Vietnamese name, with
    the official as the actor (page and export agree)."""
    shown = LOG_ROW.findall(text(client.get(LOG)))
    by_official = {action for actor, action in shown if actor == official.email}
    assert set(JOURNEY_ACTIONS.values()) <= by_official, by_official
    assert not any(code in by_official for code in JOURNEY_ACTIONS)  # never a bare code
    exported = client.get(f"{LOG}/xuat?dinh_dang=csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    codes = {r[4] for r in rows[1:] if r[2] == official.email}
    assert set(JOURNEY_ACTIONS) <= codes, codes
    imported = [r for r in rows[1:] if r[4] == "import_confirmed"]
    assert [(r[2], r[3], r[6]) for r in imported] == [
        (official.email, "Nhập danh sách", str(batch_id))
    ]
    complaint = text(client.get(f"{LOG}?hanh_dong=complaint.resolved"))
    assert official.email in complaint and FINAL_REPLY in complaint  # the reply is its reason


def test_a_cao_bang_official_works_through_the_whole_journey(app, client):
    official = create_user("official", provinces=("Cao Bằng",), email="canbo.caobang@example.vn")
    listing_id = register_and_list(app)
    sign_in(client, official.email)
    batch_id = import_list(client)
    producer_id = work_the_queue(client, listing_id)
    verify_producer(client, listing_id, producer_id)
    campaign = run_campaign(client, listing_id)
    handle_complaint(client, listing_id)
    check_report(client, campaign)
    check_audit_log(client, official, batch_id)


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
