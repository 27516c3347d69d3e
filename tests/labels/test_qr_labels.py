"""QR codes of public pages and the printable label sheets: every code decodes to exactly the
page's address with ?nguon=qr, unpublished pages have none, and a sheet holds the chosen
labels with stars only while the certificate is valid. Hostile form values get a 422."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.labels import qr_labels
from catalog.models import Producer, Product
from tests.factories import create_producer
from tests.labels.support import (
    SVG,
    assert_qr,
    certified,
    label_groups,
    label_texts,
    parse_svg,
    product,
    seller,
)

DOWNLOAD = "/co-so-cua-toi/tem-nhan/tai-ve"


def _qr_path(response) -> str:  # type: ignore[no-untyped-def]
    root = parse_svg(response.get_data())
    return root.find(f"{SVG}path").get("d")


def test_product_qr_leads_to_the_traceable_product_page(client):
    producer, _ = seller(trusted=True, verified=True)
    item = product(producer, "Hạt dẻ Trùng Khánh", **certified(2))
    response = client.get(f"/qr/san-pham/{item.slug}.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "max-age=2592000" in response.headers["Cache-Control"]
    url = f"http://localhost/san-pham/{item.slug}?nguon=qr"
    assert_qr(_qr_path(response), url)
    # The scanned address opens the page a buyer at the stall needs.
    page = client.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    for fact in ("Cao Bằng", "Xã Trùng Khánh", producer.name, "OCOP 4 sao", "123/QĐ-UBND"):
        assert fact in page
    assert "Địa chỉ tin cậy" in page and "Đã xác minh" in page
    assert f'src="/qr/san-pham/{item.slug}.svg"' in page
    assert "Quét để xem nguồn gốc" in page


def test_qr_answers_conditional_requests(client):
    item = product(seller()[0])
    first = client.get(f"/qr/san-pham/{item.slug}.svg")
    assert first.headers["ETag"]
    again = client.get(
        f"/qr/san-pham/{item.slug}.svg", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_qr_uses_the_configured_public_address(app, client):
    app.config["PUBLIC_BASE_URL"] = "https://choviet.vn"
    producer = seller()[0]
    response = client.get(f"/qr/co-so/{producer.slug}.svg")
    assert_qr(_qr_path(response), f"https://choviet.vn/co-so/{producer.slug}?nguon=qr")


def test_producer_qr_and_caption_on_the_producer_page(client):
    producer = seller()[0]
    response = client.get(f"/qr/co-so/{producer.slug}.svg")
    assert_qr(_qr_path(response), f"http://localhost/co-so/{producer.slug}?nguon=qr")
    page = client.get(f"/co-so/{producer.slug}").get_data(as_text=True)
    assert f'src="/qr/co-so/{producer.slug}.svg"' in page
    assert "Quét để xem nguồn gốc" in page


@pytest.mark.parametrize("status", ["draft", "submitted", "hidden", "rejected"])
def test_no_qr_for_an_unpublished_product(client, status):
    item = product(seller()[0], status=status)
    assert client.get(f"/qr/san-pham/{item.slug}.svg").status_code == 404


def test_no_qr_for_hidden_producers_or_unknown_slugs(client):
    producer = seller()[0]
    item = product(producer)
    with write_transaction():
        db.session.get(Producer, producer.id).status = "suspended"
    assert client.get(f"/qr/san-pham/{item.slug}.svg").status_code == 404
    assert client.get(f"/qr/co-so/{producer.slug}.svg").status_code == 404
    assert client.get(f"/qr/co-so/{create_producer(status='pending').slug}.svg").status_code == 404
    assert client.get("/qr/san-pham/khong-co.svg").status_code == 404


def _sheet(client, ids, **values):  # type: ignore[no-untyped-def]
    query = {"san_pham": [str(i) for i in ids], "co": "nho", "so_ban": "1", "dinh_dang": "svg"}
    return client.get(DOWNLOAD, query_string={**query, **values})


def test_svg_sheet_holds_each_label_with_its_code(client, login_as):
    producer, owner = seller()
    tricky = 'Mứt "gừng" <Huế> & quế'
    first = product(producer, tricky)
    second = product(producer, "Miến dong Nguyên Bình", **certified(1))
    login_as(owner)
    response = _sheet(client, [first.id, second.id], so_ban="3")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="tem-nhan-{producer.slug}-nho.svg"'
    root = parse_svg(response.get_data())
    assert root.get("viewBox") == "0 0 210 297"
    labels = label_groups(root)
    assert len(labels) == 6
    for group, item in zip(labels, [first] * 3 + [second] * 3, strict=True):
        url = f"http://localhost/san-pham/{item.slug}?nguon=qr"
        assert group.get("data-url") == url
        assert_qr(group.find(f"{SVG}path").get("d"), url)
        texts = label_texts(group)
        assert producer.name in texts and "Cao Bằng" in texts
        assert f"localhost/san-pham/{item.slug}" in texts
    assert " ".join(label_texts(labels[0])[:2]) == tricky  # escaped, wrapped on two lines
    assert "★★★★ OCOP 4 sao" in label_texts(labels[3])
    assert not any("OCOP" in t for t in label_texts(labels[0]))


def test_stars_left_off_once_the_certificate_expired(client, login_as):
    producer, owner = seller()
    item = product(producer, **certified(-1))
    assert item.ocop_stars == 4 and item.public_stars is None
    login_as(owner)
    root = parse_svg(_sheet(client, [item.id]).get_data())
    assert not any("OCOP" in t or "★" in t for t in label_texts(label_groups(root)[0]))


def test_labels_fit_the_page_for_every_size():
    for size in qr_labels.SIZES.values():
        slots = list(qr_labels.positions(size, size.per_page))
        assert all(page == 0 for page, _, _ in slots)
        assert min(x for _, x, _ in slots) >= qr_labels.PAGE_MARGIN - 0.01
        assert max(x for _, x, _ in slots) + size.width_mm <= 210 - qr_labels.PAGE_MARGIN + 0.01
        assert max(y for _, _, y in slots) + size.height_mm <= 297 - qr_labels.PAGE_MARGIN + 0.01
    assert [s.per_page for s in qr_labels.SIZES.values()] == [25, 9, 4]


def test_pdf_sheet_runs_over_several_pages(client, login_as):
    producer, owner = seller()
    item = product(producer, "Trà shan tuyết Phìa Đén", **certified(2))
    login_as(owner)
    response = _sheet(client, [item.id], so_ban="30", dinh_dang="pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith('-nho.pdf"')
    data = response.get_data()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") == 2
    # The Vietnamese font travels inside the file.
    assert b"+BeVietnamPro-SemiBold" in data and b"/FontFile2" in data
    # The code is drawn once and placed on all 30 labels.
    assert data.count(b"/Subtype /Form") == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"co": "xxl"}, "Vui lòng chọn một mục trong danh sách."),
        ({"co": ""}, "Vui lòng chọn cỡ tem."),
        ({"so_ban": "0"}, "Số tem cần từ 1 đến 200."),
        ({"so_ban": "1000"}, "Số tem cần từ 1 đến 200."),
        ({"so_ban": "abc"}, "Vui lòng nhập một số nguyên."),
        ({"dinh_dang": "exe"}, "Vui lòng chọn một mục trong danh sách."),
        ({"so_ban": "26"}, "Hãy giảm số tem hoặc chọn PDF để in nhiều trang."),
        ({"so_ban": "200", "dinh_dang": "pdf", "extra": "x"}, None),
    ],
)
def test_hostile_sheet_values_get_a_vietnamese_error(client, login_as, values, message):
    producer, owner = seller()
    item = product(producer)
    login_as(owner)
    response = _sheet(client, [item.id], **values)
    if message is None:
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_only_own_published_products_get_labels(client, login_as):
    producer, owner = seller()
    mine = product(producer)
    draft = product(producer, status="draft")
    theirs = product(seller()[0])
    login_as(owner)
    refusal = "Chỉ in được tem cho sản phẩm đang hiển thị của cơ sở."
    for ids in ([theirs.id], [mine.id, theirs.id], [draft.id], [999999]):
        response = _sheet(client, ids)
        assert response.status_code == 422
        assert refusal in response.get_data(as_text=True)
    assert _sheet(client, []).status_code == 422
    response = _sheet(client, ["abc"])
    assert response.status_code == 422
    assert "Vui lòng chọn các mục trong danh sách." in response.get_data(as_text=True)
    page = client.get("/co-so-cua-toi/tem-nhan").get_data(as_text=True)
    assert mine.name in page and theirs.name not in page and draft.name not in page


def test_label_pages_need_a_producer_account(app, client, login_as):
    assert client.get("/co-so-cua-toi/tem-nhan").status_code == 302
    assert client.get(DOWNLOAD).status_code == 302
    login_as("official")
    assert client.get("/co-so-cua-toi/tem-nhan").status_code == 403
    assert client.get(DOWNLOAD).status_code == 403


def test_pending_producer_is_told_to_wait(client, login_as):
    producer, owner = seller(status="pending")
    item = product(producer)
    login_as(owner)
    page = client.get("/co-so-cua-toi/tem-nhan").get_data(as_text=True)
    assert "Hồ sơ cơ sở chưa được duyệt." in page
    response = _sheet(client, [item.id])
    assert response.status_code == 422
    assert "Hồ sơ cơ sở cần được duyệt trước khi in tem có mã QR." in response.get_data(
        as_text=True
    )


def test_qr_paths_match_the_public_routes(app):
    with app.test_request_context():
        from flask import url_for

        assert url_for("public.product", slug="x") == qr_labels.PRODUCT_PATH.format(slug="x")
        assert url_for("public.producer", slug="x") == qr_labels.PRODUCER_PATH.format(slug="x")
    assert urlsplit(qr_labels.qr_url("https://a.vn/", "/san-pham/x")).query == "nguon=qr"
    assert not Product.__table__.c.slug.nullable
