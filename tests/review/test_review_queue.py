"""The review queue: the "incomplete" kind (imported entries lacking details) and its
completion forms, the filters (kind, province, text, paging) and bulk approval, through the
real services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.extensions import db
from catalog.listings import listings
from catalog.models import AuditEntry, Producer, Product
from catalog.review import review_queue
from tests.factories import create_user
from tests.forms import csrf_token, post_form
from tests.listings.support import category_id, draft, owner, published
from tests.review.support import imported_producer, imported_product, official

QUEUE = "/quan-ly/"
BULK = "/quan-ly/duyet-hang-loat"


def submitted(user, name: str = "Hạt dẻ Trùng Khánh"):  # type: ignore[no-untyped-def]
    return listings.submit(user, draft(user, name))


@pytest.fixture
def queue(app):  # type: ignore[no-untyped-def]
    """Cao Bằng: a pending producer with a listing, an imported producer without type or
    contact, an imported product without group. Hà Nội: a pending producer and listing."""
    here = owner(status="pending", name="HTX Hạt dẻ Trùng Khánh")
    there = owner(status="pending", name="HTX Cốm Làng Vòng", province_name="Hà Nội")
    bare = imported_producer()
    typed = imported_producer("HTX Đủ Thông Tin", type="hop_tac_xa", phone="0912345678")
    return {
        "here": here,
        "listing": submitted(here),
        "there": there,
        "elsewhere": submitted(there, "Cốm làng Vòng"),
        "bare": bare,
        "bare_product": imported_product(typed, "Miến dong Nguyên Bình"),
        "typed": typed,
    }


# -- the incomplete kind -----------------------------------------------------------------


def test_incomplete_entries_are_listed_with_what_they_lack(queue):
    items = review_queue.review_queue(official())
    incomplete = {(i.entity, i.id): i.missing for i in items if i.kind == "incomplete"}
    assert incomplete == {
        ("producer", queue["bare"].id): ("type", "contact"),
        ("product", queue["bare_product"].id): ("category_id",),
    }
    # Self-registered entries are the producer's business, not "incomplete".
    assert ("producer", queue["here"].producer_id) not in incomplete
    # Another province's official does not see them.
    assert not [i for i in review_queue.review_queue(official("Hà Nội")) if i.kind == "incomplete"]


def test_queue_page_links_incomplete_entries_to_their_completion_form(client, login_as, queue):
    login_as(official())
    page = client.get(QUEUE + "?loai=incomplete").get_data(as_text=True)
    assert f"/quan-ly/bo-sung/co-so/{queue['bare'].id}" in page
    assert f"/quan-ly/bo-sung/san-pham/{queue['bare_product'].id}" in page
    assert "Thiếu: loại hình, thông tin liên lạc" in page
    assert queue["listing"].name not in page


def test_completing_a_producer_fills_only_what_was_missing(client, login_as, queue):
    login_as(official())
    url = f"/quan-ly/bo-sung/co-so/{queue['bare'].id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="type"' in page and 'name="phone"' in page and 'name="name"' not in page
    response = post_form(
        client, url, {"type": "hop_tac_xa", "phone": "0912 345 678", "name": "Đổi tên"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    producer = db.session.get(Producer, queue["bare"].id)
    assert (producer.type, producer.phone, producer.name) == (
        "hop_tac_xa",
        "0912345678",
        "HTX Miến dong Nhập",
    )
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "producer.complete")
    ).one()
    assert entry.after == {"type": "hop_tac_xa", "phone": "0912345678"}
    assert entry.province_id == producer.province_id
    waiting = {(i.entity, i.id) for i in review_queue.review_queue(official())}
    assert ("producer", producer.id) not in waiting


def test_completion_refuses_bad_values_next_to_the_field(client, login_as, queue):
    login_as(official())
    url = f"/quan-ly/bo-sung/co-so/{queue['bare'].id}"
    for data, message in (
        ({"type": "", "phone": "0912345678"}, "Vui lòng chọn một mục trong danh sách."),
        ({"type": "<script>x</script>", "phone": "0912345678"}, "Vui lòng chọn"),
        ({"type": "hop_tac_xa", "phone": "12"}, "Số điện thoại không đúng"),
        ({"type": "hop_tac_xa", "email": "khong-phai-email"}, "e-mail không hợp lệ"),
        ({"type": "hop_tac_xa", "address": "x" * 301}, "Tối đa 300 ký tự"),
        ({"type": "hop_tac_xa"}, "ít nhất một cách liên lạc"),
    ):
        response = post_form(client, url, data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, data
        assert message in page, data
        assert "<script>x" not in page
    db.session.expire_all()
    assert db.session.get(Producer, queue["bare"].id).type is None
    assert client.post(url, data={"type": "hop_tac_xa", "phone": "0912345678"}).status_code == 400


def test_completing_a_product_sets_its_group_and_queues_reindexing(client, login_as, queue):
    login_as(official())
    product = queue["bare_product"]
    url = f"/quan-ly/bo-sung/san-pham/{product.id}"
    assert post_form(client, url, {"category_id": "999"}).status_code == 422
    assert post_form(client, url, {"category_id": "abc"}).status_code == 422
    response = post_form(client, url, {"category_id": str(category_id())})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).category_id == category_id()
    assert (
        db.session.scalars(select(AuditEntry).where(AuditEntry.action == "product.complete"))
        .one()
        .entity_id
        == product.id
    )
    # Complete now: the form says so and a second POST is refused politely.
    assert (
        post_form(client, url, {"category_id": str(category_id())}, form_url=QUEUE).status_code
        == 422
    )


def test_completion_pages_are_scoped(client, login_as, queue):
    login_as(official("Hà Nội"))
    assert client.get(f"/quan-ly/bo-sung/co-so/{queue['bare'].id}").status_code == 403
    assert client.get(f"/quan-ly/bo-sung/san-pham/{queue['bare_product'].id}").status_code == 403
    token = csrf_token(client, QUEUE)
    response = client.post(
        f"/quan-ly/bo-sung/co-so/{queue['bare'].id}",
        data={"csrf_token": token, "type": "hop_tac_xa", "phone": "0912345678"},
    )
    assert response.status_code == 403
    assert client.get("/quan-ly/bo-sung/co-so/999999").status_code == 404
    db.session.expire_all()
    assert db.session.get(Producer, queue["bare"].id).type is None


# -- filters -----------------------------------------------------------------------------


def test_filters_by_text_kind_and_province_without_javascript(client, login_as, queue):
    login_as(create_user("admin"))
    page = client.get(QUEUE + "?q=coм").get_data(as_text=True)  # mixed script: nothing
    assert "Không có hồ sơ nào khớp bộ lọc" in page
    page = client.get(QUEUE + "?q=com lang").get_data(as_text=True)  # no accents
    assert "HTX Cốm Làng Vòng" in page and "HTX Hạt dẻ Trùng Khánh" not in page
    hanoi = queue["there"].producer.province_id
    page = client.get(QUEUE + f"?tinh={hanoi}&loai=listing").get_data(as_text=True)
    assert "Cốm làng Vòng" in page and queue["listing"].name not in page
    for junk in ("?tinh=abc", "?tinh=99999999999", "?page=-3", "?q=" + "x" * 5000, "?loai=%00"):
        assert client.get(QUEUE + junk).status_code == 200, junk


def test_an_official_cannot_filter_into_another_province(client, login_as, queue):
    login_as(official("Cao Bằng", "Lạng Sơn"))
    hanoi = queue["there"].producer.province_id
    page = client.get(QUEUE + f"?tinh={hanoi}").get_data(as_text=True)
    assert "HTX Cốm Làng Vòng" not in page and "HTX Hạt dẻ Trùng Khánh" in page
    assert 'name="tinh"' in page  # several provinces: the filter is offered


def test_queue_is_paged_oldest_first(app, queue):
    curator = create_user("admin")
    first = review_queue.filtered_queue(curator, page_size=2)
    second = review_queue.filtered_queue(curator, page=2, page_size=2)
    everything = review_queue.review_queue(curator)
    assert first.pages == second.pages == -(-len(everything) // 2)
    assert [i.key for i in first.items + second.items] == [i.key for i in everything[:4]]
    times = [i.waiting_since for i in everything]
    assert times == sorted(times)


# -- bulk approval -----------------------------------------------------------------------


def test_bulk_approve_reports_each_item(client, login_as, queue):
    login_as(official())
    page = client.get(QUEUE).get_data(as_text=True)
    assert f'value="producer:{queue["here"].producer_id}"' in page
    assert "Chọn HTX Hạt dẻ Trùng Khánh" in page  # each checkbox labelled with the name
    assert 'value="claim:' not in page and 'value="incomplete:' not in page
    keys = [
        f"producer:{queue['here'].producer_id}",
        f"listing:{queue['listing'].id}",
        f"listing:{queue['elsewhere'].id}",  # Hà Nội: out of scope
        "listing:999999",
        "claim:1",
        "<script>alert(1)</script>",
    ]
    response = post_form(client, BULK, {"muc": keys}, form_url=QUEUE, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Đã duyệt 2 mục" in page and "Không duyệt được 4 mục" in page
    assert "Bạn không phụ trách tỉnh, thành phố của mục này." in page
    assert "<script>alert(1)</script>" not in page
    db.session.expire_all()
    assert db.session.get(Producer, queue["here"].producer_id).status == "active"
    assert db.session.get(Product, queue["listing"].id).status == "published"
    assert db.session.get(Product, queue["elsewhere"].id).status == "submitted"


def test_bulk_approve_of_a_change_and_a_decided_entry(client, login_as, app):
    curator = official()
    active = owner(name="HTX Miến dong")
    live = published(active, "Miến dong Nguyên Bình", curator)
    listings.update(active, live, {"price_vnd": 65000, "unit": "gói 500 g"})
    login_as(curator)
    post_form(client, BULK, {"muc": [f"change:{live.id}"]}, form_url=QUEUE)
    db.session.expire_all()
    assert db.session.get(Product, live.id).price_vnd == 65000
    result = review_queue.bulk_approve(curator, [f"change:{live.id}"])
    assert result.approved == [] and "không chờ duyệt" in result.refused[0][1]


def test_bulk_approve_needs_csrf_and_a_selection(client, login_as, queue):
    login_as(official())
    assert client.post(BULK, data={"muc": f"listing:{queue['listing'].id}"}).status_code == 400
    response = post_form(client, BULK, {}, form_url=QUEUE, follow_redirects=True)
    assert "Bạn chưa chọn mục nào" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, queue["listing"].id).status == "submitted"


def test_producers_cannot_bulk_approve(client, login_as, queue):
    login_as(owner())
    token = csrf_token(client, "/")
    response = client.post(
        BULK, data={"csrf_token": token, "muc": f"listing:{queue['listing'].id}"}
    )
    assert response.status_code == 403
