"""Issue 5's acceptance scenario, end to end through the web: an official of Cao Bằng works
through a queue filled by a registration and an import, verifies a producer, runs a campaign,
handles a complaint, exports the yearly report and finds each step in the audit log. What
an official of another province may not do to such entries is in
test_other_province_official.py.

Only what has no web path is set up directly: the official's account.
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
from catalog.models import (
    Campaign,
    Category,
    ImportBatch,
    MailMessage,
    Producer,
    Product,
    User,
)
from catalog.promotion import campaigns
from tests.factories import create_user, province
from tests.forms import post_form
from tests.journeys.support import (
    CAMPAIGN,
    COMPLAINT,
    EVIDENCE,
    EXPORT,
    IMPORTED,
    IMPORTS,
    LISTING,
    LOG,
    PRODUCER_NAME,
    QUEUE,
    REPORTER,
    import_csv,
    last_id,
    link_path,
    sign_in,
    text,
)
from tests.listings.support import cao_bang_ward, jpeg

PRODUCER_EMAIL = "htx.hatde@example.vn"
PRODUCER_PASSWORD = "Hat-de-Trung-Khanh-2026"
FIRST_REPLY = "Chúng tôi đang kiểm tra lô hàng tại cơ sở."
FINAL_REPLY = "Đã làm việc với HTX: lô hàng đúng nguồn gốc, bao bì mới thay đổi."
TOKEN_LINK = re.compile(r"/phan-anh/theo-doi/([A-Za-z0-9_\-]+)")


# -- small helpers --------------------------------------------------------------------------


def mails_to(address: str) -> list[MailMessage]:
    db.session.expire_all()
    stmt = select(MailMessage).where(MailMessage.to == address).order_by(MailMessage.id)
    return list(db.session.scalars(stmt))


def product_named(name: str) -> Product:
    db.session.expire_all()
    return db.session.scalars(select(Product).where(Product.name == name)).one()


def group_id(name: str) -> int:
    return db.session.scalar(select(Category.id).where(Category.name == name))


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
    verified = web.get(link_path(welcome.body, "/tai-khoan/xac-nhan-email/"))
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
    assert visitor.get("/tim-kiem?tin-cay=false").status_code == 400  # positive filters only


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
