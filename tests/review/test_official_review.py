"""The officials' review pages: the queue of their provinces, one decision per entry, and the
private certificate scan. Decisions go through the real moderation service."""

from __future__ import annotations

import io

import pytest

from catalog.extensions import db
from catalog.listings import listings
from catalog.listings.listing_uploads import Upload
from catalog.models import AuditEntry, Producer
from tests.factories import create_producer, create_user
from tests.forms import csrf_token, post_form
from tests.listings.support import draft, found, owner, pdf, published, reload
from tests.page_checks import html_problems

QUEUE = "/quan-ly/"


def official(*provinces: str):  # type: ignore[no-untyped-def]
    return create_user("official", provinces=provinces or ("Cao Bằng",))


def submitted(user, name: str = "Hạt dẻ Trùng Khánh"):  # type: ignore[no-untyped-def]
    return listings.submit(user, draft(user, name))


def with_scan(user, name: str = "Miến dong Nguyên Bình"):  # type: ignore[no-untyped-def]
    product = draft(user, name)
    return listings.update(user, product, {}, scan=Upload(io.BytesIO(pdf()), "gcn.pdf"))


def decide(client, url: str, decision: str, note: str = ""):  # type: ignore[no-untyped-def]
    return post_form(client, url, {"decision": decision, "note": note})


@pytest.fixture
def entries(app):  # type: ignore[no-untyped-def]
    """A pending producer with a submitted listing in Cao Bằng, and the same in Hà Nội."""
    here = owner(status="pending", name="HTX Hạt dẻ Trùng Khánh")
    there = owner(status="pending", name="HTX Cốm Làng Vòng", province_name="Hà Nội")
    return here, submitted(here), there, submitted(there, "Cốm làng Vòng")


# -- the queue ---------------------------------------------------------------------------


