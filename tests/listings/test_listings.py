"""Product listings from the producer's side: create and edit with all fields, photos (real
JPEG and PNG made by Pillow), reordering and alt text, the private certificate scan, hostile
input, and the review workflow as the producer sees it, with search following every step."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from catalog.certificates.certificate_scans import scans_dir
from catalog.extensions import db
from catalog.listings import listings
from catalog.models import AuditEntry, IndexOutbox, Product
from catalog.review import moderation
from tests.forms import post_form
from tests.listings.support import (
    DESCRIPTION,
    PRODUCERS,
    category_id,
    colours,
    draft,
    file,
    found,
    jpeg,
    official,
    owner,
    pdf,
    png,
    published,
    reload,
)

NEW = f"{PRODUCERS}/san-pham/moi"
MULTIPART = {"content_type": "multipart/form-data"}


def edit_url(product: Product) -> str:
    return f"{PRODUCERS}/san-pham/{product.id}"


def listing_data(**overrides: Any) -> dict[str, Any]:
    from tests.factories import province

    data = {
        "name": "Miến dong Nguyên Bình",
        "category_id": str(category_id()),
        "description": DESCRIPTION,
        "province_id": str(province("Cao Bằng").id),
        "price_vnd": "150.000",
        "unit": "kg",
        "ocop_stars": "4",
        "certificate_no": "GCN 12/2024",
        "certificate_decision": "Quyết định số 1234/QĐ-UBND ngày 12/10/2024",
        "certificate_year": "2024",
        "certificate_expires_on": "2027-10-12",
    }
    data.update(overrides)
    return data


@pytest.fixture
def user(login_as):  # type: ignore[no-untyped-def]
    return login_as(owner())


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def only_product() -> Product:
    db.session.expire_all()
    return db.session.scalars(select(Product)).unique().one()


def create(client, photos=(), scan=None, **overrides):  # type: ignore[no-untyped-def]
    data = listing_data(**overrides)
    data["photos"] = [file(content, f"anh-{i}.jpg") for i, content in enumerate(photos)]
    if scan is not None:
        data["certificate_scan"] = scan
    return post_form(client, NEW, data, **MULTIPART)


def actions(product: Product) -> list[str]:
    stmt = (
        select(AuditEntry.action)
        .where(AuditEntry.entity_type == "product", AuditEntry.entity_id == product.id)
        .order_by(AuditEntry.id)
    )
    return list(db.session.scalars(stmt))


# -- creating and editing ------------------------------------------------------------------


def test_create_a_draft_with_every_field_photos_and_a_scan(client, user):
    response = create(client, photos=[jpeg(), png()], scan=file(pdf(), "giay-chung-nhan.pdf"))
    product = only_product()
    assert response.status_code == 302 and response.location.endswith(edit_url(product))
    assert product.status == "draft" and product.producer_id == user.producer_id
    assert (product.price_vnd, product.unit, product.ocop_stars) == (150000, "kg", 4)
    assert (product.certificate_no, product.certificate_year) == ("GCN 12/2024", 2024)
    assert product.certificate_expires_on.isoformat() == "2027-10-12"
    assert product.certificate_decision.startswith("Quyết định số 1234")
    assert [i.alt for i in product.images] == ["Miến dong Nguyên Bình"] * 2  # default alt
    assert product.certificate_scan.endswith(".pdf")
    assert (scans_dir() / product.certificate_scan).read_bytes() == pdf()
    assert actions(product) == ["listing.create"]
    assert found("mien dong") == []  # drafts are never indexed
    page = text(client.get(edit_url(product)))
    assert "Đã lưu bản nháp" in page and "Đã tải lên" in page and 'value="150.000"' in page


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("150.000", 150000),
        ("150000", 150000),
        ("1.500.000 đ", 1500000),
        ("150 000", 150000),
        ("0", 0),
        ("", None),
    ],
)
def test_prices_typed_the_vietnamese_way(client, user, typed, stored):
    assert create(client, price_vnd=typed).status_code == 302
    assert only_product().price_vnd == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "chỉ gồm chữ số"),
        ("-5000", "không được âm"),
        ("99999999999", "quá lớn"),
        ("1.50", "chỉ gồm chữ số"),
        ("15,5", "chỉ gồm chữ số"),
    ],
)
def test_bad_prices_are_refused_keeping_the_other_values(client, user, typed, message):
    response = create(client, price_vnd=typed)
    assert response.status_code == 422
    page = text(response)
    assert message in page and 'value="Miến dong Nguyên Bình"' in page
    assert db.session.scalars(select(Product)).all() == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Vui lòng điền mục này"),
        ({"category_id": "999"}, "chọn một mục trong danh sách"),
        ({"ocop_stars": "7"}, "chọn một mục trong danh sách"),
        ({"province_id": "abc"}, "Vui lòng điền mục này"),
        ({"certificate_year": "", "certificate_expires_on": ""}, "năm công nhận"),
        ({"certificate_year": "1999"}, "Năm công nhận từ 2018"),
        ({"certificate_expires_on": "31/02/2027"}, "Ngày không hợp lệ"),
        ({"certificate_expires_on": "2020-01-01"}, "phải sau năm công nhận"),
        ({"description": "x" * 6000}, "Tối đa 5000 ký tự"),
        ({"name": "Tên" * 1000}, "Tối đa 200 ký tự"),
    ],
)
def test_invalid_listing_fields_are_refused_in_vietnamese(client, user, overrides, message):
    response = create(client, **overrides)
    assert response.status_code == 422 and message in text(response)
    assert db.session.scalars(select(Product)).all() == []


def test_dates_may_be_typed_day_first(client, user):
    assert create(client, certificate_expires_on="12/10/2027").status_code == 302
    assert only_product().certificate_expires_on.isoformat() == "2027-10-12"


def test_without_stars_certificate_details_are_dropped(client, user):
    assert create(client, ocop_stars="").status_code == 302
    product = only_product()
    assert product.ocop_stars is None and product.certificate_no is None


def test_a_draft_is_edited_in_place_and_its_address_follows_the_name(client, user):
    create(client, photos=[jpeg()])
    product = only_product()
    response = post_form(client, edit_url(product), listing_data(name="Miến dong đặc biệt"))
    assert response.status_code == 302
    product = only_product()
    assert product.name == "Miến dong đặc biệt" and product.slug.startswith("mien-dong-dac-biet")
    assert product.pending_changes is None and len(product.images) == 1  # photos untouched
    assert actions(product) == ["listing.create", "listing.edit"]


def test_two_listings_of_one_producer_cannot_share_a_name(client, user):
    create(client)
    response = create(client)
    assert response.status_code == 422 and "đã có một sản phẩm cùng tên" in text(response)


def test_delete_a_draft_after_confirming(client, user):
    product = draft(user)
    delete_url = f"{edit_url(product)}/xoa"
    assert "Không thể hoàn tác" in text(client.get(delete_url))
    assert post_form(client, delete_url, {}).status_code == 302
    assert db.session.scalars(select(Product)).all() == []
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "listing.delete")).one()


def test_a_published_listing_cannot_be_deleted(client, user):
    product = published(user)
    response = post_form(client, f"{edit_url(product)}/xoa", {}, follow_redirects=True)
    assert "Chỉ xoá được sản phẩm chưa từng được đăng" in text(response)
    assert reload(product).status == "published"


# -- photos --------------------------------------------------------------------------------


def test_jpeg_and_png_photos_are_stored_as_webp_variants(client, user):
    create(client, photos=[jpeg(), png()])
    for image in only_product().images:
        for size in ("thumb", "medium", "large"):
            with client.get(f"/anh/{image.digest}-{size}.webp") as response:
                assert response.status_code == 200 and response.mimetype == "image/webp"


def test_the_ninth_photo_is_refused(client, user):
    create(client, photos=[jpeg(c) for c in colours(8)])
    product = only_product()
    assert len(product.images) == 8
    response = post_form(
        client,
        edit_url(product),
        {**listing_data(), "photos": [file(png((1, 2, 3)), "chin.png")]},
        **MULTIPART,
    )
    assert response.status_code == 422 and "tối đa 8 ảnh" in text(response)
    assert len(only_product().images) == 8


def test_nine_photos_at_once_are_refused_and_nothing_is_created(client, user):
    response = create(client, photos=[jpeg(c) for c in colours(9)])
    assert response.status_code == 422 and "tối đa 8 ảnh" in text(response)
    assert db.session.scalars(select(Product)).all() == []


def test_a_file_that_is_not_an_image_is_refused_next_to_the_field(client, user):
    data = {**listing_data(), "photos": [file(b"<?php echo 1; ?>", "anh.jpg")]}
    response = post_form(client, NEW, data, **MULTIPART)
    assert response.status_code == 422
    page = text(response)
    assert "Ảnh “anh.jpg”: Không đọc được ảnh" in page
    assert 'value="Miến dong Nguyên Bình"' in page and 'value="150.000"' in page
    assert db.session.scalars(select(Product)).all() == []


def photo_action(client, product: Product, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return post_form(client, f"{edit_url(product)}/anh", data, form_url=edit_url(product))


def test_photos_move_up_and_down_and_are_removed_without_javascript(client, user):
    product = draft(user, photos=3)
    d0, d1, d2 = [i.digest for i in product.images]

    assert photo_action(client, product, {"action": f"xuong:{d0}"}).status_code == 302
    assert [i.digest for i in only_product().images] == [d1, d0, d2]
    photo_action(client, product, {"action": f"len:{d2}"})
    assert [i.digest for i in only_product().images] == [d1, d2, d0]
    photo_action(client, product, {"action": f"len:{d1}"})  # already first: nothing moves
    assert [i.digest for i in only_product().images] == [d1, d2, d0]
    photo_action(client, product, {"action": f"xoa:{d2}"})
    assert [i.digest for i in only_product().images] == [d1, d0]
    assert "listing.photos" in actions(product)


def test_alt_text_is_saved_and_required(client, user):
    product = draft(user, photos=2)
    d0, d1 = [i.digest for i in product.images]
    data = {"action": "luu", f"alt-{d0}": "Gói miến 500 g", f"alt-{d1}": "Sợi miến phơi nắng"}
    assert photo_action(client, product, data).status_code == 302
    assert [i.alt for i in only_product().images] == ["Gói miến 500 g", "Sợi miến phơi nắng"]

    response = photo_action(client, product, {**data, f"alt-{d1}": "  \x00 "})
    assert response.status_code == 422
    page = text(response)
    assert "Vui lòng mô tả ngắn nội dung ảnh" in page and 'aria-invalid="true"' in page
    assert only_product().images[1].alt == "Sợi miến phơi nắng"


# -- the certificate scan: private ---------------------------------------------------------


def test_a_pdf_scan_is_stored_privately_and_no_public_url_serves_it(app, client, user):
    create(client, photos=[jpeg()], scan=file(pdf(), "gcn.pdf"))
    product = only_product()
    stored = scans_dir() / product.certificate_scan
    assert stored.is_file()
    uploads, static = app.config["UPLOADS_DIR"].resolve(), app.static_folder
    assert not stored.resolve().is_relative_to(uploads)
    assert not stored.resolve().is_relative_to(static)
    name, digest = product.certificate_scan, product.certificate_scan.split(".")[0]
    for url in (
        f"/anh/{digest}-large.webp",
        f"/static/{name}",
        f"/static/../instance/private/certificates/{name}",
        f"/private/certificates/{name}",
        f"/instance/private/certificates/{name}",
    ):
        with client.get(url) as response:
            assert response.status_code == 404, url
    # Once published, the public page and the API say nothing of the scan.
    product = moderation.approve_product(listings.submit(user, product).id, official=official())
    for url in (f"/san-pham/{product.slug}", f"/api/v1/products/{product.id}"):
        assert name not in text(client.get(url)) and digest not in text(client.get(url))


def test_a_photo_of_the_certificate_is_accepted_too(client, user):
    assert create(client, scan=file(jpeg(), "gcn.jpg")).status_code == 302
    assert only_product().certificate_scan.endswith(".jpg")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "Chỉ nhận bản chụp dạng PDF"),
        (b"MZ\x90\x00 not a pdf at all", "Chỉ nhận bản chụp dạng PDF"),
        (b"%PDF-", "Tệp PDF bị hỏng"),
        (jpeg()[:300], "hỏng"),
    ],
)
def test_a_fake_pdf_is_refused(client, user, content, message):
    response = create(client, scan=file(content, "gcn.pdf"))
    assert response.status_code == 422 and message in text(response)
    assert db.session.scalars(select(Product)).all() == []


def test_a_scan_over_the_size_limit_is_refused(app, client, user):
    app.config["MAX_UPLOAD_BYTES"] = 2000
    big = pdf() + b"%" + b"0" * 3000 + b"\n%%EOF\n"
    response = create(client, scan=file(big, "gcn.pdf"))
    assert response.status_code == 422 and "Tệp quá lớn" in text(response)


# -- hostile input on the public page ------------------------------------------------------


def test_markup_in_a_listing_is_escaped_on_the_public_page(client, user):
    product = listings.create_draft(
        user,
        {
            "name": "Mật ong <script>alert(1)</script>",
            "description": DESCRIPTION + ' <img src=x onerror="alert(2)"> <b>đậm</b>',
            "category_id": category_id(),
        },
    )
    listings.add_photo(user, product, jpeg(), '"><script>alert(3)</script>')
    listings.submit(user, product)
    product = moderation.approve_product(product.id, official=official())
    page = text(client.get(f"/san-pham/{product.slug}"))
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>đậm" not in page
    assert "Mật ong &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x" in page
    dashboard = text(client.get(f"{PRODUCERS}/"))
    assert "<script>alert" not in dashboard


# -- the review workflow from the producer's side ------------------------------------------


def submit(client, product: Product):  # type: ignore[no-untyped-def]
    return post_form(
        client,
        f"{edit_url(product)}/gui-duyet",
        {},
        form_url=edit_url(product),
        follow_redirects=True,
    )


def test_submit_a_complete_draft(client, user):
    product = draft(user, "Miến dong Nguyên Bình")
    page = text(submit(client, product))
    assert "Đã gửi duyệt" in page and "Chờ duyệt" in page
    product = reload(product)
    assert product.status == "submitted" and product.submitted_at is not None
    assert actions(product)[-1] == "listing.submit"
    assert found("mien dong") == []  # not public before an official approves
    assert db.session.scalars(select(IndexOutbox)).all() == []  # outbox applied


def test_an_incomplete_draft_cannot_be_submitted(client, user):
    product = listings.create_draft(user, {"name": "Miến dong"})
    page = text(submit(client, product))
    assert "Chưa thể gửi duyệt" in page and "ít nhất một ảnh" in page
    assert reload(product).status == "draft"


def test_an_unverified_email_cannot_submit(client, login_as):
    from tests.factories import create_user

    producer = owner().producer
    user = login_as(create_user("producer", producer=producer, verified=False))
    product = draft(user)
    assert "xác nhận địa chỉ e-mail" in text(submit(client, product))
    assert reload(product).status == "draft"


def test_changes_requested_are_shown_then_fixed_and_resubmitted(client, user):
    product = listings.submit(user, draft(user, "Miến dong Nguyên Bình"))
    moderation.request_product_changes(product.id, official=official(), note="Thêm giá bán.")
    page = text(client.get(f"{PRODUCERS}/"))
    assert "Cần chỉnh sửa" in page and "Thêm giá bán." in page
    assert "Thêm giá bán." in text(client.get(edit_url(product)))
    post_form(client, edit_url(product), listing_data(price_vnd="90.000"))
    assert reload(product).status == "changes_requested"
    submit(client, product)
    assert reload(product).status == "submitted"


def test_editing_a_published_listing_keeps_it_live_until_the_change_is_approved(client, user):
    curator = official()
    product = published(user, "Miến dong Nguyên Bình", curator)
    assert found("mien dong") == [product.id]

    response = post_form(
        client, edit_url(product), listing_data(name="Bánh cuốn Cao Bằng", price_vnd="45.000")
    )
    assert response.status_code == 302

    product = reload(product)
    assert product.name == "Miến dong Nguyên Bình" and product.price_vnd is None  # live
    assert product.pending_changes["name"] == "Bánh cuốn Cao Bằng"
    assert product.review_state == "submitted" and product.is_public
    public = text(client.get(f"/san-pham/{product.slug}"))
    assert "Miến dong Nguyên Bình" in public and "Bánh cuốn" not in public
    assert found("mien dong") == [product.id] and found("banh cuon") == []
    edit_page = text(client.get(edit_url(product)))
    assert 'value="Bánh cuốn Cao Bằng"' in edit_page and "Thay đổi đang chờ duyệt" in edit_page
    assert "listing.change_edit" in actions(product)

    moderation.approve_product(product.id, official=curator)

    product = reload(product)
    assert (product.name, product.price_vnd) == ("Bánh cuốn Cao Bằng", 45000)
    assert found("banh cuon") == [product.id] and found("mien dong") == []


def test_photos_of_a_published_listing_change_only_after_approval(client, user):
    product = published(user)
    (live,) = [i.digest for i in product.images]
    post_form(
        client,
        edit_url(product),
        {**listing_data(), "photos": [file(png(), "moi.png")]},
        **MULTIPART,
    )
    product = reload(product)
    assert [i.digest for i in product.images] == [live]
    assert len(product.pending_changes["images"]) == 2


def test_a_pending_change_can_be_discarded(client, user):
    product = published(user)
    post_form(client, edit_url(product), listing_data(name="Tên mới"))
    url = f"{edit_url(product)}/huy-thay-doi"
    assert post_form(client, url, {}, form_url=edit_url(product)).status_code == 302
    product = reload(product)
    assert product.pending_changes is None and product.name == "Hạt dẻ Trùng Khánh"


def test_a_published_listing_must_keep_a_photo(client, user):
    product = published(user)
    (digest,) = [i.digest for i in product.images]
    response = photo_action(client, product, {"action": f"xoa:{digest}"})
    assert response.status_code == 422 and "ít nhất một ảnh" in text(response)
    assert reload(product).pending_changes is None


def test_the_first_listing_waits_for_the_producer_to_be_approved(client, login_as):
    user = login_as(owner(status="pending"))
    curator = official()
    product = listings.submit(user, draft(user, "Miến dong Nguyên Bình"))
    product = moderation.approve_product(product.id, official=curator)
    assert product.status == "published" and not product.is_public
    assert found("mien dong") == []
    assert client.get(f"/san-pham/{product.slug}").status_code == 404
    assert "Hiển thị khi hồ sơ cơ sở được duyệt" in text(client.get(f"{PRODUCERS}/"))

    moderation.approve_producer(user.producer_id, official=curator)
    assert found("mien dong") == [product.id]


def test_unpublish_and_republish_are_reflected_in_search(client, user):
    product = published(user, "Miến dong Nguyên Bình")
    edit = edit_url(product)
    assert post_form(client, f"{edit}/tam-an", {}, form_url=edit).status_code == 302
    assert reload(product).status == "hidden" and found("mien dong") == []
    assert client.get(f"/san-pham/{product.slug}").status_code == 404
    assert "Đã ẩn" in text(client.get(f"{PRODUCERS}/"))

    assert post_form(client, f"{edit}/hien-thi-lai", {}, form_url=edit).status_code == 302
    assert reload(product).status == "published" and found("mien dong") == [product.id]
    assert actions(product)[-2:] == ["listing.unpublish", "listing.republish"]


def test_a_listing_hidden_by_an_official_cannot_be_shown_again_by_the_producer(client, user):
    from catalog.database import write_transaction
    from catalog.platform import audit, outbox

    product = published(user, "Miến dong Nguyên Bình")
    curator = official()
    with write_transaction():  # stands in for the officials' hide action (a later issue)
        product.status = "hidden"
        audit.record(curator, "product.hide", "product", product.id, after={"status": "hidden"})
        outbox.record([product.id], "hide")
    response = post_form(
        client,
        f"{edit_url(product)}/hien-thi-lai",
        {},
        form_url=edit_url(product),
        follow_redirects=True,
    )
    assert "do cán bộ ẩn" in text(response) and reload(product).status == "hidden"
    assert found("mien dong") == []


def test_dashboard_lists_every_state_with_its_label_note_and_hints(client, user):
    curator = official()
    listings.create_draft(user, {"name": "Bản nháp trống"})
    listings.submit(user, draft(user, "Đang chờ"))
    published(user, "Đã lên sàn", curator)
    moderation.request_product_changes(
        listings.submit(user, draft(user, "Cần sửa")).id, official=curator, note="Ảnh mờ quá."
    )
    moderation.reject_product(
        listings.submit(user, draft(user, "Bị loại")).id, official=curator, note="Không phải OCOP."
    )
    hidden = published(user, "Tạm ẩn", curator)
    listings.unpublish(user, hidden)

    page = text(client.get(f"{PRODUCERS}/"))
    for label in ("Nháp", "Chờ duyệt", "Đã đăng", "Cần chỉnh sửa", "Bị từ chối", "Đã ẩn"):
        assert f">{label}</span>" in page
    assert "Ảnh mờ quá." in page and "Không phải OCOP." in page
    assert "Chưa có ảnh, mô tả còn ngắn, chưa chọn nhóm OCOP" in page
