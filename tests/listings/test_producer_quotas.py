"""Per-producer quotas (catalog/listings/quotas.py): new listings per day, bytes of photos
stored, certificate scans stored. Exactly at a limit is allowed, one more is refused (422 on
the form, 429 elsewhere), nothing already stored is lost, other producers are unaffected,
and officials of the producer's province see the usage."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog.extensions import db
from catalog.listings import listings, quotas
from catalog.listings.listing_uploads import Upload
from catalog.listings.listing_values import ListingError
from catalog.models import ProducerUpload, Product
from catalog.platform.clock import utcnow
from catalog.platform.images import store_image
from catalog.storage import LocalStorage
from tests.factories import create_user
from tests.forms import post_form
from tests.listings.support import (
    MULTIPART,
    PRODUCERS,
    colours,
    create,
    draft,
    edit_url,
    file,
    jpeg,
    listing_data,
    official,
    owner,
    pdf,
    profile_data,
    text,
)


def photo_bytes(tmp_path: Path, data: bytes) -> int:
    """What the pipeline stores for this photo (the same encoder, another storage)."""
    return store_image(data, LocalStorage(tmp_path / "scratch")).stored_bytes


def scan(n: int) -> Upload:
    return Upload(io.BytesIO(pdf() + f"%{n}\n".encode()), f"gcn-{n}.pdf")


def used(user) -> quotas.Usage:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return quotas.usage(user.producer_id)


# -- listings per day ----------------------------------------------------------------------


def test_listings_per_day_the_last_is_allowed_the_next_refused_on_the_form(
    app, client, login_as, tmp_path
):
    app.config["QUOTA_LISTINGS_PER_DAY"] = 3
    user = login_as(owner())
    for n in range(2):
        draft(user, f"Sản phẩm {n}", photos=0)
    assert create(client, photos=[jpeg()]).status_code == 302  # the third: exactly the limit
    response = create(client, photos=[jpeg((1, 2, 3))], name="Miến dong thứ tư")
    assert response.status_code == 422
    page = text(response)
    assert "Hôm nay cơ sở đã tạo 3 sản phẩm mới, đúng hạn mức 3 sản phẩm mỗi ngày." in page
    assert 'value="Miến dong thứ tư"' in page  # what was typed stays
    assert len(db.session.scalars(select(Product)).unique().all()) == 3
    # The refused request was refused before its photo was stored or counted.
    assert used(user).photo_bytes == photo_bytes(tmp_path, jpeg())


def test_deleting_drafts_gives_no_listing_back_and_tomorrow_does(app, login_as):
    app.config["QUOTA_LISTINGS_PER_DAY"] = 2
    user = owner()
    for n in range(2):
        listings.delete_draft(user, draft(user, f"Sản phẩm {n}", photos=0))
    with pytest.raises(quotas.QuotaExceeded):
        draft(user, "Sản phẩm thứ ba", photos=0)
    assert quotas.listings_created_today(user.producer_id) == 2
    tomorrow = utcnow() + timedelta(days=1)
    assert quotas.listings_created_today(user.producer_id, tomorrow) == 0
    quotas.check_new_listing(user.producer_id, tomorrow)  # no refusal


def test_another_producer_is_not_affected(app):
    app.config["QUOTA_LISTINGS_PER_DAY"] = 1
    first, second = owner(), owner()
    draft(first, photos=0)
    with pytest.raises(quotas.QuotaExceeded):
        draft(first, "Thêm một sản phẩm", photos=0)
    assert draft(second, photos=0).producer_id == second.producer_id
    # A colleague of the same business shares its count.
    colleague = create_user("producer", producer=first.producer)
    with pytest.raises(quotas.QuotaExceeded):
        draft(colleague, "Của đồng nghiệp", photos=0)


def test_a_quota_no_form_shows_answers_429(app):
    with app.test_request_context(f"{PRODUCERS}/san-pham/moi", method="POST"):
        response = app.make_response(
            app.handle_user_exception(quotas.QuotaExceeded("Quá hạn mức."))
        )
    assert response.status_code == 429


# -- photo bytes ---------------------------------------------------------------------------


def test_photo_bytes_exactly_at_the_limit_are_allowed_one_byte_over_refused(app, tmp_path):
    user = owner()
    product = draft(user, photos=0)
    first, second, third = (jpeg(c) for c in colours(3))
    listings.add_photo(user, product, first, "Ảnh một")
    assert used(user).photo_bytes == photo_bytes(tmp_path, first)
    app.config["QUOTA_PHOTO_BYTES"] = (
        photo_bytes(tmp_path, first) + photo_bytes(tmp_path, second) - 1
    )
    with pytest.raises(quotas.QuotaExceeded, match="không còn đủ dung lượng lưu ảnh"):
        listings.add_photo(user, product, second, "Ảnh hai")
    app.config["QUOTA_PHOTO_BYTES"] += 1  # now exactly what both take
    listings.add_photo(user, product, second, "Ảnh hai")
    assert used(user).photo_bytes == app.config["QUOTA_PHOTO_BYTES"]
    uploads = Path(app.config["UPLOADS_DIR"])
    before = sorted(str(p) for p in uploads.rglob("*.webp"))
    with pytest.raises(quotas.QuotaExceeded):
        listings.add_photo(user, product, third, "Ảnh ba")
    assert sorted(str(p) for p in uploads.rglob("*.webp")) == before  # nothing written
    db.session.expire_all()
    assert len(db.session.get(Product, product.id).images) == 2  # nothing lost


def test_a_batch_keeps_what_fits_the_bytes_and_names_the_rest(app, client, login_as, tmp_path):
    login_as(owner())
    first, second = jpeg((10, 20, 30)), jpeg((200, 30, 10))
    app.config["QUOTA_PHOTO_BYTES"] = photo_bytes(tmp_path, first)
    response = create(client, photos=[first, second])
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Ảnh “anh-1.jpg”: không còn đủ dung lượng lưu ảnh của cơ sở" in page
    product = db.session.scalars(select(Product)).unique().one()
    assert len(product.images) == 1
    # Full now: a form with photos only is refused as a whole, the listing untouched.
    response = post_form(
        client,
        edit_url(product),
        {**listing_data(price_vnd="99.000"), "photos": [file(second, "b.jpg")]},
        **MULTIPART,
    )
    assert response.status_code == 422 and "không còn đủ dung lượng" in text(response)
    db.session.expire_all()
    assert db.session.get(Product, product.id).price_vnd == 150000


def test_removing_a_photo_gives_no_bytes_back_and_a_known_photo_costs_nothing(app):
    user = owner()
    product = draft(user, photos=2)
    stored = used(user).photo_bytes
    digest = product.images[0].digest
    listings.arrange_photos(user, product, {}, remove=digest)
    assert used(user).photo_bytes == stored
    other = draft(user, "Sản phẩm khác", photos=0)
    listings.add_photo(user, other, jpeg(colours(1)[0]), "Cùng ảnh")  # the same picture again
    assert used(user).photo_bytes == stored
    assert len(db.session.scalars(select(ProducerUpload)).all()) == 2


def test_the_logo_counts_as_a_photo(app, client, login_as):
    user = login_as(owner(status="pending"))
    response = post_form(
        client,
        f"{PRODUCERS}/ho-so",
        {**profile_data(), "logo": file(jpeg(), "logo.jpg")},
        **MULTIPART,
    )
    assert response.status_code == 302
    assert used(user).photo_bytes > 0
    app.config["QUOTA_PHOTO_BYTES"] = used(user).photo_bytes
    response = post_form(
        client,
        f"{PRODUCERS}/ho-so",
        {**profile_data(), "logo": file(jpeg((9, 9, 9)), "logo2.jpg")},
        **MULTIPART,
    )
    assert response.status_code == 422 and "Logo: không còn đủ dung lượng" in text(response)


# -- certificate scans ---------------------------------------------------------------------


def test_scans_the_last_is_allowed_the_next_refused(app, client, login_as):
    app.config["QUOTA_CERTIFICATE_SCANS"] = 2
    user = login_as(owner())
    products = [draft(user, f"Sản phẩm {n}", photos=1) for n in range(3)]
    for n, product in enumerate(products[:2]):
        listings.update(user, product, {}, scan=scan(n))
    assert used(user).scans == 2
    with pytest.raises(quotas.QuotaExceeded) as refused:
        listings.update(user, products[2], {}, scan=scan(2))
    assert refused.value.field == "certificate_scan"
    response = post_form(
        client,
        edit_url(products[2]),
        {**listing_data(name="Sản phẩm 2"), "certificate_scan": file(pdf() + b"%9\n", "x.pdf")},
        **MULTIPART,
    )
    assert response.status_code == 422
    assert "Cơ sở đã lưu 2 bản chụp giấy chứng nhận, đúng hạn mức 2 bản chụp." in text(response)
    db.session.expire_all()
    assert db.session.get(Product, products[2].id).certificate_scan is None
    assert all(db.session.get(Product, p.id).certificate_scan for p in products[:2])
    assert quotas.usage(owner().producer_id).scans == 0  # another producer's count


def test_a_scan_stored_for_a_save_that_fails_still_counts(app):
    user = owner()
    draft(user, "Miến dong", photos=0)
    product = draft(user, "Hạt dẻ", photos=0)
    with pytest.raises(ListingError, match="cùng tên"):
        listings.update(user, product, {"name": "Miến dong"}, scan=scan(1))
    assert used(user).scans == 1  # the file is in the storage: it counts


# -- what officials see --------------------------------------------------------------------


def test_usage_is_one_line_in_vietnamese():
    usage = quotas.Usage(3, 20, int(12.3 * quotas.MB), 200 * quotas.MB, 2, 50)
    assert usage.summary == (
        "Đã dùng 12,3 MB / 200 MB ảnh · 3/20 sản phẩm hôm nay · 2/50 bản chụp chứng nhận"
    )
    assert quotas.Usage(0, 0, 512, 0, 0, 0).summary == (
        "Đã dùng 1 KB / không giới hạn ảnh · 0/không giới hạn sản phẩm hôm nay"
        " · 0/không giới hạn bản chụp chứng nhận"
    )


def test_officials_of_the_province_see_the_usage_and_others_do_not(app, client, login_as):
    app.config.update(QUOTA_LISTINGS_PER_DAY=20, QUOTA_CERTIFICATE_SCANS=50)
    user = owner()
    listings.update(user, draft(user, photos=1), {}, scan=scan(1))
    page_url = f"/quan-ly/co-so-san-xuat/{user.producer_id}"
    login_as(official())
    page = text(client.get(page_url))
    usage = quotas.usage(user.producer_id)
    assert usage.summary in page
    assert " · 1/20 sản phẩm hôm nay · 1/50 bản chụp chứng nhận" in usage.summary
    login_as(create_user("official", provinces=("Hà Nội",)))
    assert client.get(page_url).status_code == 403
    login_as(create_user("admin"))
    assert usage.summary in text(client.get(page_url))