def test_queue_lists_own_provinces_entries_only(client, login_as, entries):
    here, listing, there, elsewhere = entries
    login_as(official())
    response = client.get(QUEUE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "HTX Hạt dẻ Trùng Khánh" in page and listing.name in page
    assert "Cơ sở mới" in page and "Sản phẩm mới" in page and "Cao Bằng" in page
    assert f"/quan-ly/co-so/{here.producer_id}" in page
    assert f"/quan-ly/san-pham/{listing.id}" in page
    assert "HTX Cốm Làng Vòng" not in page and elsewhere.name not in page
    assert response.headers["Cache-Control"] == "private, no-store"


def test_queue_filters_by_kind_without_javascript(client, login_as, entries):
    _, listing, _, _ = entries
    login_as(official())
    page = client.get(QUEUE + "?loai=producer").get_data(as_text=True)
    assert "HTX Hạt dẻ Trùng Khánh" in page and f"/quan-ly/san-pham/{listing.id}" not in page
    page = client.get(QUEUE + "?loai=listing").get_data(as_text=True)
    assert f"/quan-ly/san-pham/{listing.id}" in page and "/quan-ly/co-so/" not in page
    page = client.get(QUEUE + "?loai=claim").get_data(as_text=True)
    assert "Không có mục “Yêu cầu nhận quản lý” nào đang chờ duyệt" in page
    assert client.get(QUEUE + "?loai=<script>").status_code == 200


def test_empty_queue_says_what_happens_next(client, login_as):
    login_as(official())
    page = client.get(QUEUE).get_data(as_text=True)
    assert "Không có hồ sơ nào chờ duyệt" in page


# -- decisions ---------------------------------------------------------------------------


def test_approving_producer_and_listing_makes_it_public_and_searchable(client, login_as, entries):
    here, listing, _, _ = entries
    login_as(official())
    assert client.get(f"/san-pham/{listing.slug}").status_code == 404

    response = decide(client, f"/quan-ly/co-so/{here.producer_id}", "approve")
    assert response.status_code == 302 and response.location.endswith(QUEUE)
    response = decide(client, f"/quan-ly/san-pham/{listing.id}", "approve", "Đủ hồ sơ")
    assert response.status_code == 302

    assert "Đã ghi nhận quyết định" in client.get(QUEUE).get_data(as_text=True)
    assert db.session.get(Producer, here.producer_id).status == "active"
    assert reload(listing).status == "published"
    assert client.get(f"/san-pham/{listing.slug}").status_code == 200
    assert found("hat de trung khanh") == [listing.id]


def test_rejecting_without_a_note_is_refused_and_changes_nothing(client, login_as, entries):
    _, listing, _, _ = entries
    login_as(official())
    audit_before = db.session.query(AuditEntry).count()
    response = decide(client, f"/quan-ly/san-pham/{listing.id}", "reject", "   ")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vui lòng ghi lý do để cơ sở biết cần làm gì." in page
    assert 'aria-invalid="true"' in page
    assert reload(listing).status == "submitted"
    assert db.session.query(AuditEntry).count() == audit_before

    response = decide(client, f"/quan-ly/san-pham/{listing.id}", "", "")
    assert response.status_code == 422
    assert "Vui lòng chọn một quyết định." in response.get_data(as_text=True)


def test_requested_changes_reach_the_producers_dashboard(client, login_as, entries):
    here, listing, _, _ = entries
    login_as(official())
    note = "Vui lòng bổ sung mã số thuế và địa chỉ."
    assert (
        decide(client, f"/quan-ly/co-so/{here.producer_id}", "request_changes", note).status_code
        == 302
    )
    note2 = "Ảnh sản phẩm còn mờ."
    assert (
        decide(client, f"/quan-ly/san-pham/{listing.id}", "request_changes", note2).status_code
        == 302
    )
    assert reload(listing).status == "changes_requested"

    login_as(here)
    page = client.get("/co-so-cua-toi/").get_data(as_text=True)
    assert note in page and note2 in page


def test_a_change_to_a_published_listing_shows_current_and_proposed(client, login_as, app):
    user = owner()
    product = published(user, "Hạt dẻ Trùng Khánh")
    listings.update(user, product, {"name": "Hạt dẻ Trùng Khánh rang củi"})
    assert reload(product).review_state == "submitted"
    login_as(official())

    assert "Thay đổi sản phẩm" in client.get(QUEUE).get_data(as_text=True)
    page = client.get(f"/quan-ly/san-pham/{product.id}").get_data(as_text=True)
    assert "Hiện tại" in page and "Đề xuất" in page
    assert "Hạt dẻ Trùng Khánh rang củi" in page and "Tên sản phẩm" in page

    assert decide(client, f"/quan-ly/san-pham/{product.id}", "approve").status_code == 302
    product = reload(product)
    assert product.name == "Hạt dẻ Trùng Khánh rang củi" and product.pending_changes is None


def test_a_hostile_note_is_escaped_or_refused(client, login_as, entries):
    here, listing, _, _ = entries
    login_as(official())
    response = decide(client, f"/quan-ly/san-pham/{listing.id}", "reject", "x" * 10_000)
    assert response.status_code == 422 and "Tối đa 2000 ký tự." in response.get_data(as_text=True)
    assert reload(listing).status == "submitted"

    script = "<script>alert(1)</script> ảnh mờ"
    assert decide(client, f"/quan-ly/co-so/{here.producer_id}", "reject", script).status_code == 302
    assert db.session.get(Producer, here.producer_id).review_note == script
    page = client.get(f"/quan-ly/co-so/{here.producer_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_a_decision_without_csrf_is_refused(client, login_as, entries):
    _, listing, _, _ = entries
    login_as(official())
    response = client.post(f"/quan-ly/san-pham/{listing.id}", data={"decision": "approve"})
    assert response.status_code in (400, 422)
    assert reload(listing).status == "submitted"


def test_unknown_entries_are_not_found(client, login_as):
    login_as(official())
    for path in ("/quan-ly/co-so/999999", "/quan-ly/san-pham/999999", "/quan-ly/yeu-cau/999999"):
        assert client.get(path).status_code == 404, path
    assert client.get("/quan-ly/san-pham/999999/giay-chung-nhan").status_code == 404


# -- who may open the pages -------------------------------------------------------------


def pages(entries, scanned=None):  # type: ignore[no-untyped-def]
    _, _, there, elsewhere = entries
    paths = [f"/quan-ly/co-so/{there.producer_id}", f"/quan-ly/san-pham/{elsewhere.id}"]
    if scanned is not None:
        paths.append(f"/quan-ly/san-pham/{scanned.id}/giay-chung-nhan")
    return paths


def test_anonymous_visitors_are_sent_to_sign_in(client, entries):
    for path in [QUEUE, *pages(entries)]:
        response = client.get(path)
        assert response.status_code == 302 and "dang-nhap" in response.location, path
    token = csrf_token(client, "/tai-khoan/dang-nhap")
    response = client.post(pages(entries)[1], data={"decision": "approve", "csrf_token": token})
    assert response.status_code == 302 and "dang-nhap" in response.location


def test_producers_are_refused_everywhere(client, login_as, entries):
    here, listing, _, _ = entries
    login_as(here)
    paths = [
        QUEUE,
        f"/quan-ly/co-so/{here.producer_id}",
        f"/quan-ly/san-pham/{listing.id}",
        f"/quan-ly/san-pham/{listing.id}/giay-chung-nhan",
        "/quan-ly/yeu-cau/1",
        *pages(entries),
    ]
    for path in paths:
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/co-so-cua-toi/")
    response = client.post(
        f"/quan-ly/san-pham/{listing.id}", data={"decision": "approve", "csrf_token": token}
    )
    assert response.status_code == 403
    assert reload(listing).status == "submitted"


def test_officials_of_another_province_are_refused(client, login_as, entries):
    _, _, there, elsewhere = entries
    scanned = with_scan(there, "Cốm xanh")
    login_as(official())
    for path in pages(entries, scanned):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Cốm" not in response.get_data(as_text=True)


def test_posting_a_decision_out_of_scope_is_refused(client, login_as, entries):
    here, listing, _, elsewhere = entries
    login_as(official())
    token = csrf_token(client, f"/quan-ly/san-pham/{listing.id}")
    response = client.post(
        f"/quan-ly/san-pham/{elsewhere.id}", data={"decision": "approve", "csrf_token": token}
    )
    assert response.status_code == 403
    assert reload(elsewhere).status == "submitted"


# -- the certificate scan ----------------------------------------------------------------


def test_the_scan_is_served_privately_to_the_right_official(client, login_as):
    user = owner()
    product = with_scan(user)
    login_as(official())
    page = client.get(f"/quan-ly/san-pham/{product.id}").get_data(as_text=True)
    assert f"/quan-ly/san-pham/{product.id}/giay-chung-nhan" in page

    response = client.get(f"/quan-ly/san-pham/{product.id}/giay-chung-nhan")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == pdf()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"].startswith("inline")

    login_as(official("Hà Nội"))
    assert client.get(f"/quan-ly/san-pham/{product.id}/giay-chung-nhan").status_code == 403
    login_as(user)
    assert client.get(f"/quan-ly/san-pham/{product.id}/giay-chung-nhan").status_code == 403


def test_no_scan_is_not_found(client, login_as):
    product = draft(owner())
    login_as(official())
    assert client.get(f"/quan-ly/san-pham/{product.id}/giay-chung-nhan").status_code == 404


# -- claims and page quality ---------------------------------------------------------------


def claim_on(producer_name: str = "HTX Miến dong Cao Bằng"):  # type: ignore[no-untyped-def]
    from catalog.database import write_transaction
    from catalog.models import ProducerClaim

    listed = create_producer(producer_name, tax_code="0100109106")
    claimant = create_user("producer")
    with write_transaction():
        claim = ProducerClaim(producer_id=listed.id, user_id=claimant.id, message="Tôi là chủ")
        db.session.add(claim)
    return claim, claimant


def test_a_claim_is_listed_and_accepted(client, login_as):
    claim, claimant = claim_on()
    login_as(official())
    assert "Yêu cầu nhận quản lý" in client.get(QUEUE).get_data(as_text=True)
    page = client.get(f"/quan-ly/yeu-cau/{claim.id}").get_data(as_text=True)
    assert claimant.email in page and "Tôi là chủ" in page and "Yêu cầu chỉnh sửa" not in page
    assert decide(client, f"/quan-ly/yeu-cau/{claim.id}", "approve").status_code == 302
    db.session.expire_all()
    assert claimant.producer_id == claim.producer_id


def test_review_pages_are_valid_html(client, login_as, entries, tmp_path):
    here, listing, _, _ = entries
    user = owner()
    live = published(user, "Hạt dẻ rang củi")
    listings.update(user, live, {"price_vnd": 180000})
    claim, _ = claim_on()
    login_as(official())
    documents = {
        "queue": client.get(QUEUE).get_data(as_text=True),
        "empty": client.get(QUEUE + "?loai=change&x=1").get_data(as_text=True),
        "producer": client.get(f"/quan-ly/co-so/{here.producer_id}").get_data(as_text=True),
        "listing": client.get(f"/quan-ly/san-pham/{listing.id}").get_data(as_text=True),
        "change": client.get(f"/quan-ly/san-pham/{live.id}").get_data(as_text=True),
        "claim": client.get(f"/quan-ly/yeu-cau/{claim.id}").get_data(as_text=True),
        "error": decide(client, f"/quan-ly/san-pham/{listing.id}", "reject").get_data(as_text=True),
    }
    assert html_problems(documents, tmp_path) == []
