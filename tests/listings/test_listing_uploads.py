"""Product listings from the producer's side, the files: photos (real JPEG and PNG made by
Pillow) stored as WebP variants, their limit, reordering and alt text, and the certificate
scan, kept private and checked to be a real PDF or photo."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.certificates.certificate_scans import scans_dir
from catalog.extensions import db
from catalog.listings import listings
from catalog.models import Product
from catalog.review import moderation
from tests.forms import post_form
from tests.listings.support import (
    DROP,
    MULTIPART,
    NEW,
    actions,
    colours,
    create,
    draft,
    edit_url,
    file,
    jpeg,
    listing_data,
    official,
    only_product,
    owner,
    pdf,
    photo_action,
    png,
    text,
)


@pytest.fixture
def user(login_as):  # type: ignore[no-untyped-def]
    return login_as(owner())


# -- photos --------------------------------------------------------------------------------


def test_jpeg_and_png_photos_are_stored_as_webp_variants(client, user):
    create(client, photos=[jpeg(), png()])
    images = only_product().images
    assert len(images) == 2
    for image in images:
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


def test_nine_photos_at_once_keep_the_first_eight_and_name_the_ninth(client, user):
    response = create(client, photos=[jpeg(c) for c in colours(9)])
    assert response.status_code == 302
    assert len(only_product().images) == 8
    page = text(client.get(response.headers["Location"]))
    assert "Đã thêm 8 ảnh; chưa thêm 1 ảnh." in page
    assert "Ảnh “anh-8.jpg”: chưa thêm vì mỗi sản phẩm có tối đa 8 ảnh." in page
    assert "anh-7.jpg" not in page


def test_a_file_that_is_not_an_image_is_refused_next_to_the_field(client, user):
    data = {**listing_data(), "photos": [file(b"<?php echo 1; ?>", "anh.jpg")]}
    response = post_form(client, NEW, data, **MULTIPART)
    assert response.status_code == 422
    page = text(response)
    assert "Ảnh “anh.jpg”: Không đọc được ảnh" in page
    assert 'value="Miến dong Nguyên Bình"' in page and 'value="150.000"' in page
    assert db.session.scalars(select(Product)).all() == []


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
    product = moderation.approve_product(
        listings.submit(user, product).id, official=official(), settlement=DROP
    )
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
