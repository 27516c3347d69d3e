"""The image limits on every producer upload path (listing photos, logo, certificate scan):
a batch keeps the photos that fit and names the others with why, and the rows describe the
pictures as stored (resized, turned upright)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Producer, Product, ProductImage
from catalog.platform.images import variant_path
from tests.forms import post_form
from tests.listings.support import (
    MULTIPART,
    NEW,
    PRODUCERS,
    colours,
    create,
    draft,
    edit_url,
    file,
    image_bytes,
    jpeg,
    listing_data,
    only_product,
    owner,
    profile_data,
    text,
)


@pytest.fixture
def user(login_as):  # type: ignore[no-untyped-def]
    return login_as(owner())


def png(size: tuple[int, int]) -> bytes:
    return image_bytes("PNG", (30, 120, 60), size)


def test_a_batch_keeps_the_valid_photos_and_names_the_refused_ones(client, user):
    response = create(client, photos=[jpeg(), png((1, 1)), png((199, 400)), png((200, 1200))])
    assert response.status_code == 302
    images = only_product().images
    assert [(i.width, i.height) for i in images] == [(480, 400), (200, 1200)]
    page = text(client.get(response.headers["Location"]))
    assert "Đã thêm 2 ảnh; chưa thêm 2 ảnh." in page
    assert "Ảnh “anh-1.jpg”: Ảnh có cạnh ngắn nhất 1 px (1 × 1 px); cần ít nhất 200 px." in page
    assert "Ảnh “anh-2.jpg”: Ảnh có cạnh ngắn nhất 199 px (199 × 400 px); cần" in page
    assert "anh-0.jpg" not in page and "anh-3.jpg" not in page


def test_a_batch_of_only_refused_photos_is_refused_with_the_form_kept(client, user):
    response = create(client, photos=[png((1, 1)), png((201, 1207))])
    assert response.status_code == 422
    page = text(response)
    assert "Ảnh “anh-0.jpg”: Ảnh có cạnh ngắn nhất 1 px" in page
    assert "Ảnh “anh-1.jpg”: Ảnh quá dài và hẹp: 201 × 1207 px" in page
    assert 'value="Miến dong Nguyên Bình"' in page and 'value="150.000"' in page
    assert db.session.scalars(select(Product)).all() == []


def test_an_edit_over_the_photo_limit_keeps_the_first_that_fit(client, user):
    product = draft(user, photos=6)
    before = [i.digest for i in product.images]
    photos = [file(jpeg(c), f"moi-{i}.jpg") for i, c in enumerate(colours(10)[6:])]
    response = post_form(
        client, edit_url(product), {**listing_data(), "photos": photos}, **MULTIPART
    )
    assert response.status_code == 302
    after = [i.digest for i in only_product().images]
    assert len(after) == 8 and after[:6] == before
    page = text(client.get(response.headers["Location"]))
    assert "Đã thêm 2 ảnh; chưa thêm 2 ảnh." in page
    for name in ("moi-2.jpg", "moi-3.jpg"):
        assert f"Ảnh “{name}”: chưa thêm vì mỗi sản phẩm có tối đa 8 ảnh." in page


def test_the_row_describes_the_stored_picture_resized_and_upright(app, client, user):
    exif = Image.Exif()
    exif[0x0112] = 6  # a camera held upright: stored 3000x2000, shown 2000x3000
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (90, 60, 30)).save(out, format="JPEG", exif=exif.tobytes())
    assert create(client, photos=[out.getvalue()]).status_code == 302
    image = db.session.scalars(select(ProductImage)).one()
    assert (image.width, image.height) == (1067, 1600)
    large = variant_path(app.config["UPLOADS_DIR"], image.digest, "large")
    with Image.open(large) as stored:
        assert stored.size == (image.width, image.height)


def test_a_logo_outside_the_limits_is_refused_beside_the_field(client, user):
    response = post_form(
        client,
        f"{PRODUCERS}/ho-so",
        {**profile_data(), "logo": file(png((150, 150)), "logo.png")},
        **MULTIPART,
    )
    assert response.status_code == 422
    page = text(response)
    assert "Logo: Ảnh có cạnh ngắn nhất 150 px (150 × 150 px); cần ít nhất 200 px." in page
    assert 'aria-invalid="true"' in page
    assert db.session.get(Producer, user.producer_id).logo_digest is None


def test_a_certificate_photo_too_small_to_read_is_refused(client, user):
    response = create(client, scan=file(png((300, 500)), "gcn.png"))
    assert response.status_code == 422
    assert "Bản chụp có cạnh ngắn nhất 300 px (300 × 500 px); cần ít nhất 400 px." in text(response)
    assert db.session.scalars(select(Product)).all() == []


def test_a_thin_strip_posted_straight_to_the_form_is_refused(client, user):
    data = {**listing_data(), "photos": [file(png((1, 1200)), "strip.png")]}
    response = post_form(client, NEW, data, **MULTIPART)
    assert response.status_code == 422
    assert "Ảnh “strip.png”: Ảnh có cạnh ngắn nhất 1 px" in text(response)
