"""Trusted addresses, suspension through the officials' pages, the producers' list, the
"tin cậy" search facet and an index built before that facet existed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.errors import Forbidden
from catalog.extensions import db
from catalog.listings import listings
from catalog.models import AuditEntry, Producer, User
from catalog.platform import search_sync
from catalog.review import moderation
from catalog.trust import trust
from catalog.trust.trust import ModerationError
from search_index import ProductDoc, SearchQuery
from tests.forms import csrf_token, post_form
from tests.listings.support import draft, found, reload
from tests.trust.support import live_product, official

EVIDENCE = "Kiểm tra thực tế cơ sở ngày 12/3/2026; giấy phép kinh doanh còn hiệu lực."


def trusted_ids(value: bool = True) -> list[int]:
    return search_sync.backend().search(SearchQuery(trusted=value)).ids


def test_marking_needs_evidence_and_reaches_search_and_pages(client, curator, product):
    producer_id = product.producer_id
    with pytest.raises(ModerationError, match="bằng chứng"):
        trust.mark_trusted(curator, producer_id, "   ")
    with pytest.raises(ModerationError, match="2000"):
        trust.mark_trusted(curator, producer_id, "x" * 2001)
    assert trusted_ids() == []
    producer = trust.mark_trusted(curator, producer_id, EVIDENCE)
    assert producer.trusted and producer.trusted_by_id == curator.id and producer.trusted_at
    assert trusted_ids() == [product.id]
    facets = search_sync.backend().search(SearchQuery()).facets["trusted"]
    assert {f.value: f.count for f in facets} == {"true": 1}
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "producer.trust")
    ).one()
    assert entry.before["trusted"] is False and entry.after["trusted_note"] == EVIDENCE
    page = client.get(f"/co-so/{producer.slug}").get_data(as_text=True)
    assert "Địa chỉ tin cậy" in page and "giấy phép kinh doanh còn hiệu lực" in page
    assert "Địa chỉ tin cậy" in client.get(f"/san-pham/{product.slug}").get_data(as_text=True)
    search = client.get("/tim-kiem?tin-cay=true").get_data(as_text=True)
    assert 'name="tin-cay"' in search and product.name in search
    api = client.get("/api/v1/products?trusted=true").get_json()
    assert [item["id"] for item in api["items"]] == [product.id]
    assert api["items"][0]["producer"]["trusted"] is True
    assert client.get("/api/v1/products?trusted=maybe").status_code == 400

    trust.unmark_trusted(curator, producer_id, "Cơ sở chuyển địa điểm, chưa kiểm tra lại.")
    assert trusted_ids() == [] and trusted_ids(False) == [product.id]
    assert "Địa chỉ tin cậy" not in client.get(f"/co-so/{producer.slug}").get_data(as_text=True)
    with pytest.raises(ModerationError, match="chưa được đánh dấu"):
        trust.unmark_trusted(curator, producer_id, "lần nữa")


def test_a_pending_producer_cannot_be_trusted(curator):
    from tests.factories import create_producer

    pending = create_producer(status="pending")
    with pytest.raises(ModerationError, match="đã được duyệt"):
        trust.mark_trusted(curator, pending.id, EVIDENCE)


def test_another_provinces_producer_is_out_of_scope(client, login_as, curator):
    other = official("Lạng Sơn")
    lang_son = live_product("Hồi Lạng Sơn", "Lạng Sơn", other)
    producer_id = lang_son.producer_id
    with pytest.raises(Forbidden):
        trust.mark_trusted(curator, producer_id, EVIDENCE)
    login_as(curator)
    assert client.get(f"/quan-ly/co-so-san-xuat/{producer_id}").status_code == 403
    page = client.get("/quan-ly/co-so-san-xuat").get_data(as_text=True)
    assert "Hồi Lạng Sơn" not in page
    own = live_product("Miến dong", curator=curator)
    token = csrf_token(client, f"/quan-ly/co-so-san-xuat/{own.producer_id}")
    for action, prefix in (
        ("danh-dau-tin-cay", "tin-cay"),
        ("tam-ngung", "tam-ngung"),
        ("hien-thi-lai", "hien-lai"),
        ("bo-danh-dau-tin-cay", "bo-tin-cay"),
    ):
        response = client.post(
            f"/quan-ly/co-so-san-xuat/{producer_id}/{action}",
            data={f"{prefix}-csrf_token": token, f"{prefix}-note": EVIDENCE},
        )
        assert response.status_code == 403, action
    producer = db.session.get(Producer, producer_id)
    assert not producer.trusted and producer.status == "active"
    assert client.get("/quan-ly/co-so-san-xuat/999999").status_code == 404


def test_suspension_takes_all_listings_off_the_site_and_search_at_once(
    client, login_as, curator, product
):
    second = live_product("Miến dong", curator=curator)  # another producer's listing
    owner_user = db.session.scalar(select(User).where(User.producer_id == product.producer_id))
    other = moderation.approve_product(
        listings.submit(owner_user, draft(owner_user, "Hạt dẻ rang")).id, official=curator
    )
    ids = {product.id, other.id}
    assert ids <= set(found("hạt dẻ"))
    login_as(curator)
    url = f"/quan-ly/co-so-san-xuat/{product.producer_id}"
    response = post_form(client, f"{url}/tam-ngung", {"tam-ngung-note": ""}, form_url=url)
    assert response.status_code == 422 and 'id="tam-ngung-note-loi"' in response.get_data(
        as_text=True
    )
    response = post_form(
        client, f"{url}/tam-ngung", {"tam-ngung-note": "Hàng giả theo phản ánh"}, form_url=url
    )
    assert response.status_code == 302
    assert not ids & set(found("hạt dẻ")) and second.id in found("miến")
    assert client.get(f"/san-pham/{product.slug}").status_code == 404
    assert client.get(f"/san-pham/{reload(other).slug}").status_code == 404
    response = post_form(client, f"{url}/hien-thi-lai", {"hien-lai-note": ""}, form_url=url)
    assert response.status_code == 302
    assert ids <= set(found("hạt dẻ"))
    assert client.get(f"/san-pham/{product.slug}").status_code == 200


def test_trust_pages_mark_unmark_and_refuse_bad_input(client, login_as, curator, product):
    login_as(curator)
    url = f"/quan-ly/co-so-san-xuat/{product.producer_id}"
    hostile = "<script>alert(1)</script>" + "x" * 2100
    response = post_form(client, f"{url}/danh-dau-tin-cay", {"tin-cay-note": hostile}, form_url=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="tin-cay-note-loi"' in page
    assert "<script>alert(1)" not in page
    response = client.post(f"{url}/danh-dau-tin-cay", data={"tin-cay-note": EVIDENCE})
    assert response.status_code in (400, 422)  # no CSRF token
    assert not db.session.get(Producer, product.producer_id).trusted
    note = "<b>Đã kiểm tra</b> tại chỗ"
    response = post_form(client, f"{url}/danh-dau-tin-cay", {"tin-cay-note": note}, form_url=url)
    assert response.status_code == 302
    public = client.get(f"/co-so/{product.producer.slug}").get_data(as_text=True)
    assert "&lt;b&gt;Đã kiểm tra&lt;/b&gt;" in public
    response = post_form(
        client, f"{url}/bo-danh-dau-tin-cay", {"bo-tin-cay-note": ""}, form_url=url
    )
    assert response.status_code == 422
    response = post_form(
        client, f"{url}/bo-danh-dau-tin-cay", {"bo-tin-cay-note": "Hết hạn kiểm tra"}, form_url=url
    )
    assert response.status_code == 302
    assert not db.session.get(Producer, product.producer_id).trusted


def test_producers_list_filters_and_paginates(client, login_as, curator, product):
    trust.mark_trusted(curator, product.producer_id, EVIDENCE)
    live_product("Miến dong", curator=curator)
    login_as(curator)
    page = client.get("/quan-ly/co-so-san-xuat?tin-cay=co").get_data(as_text=True)
    assert "HTX Hạt dẻ Trùng Khánh" in page and "HTX Miến dong" not in page
    page = client.get("/quan-ly/co-so-san-xuat?q=mien").get_data(as_text=True)
    assert "HTX Miến dong" in page and "HTX Hạt dẻ" not in page
    page = client.get("/quan-ly/co-so-san-xuat?trang-thai=suspended").get_data(as_text=True)
    assert "Không có cơ sở nào phù hợp" in page
    odd = "/quan-ly/co-so-san-xuat?trang-thai=<x>&tin-cay=1&q=%25_%5C&page=99999999"
    response = client.get(odd)
    assert response.status_code == 200 and "Không có cơ sở nào phù hợp" in response.get_data(
        as_text=True
    )
    listing = trust.list_producers(curator, trust.ProducerFilters(per_page=1, page=2))
    assert (listing.total, listing.pages, len(listing.items)) == (2, 2, 1)


def test_an_index_from_before_the_trusted_field_keeps_working_until_rebuilt(tmp_path):
    import search_index.whoosh_backend as whoosh_backend
    from search_index.whoosh_backend import WhooshBackend
    from search_index.whoosh_schema import make_schema

    old_schema = make_schema()
    old_schema.remove("trusted")
    current = whoosh_backend.make_schema
    whoosh_backend.make_schema = lambda: old_schema
    try:
        with WhooshBackend(tmp_path) as old:
            old.index([ProductDoc(id=1, slug="a", name="Vải thiều", producer_name="HTX")])
    finally:
        whoosh_backend.make_schema = current
    with WhooshBackend(tmp_path) as backend:
        drift = backend.check([1])
        assert drift.outdated and not drift.clean
        backend.index([ProductDoc(id=2, slug="b", name="Vải", producer_name="HTX", trusted=True)])
        assert set(backend.search(SearchQuery(text="vải")).ids) == {1, 2}
        assert backend.search(SearchQuery(trusted=True)).ids == []
        backend.rebuild([ProductDoc(id=2, slug="b", name="Vải", producer_name="X", trusted=True)])
        assert backend.check([2]).clean
        assert backend.search(SearchQuery(trusted=True)).ids == [2]
