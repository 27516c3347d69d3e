"""Complaints ("phản ánh"): filed on product and producer pages, routed to the officials of
the entry's province, triaged by them, followed by the reporter through a private link.
Everything goes through the real forms, services, mail outbox and search index."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog.complaints import complaints
from catalog.extensions import db
from catalog.models import AuditEntry, Complaint, ComplaintEvent, MailMessage
from tests.complaints.support import (
    MESSAGE,
    complaint_url,
    file,
    lang_son_product,
    mail_to,
    only_complaint,
    token_of,
)
from tests.factories import create_producer, create_user
from tests.forms import post_form
from tests.listings.support import draft, found, owner, reload

REPORTER = "nguoi-mua@example.vn"


def count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


def triage(client, complaint_id: int, status: str = "", reply: str = "", note: str = ""):  # type: ignore[no-untyped-def]
    url = f"/quan-ly/phan-anh/{complaint_id}"
    return post_form(client, url, {"status": status, "reply": reply, "note": note})


@pytest.fixture
def product(app):  # type: ignore[no-untyped-def]
    return lang_son_product()


# -- the whole flow ------------------------------------------------------------------------


def test_complaint_reaches_its_provinces_officials_and_the_reporter_follows_it(
    client, login_as, product
):
    item, lang_son = product
    cao_bang = create_user("official", provinces=("Cao Bằng",))
    admin = create_user("admin")
    sent = file(client, complaint_url(item), name="Chị Lan", email=REPORTER, phone="0912 345 678")
    assert sent.status_code == 200
    assert "Cảm ơn bạn đã phản ánh" in sent.get_data(as_text=True)
    assert sent.headers["Referrer-Policy"] == "no-referrer"
    token = token_of(sent)

    complaint = only_complaint()
    assert complaint.province.name == "Lạng Sơn" and complaint.product_id == item.id
    assert complaint.reporter_phone == "0912345678" and complaint.status == "new"
    assert complaint.token_hash == complaints.token_hash(token) and token not in str(
        [complaint.token_hash, complaint.message]
    )
    [alert] = mail_to(lang_son.email)
    assert f"/quan-ly/phan-anh/{complaint.id}" in alert.body and MESSAGE in alert.body
    assert mail_to(cao_bang.email) == [] and mail_to(admin.email) == []
    [receipt] = mail_to(REPORTER)
    assert f"/phan-anh/theo-doi/{token}" in receipt.body

    tracking = client.get(f"/phan-anh/theo-doi/{token}")
    page = tracking.get_data(as_text=True)
    assert tracking.status_code == 200 and "Mới tiếp nhận" in page and MESSAGE in page
    assert tracking.headers["Cache-Control"] == "private, no-store"
    assert tracking.headers["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in page

    login_as(lang_son)
    listing = client.get("/quan-ly/phan-anh").get_data(as_text=True)
    assert item.name in listing and f"/quan-ly/phan-anh/{complaint.id}" in listing
    step = triage(
        client, complaint.id, "investigating", "Chúng tôi đang kiểm tra lô hàng.", "Gọi HTX"
    )
    assert step.status_code == 302
    page = client.get(f"/phan-anh/theo-doi/{token}").get_data(as_text=True)
    assert "Đang xác minh" in page and "Chúng tôi đang kiểm tra lô hàng." in page
    assert "Gọi HTX" not in page  # internal notes stay internal
    assert "Chúng tôi đang kiểm tra lô hàng." in mail_to(REPORTER)[-1].body

    done = triage(client, complaint.id, "resolved", "Đã yêu cầu HTX thu hồi lô hàng.")
    assert done.status_code == 302
    page = client.get(f"/phan-anh/theo-doi/{token}").get_data(as_text=True)
    assert "Đã xử lý" in page and "Đã yêu cầu HTX thu hồi lô hàng." in page
    complaint = only_complaint()
    assert complaint.status == "resolved" and complaint.closed_at is not None
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "complaint")
    ).all()
    assert actions == ["complaint.filed", "complaint.investigating", "complaint.resolved"]
    detail = client.get(f"/quan-ly/phan-anh/{complaint.id}").get_data(as_text=True)
    assert "Gọi HTX" in detail and "0912 345 678" in detail


def test_producer_complaints_go_to_the_producers_province(client, app):
    cao_bang = create_user("official", provinces=("Cao Bằng",))
    producer = create_producer("HTX Miến dong Nguyên Bình")
    response = file(client, f"/phan-anh/co-so/{producer.id}", kind="wrong_info")
    assert response.status_code == 200
    complaint = only_complaint()
    assert complaint.producer_id == producer.id and complaint.product_id is None
    assert complaint.subject == "HTX Miến dong Nguyên Bình" and complaint.kind == "wrong_info"
    assert len(mail_to(cao_bang.email)) == 1


def test_without_an_official_for_the_province_the_admins_are_told(client, app):
    admin = create_user("admin")
    producer = create_producer(province_name="Hà Nội")
    assert file(client, f"/phan-anh/co-so/{producer.id}").status_code == 200
    assert len(mail_to(admin.email)) == 1


def test_the_form_is_folded_into_product_and_producer_pages(client, product):
    item, _ = product
    page = client.get(f"/san-pham/{item.slug}").get_data(as_text=True)
    assert '<details class="complaint-box">' in page and "Phản ánh về sản phẩm này" in page
    assert f'action="/phan-anh/san-pham/{item.id}"' in page
    assert 'aria-hidden="true"' in page and 'tabindex="-1"' in page
    page = client.get(f"/co-so/{item.producer.slug}").get_data(as_text=True)
    assert "Phản ánh về cơ sở này" in page
    assert f'action="/phan-anh/co-so/{item.producer_id}"' in page


# -- spam ----------------------------------------------------------------------------------


def test_a_filled_honeypot_looks_thanked_but_stores_and_sends_nothing(client, product):
    item, _ = product
    mails = count(MailMessage)
    response = file(client, complaint_url(item), website="http://spam.example", email=REPORTER)
    assert response.status_code == 200
    assert "Cảm ơn bạn đã phản ánh" in response.get_data(as_text=True)
    assert count(Complaint) == 0 and count(MailMessage) == mails


def test_the_rate_limit_answers_429_in_vietnamese(app, client, product):
    item, _ = product
    assert app.config["COMPLAINT_RATE"] == "5 per hour; 20 per day"
    app.config["COMPLAINT_RATE"] = "2 per hour"
    assert file(client, complaint_url(item), message="ngắn").status_code == 422  # not counted
    assert file(client, complaint_url(item)).status_code == 200
    assert file(client, complaint_url(item)).status_code == 200
    blocked = file(client, complaint_url(item))
    assert blocked.status_code == 429
    html = blocked.get_data(as_text=True)
    assert "Bạn đã gửi nhiều phản ánh" in html and "1 giờ" in html and 'lang="vi"' in html
    assert blocked.headers.get("Retry-After")
    assert file(client, complaint_url(item), ip="198.51.100.7").status_code == 200
    assert count(Complaint) == 3


# -- hostile input ---------------------------------------------------------------------------


def test_script_tags_are_stored_as_text_and_shown_escaped(client, login_as, product):
    item, lang_son = product
    hostile = '<script>alert("x")</script> hàng giả <img src=x onerror=alert(1)>'
    response = file(client, complaint_url(item), message=hostile, name="<b>Kẻ xấu</b>")
    token = token_of(response)
    page = client.get(f"/phan-anh/theo-doi/{token}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    login_as(lang_son)
    complaint = only_complaint()
    page = client.get(f"/quan-ly/phan-anh/{complaint.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;b&gt;Kẻ xấu&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"message": "x" * 10_000}, "Cần từ 10 đến 3000 ký tự."),
        ({"message": "ngắn"}, "Cần từ 10 đến 3000 ký tự."),
        ({"email": "khong-phai-email"}, "Địa chỉ e-mail không hợp lệ."),
        ({"phone": "12345"}, "Số điện thoại không đúng"),
        ({"kind": "<script>"}, "Vui lòng chọn một mục trong danh sách."),
    ],
)
def test_bad_input_is_refused_with_422_and_values_kept(client, product, values, error):
    item, _ = product
    response = file(client, complaint_url(item), name="Chị Lan", **values)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error in page and 'value="Chị Lan"' in page
    assert response.headers["Cache-Control"] == "private, no-store"
    assert count(Complaint) == 0


def test_only_public_entries_take_complaints(client, product):
    form_url = complaint_url(product[0])
    seller = owner()
    unpublished = draft(seller, photos=0)
    suspended = create_producer(status="suspended")
    for url in (
        "/phan-anh/san-pham/999999",
        f"/phan-anh/san-pham/{unpublished.id}",
        "/phan-anh/co-so/999999",
        f"/phan-anh/co-so/{suspended.id}",
    ):
        assert client.get(url).status_code == 404
        data = {"kind": "other", "message": MESSAGE}
        assert post_form(client, url, data, form_url=form_url).status_code == 404
    assert count(Complaint) == 0


def test_missing_csrf_token_is_refused(client, product):
    item, _ = product
    response = client.post(complaint_url(item), data={"kind": "other", "message": MESSAGE})
    assert response.status_code == 400
    assert count(Complaint) == 0


def test_unknown_or_garbled_tokens_are_not_found(client, app):
    for token in ("khong-co", "x" * 500, "%3Cscript%3E"):
        response = client.get(f"/phan-anh/theo-doi/{token}")
        assert response.status_code == 404
        assert response.headers["Cache-Control"] == "private, no-store"


# -- officials' scope and rules ------------------------------------------------------------------


@pytest.fixture
def filed(client, product):  # type: ignore[no-untyped-def]
    item, lang_son = product
    file(client, complaint_url(item), email=REPORTER)
    return only_complaint(), item, lang_son


def test_another_provinces_official_cannot_see_or_act(client, login_as, filed):
    complaint, item, _ = filed
    login_as(create_user("official", provinces=("Cao Bằng",)))
    assert item.name not in client.get("/quan-ly/phan-anh").get_data(as_text=True)
    assert client.get(f"/quan-ly/phan-anh/{complaint.id}").status_code == 403
    token_page = "/quan-ly/phan-anh"
    data = {"status": "dismissed", "reply": "Không liên quan"}
    assert (
        post_form(
            client, f"/quan-ly/phan-anh/{complaint.id}", data, form_url=token_page
        ).status_code
        == 403
    )
    hide = post_form(
        client,
        f"/quan-ly/phan-anh/{complaint.id}/an-san-pham",
        {"reason": "x"},
        form_url=token_page,
    )
    assert hide.status_code == 403
    assert only_complaint().status == "new" and reload(item).status == "published"
    assert client.get("/quan-ly/phan-anh/999999").status_code == 404


def test_producers_and_visitors_are_kept_out(client, login_as, filed):
    complaint, _, _ = filed
    assert client.get("/quan-ly/phan-anh").status_code == 302  # to sign-in
    login_as("producer")
    assert client.get("/quan-ly/phan-anh").status_code == 403
    assert client.get(f"/quan-ly/phan-anh/{complaint.id}").status_code == 403


def test_admins_see_every_province_with_filters_and_counts(client, login_as, filed):
    complaint, item, _ = filed
    login_as(create_user("admin"))
    page = client.get("/quan-ly/phan-anh").get_data(as_text=True)
    assert item.name in page and 'Mới tiếp nhận <span class="count">(1)</span>' in page
    assert item.name not in client.get("/quan-ly/phan-anh?trang-thai=resolved").get_data(
        as_text=True
    )
    assert item.name not in client.get("/quan-ly/phan-anh?loai=other").get_data(as_text=True)
    assert item.name in client.get("/quan-ly/phan-anh?loai=counterfeit&sap-xep=cu-nhat").get_data(
        as_text=True
    )
    assert client.get("/quan-ly/phan-anh?trang=<x>&trang-thai=<x>").status_code == 200


def test_steps_follow_the_workflow(client, login_as, filed):
    complaint, _, lang_son = filed
    login_as(lang_son)
    assert triage(client, complaint.id, "investigating").status_code == 302
    backwards = triage(client, complaint.id, "new", "Thử quay lại")
    assert backwards.status_code == 422
    message = "Không thể chuyển phản ánh từ “Đang xác minh” sang “Mới tiếp nhận”."
    assert message in backwards.get_data(as_text=True)
    bogus = triage(client, complaint.id, "closed-forever", "x")
    assert bogus.status_code == 422 and "Trạng thái không hợp lệ." in bogus.get_data(as_text=True)
    silent = triage(client, complaint.id, "dismissed")
    assert silent.status_code == 422
    assert "Vui lòng ghi kết quả xử lý" in silent.get_data(as_text=True)
    assert triage(client, complaint.id, "dismissed", "Không đủ cơ sở.").status_code == 302
    back = triage(client, complaint.id, "new", "x")
    assert back.status_code == 422
    assert "Không thể chuyển phản ánh từ “Không có cơ sở” sang “Mới tiếp nhận”" in back.get_data(
        as_text=True
    )
    empty = triage(client, complaint.id)
    assert empty.status_code == 422 and "Vui lòng chọn trạng thái mới" in empty.get_data(
        as_text=True
    )
    assert (
        triage(client, complaint.id, "investigating", note="Có thêm bằng chứng").status_code == 302
    )
    assert triage(client, complaint.id, reply="Chúng tôi đang làm việc với HTX.").status_code == 302
    assert triage(client, complaint.id, reply="x" * 3001).status_code == 422
    complaint = only_complaint()
    assert complaint.status == "investigating" and complaint.closed_at is None
    events = db.session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
    ).all()
    assert [(e.status_from, e.status_to) for e in events] == [
        ("new", "investigating"),
        ("investigating", "dismissed"),
        ("dismissed", "investigating"),
        (None, None),
    ]
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "complaint")
    ).all()
    assert actions[-2:] == ["complaint.reopen", "complaint.reply"]


def test_hiding_the_listing_takes_it_off_the_site_and_search(client, login_as, filed):
    complaint, item, lang_son = filed
    assert found("hong vanh khuyen") == [item.id]
    login_as(lang_son)
    url = f"/quan-ly/phan-anh/{complaint.id}/an-san-pham"
    detail = client.get(f"/quan-ly/phan-anh/{complaint.id}").get_data(as_text=True)
    assert "Ẩn sản phẩm khỏi trang công khai" in detail
    empty = post_form(client, url, {"reason": ""}, form_url=f"/quan-ly/phan-anh/{complaint.id}")
    assert empty.status_code == 422 and reload(item).status == "published"
    hidden = post_form(
        client,
        url,
        {"reason": "Nghi hàng giả, chờ xác minh."},
        form_url=f"/quan-ly/phan-anh/{complaint.id}",
    )
    assert hidden.status_code == 302
    assert reload(item).status == "hidden"
    assert client.get(f"/san-pham/{item.slug}").status_code == 404
    assert found("hong vanh khuyen") == []
    event = only_complaint().events[-1]
    assert "Nghi hàng giả, chờ xác minh." in event.internal_note and event.status_to is None
    assert db.session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "complaint.hide_listing")
    )
    again = post_form(client, url, {"reason": "lần nữa"}, form_url="/quan-ly/phan-anh")
    assert again.status_code == 422
    assert "Chỉ ẩn được sản phẩm đang đăng." in again.get_data(as_text=True)
