"""Builders shared by the producer self-service tests: real images made with Pillow, a real
(tiny) PDF, listings made through the services, official decisions, and the listing form as
the producer posts it."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from sqlalchemy import select

from catalog.certificates.claims import Settlement
from catalog.extensions import db
from catalog.listings import listings
from catalog.models import AuditEntry, Category, Product, User
from catalog.platform import reference, search_sync
from catalog.review import moderation
from search_index import SearchQuery
from tests.factories import create_producer, create_user, province
from tests.forms import post_form

DESCRIPTION = "Hạt dẻ Trùng Khánh rang củi, bùi thơm, thu hoạch vụ thu trên núi đá vôi."
PRODUCERS = "/co-so-cua-toi"
NEW = f"{PRODUCERS}/san-pham/moi"
MULTIPART = {"content_type": "multipart/form-data"}
# The official's answer when a listing claims OCOP stars and no certificate is recorded.
DROP = Settlement("drop")


# Within the image pipeline's limits for photos (200 px on the short side) and for
# certificate scans (400 px), so one picture serves as either.
IMAGE_SIZE = (480, 400)


def image_bytes(
    fmt: str = "JPEG",
    colour: tuple[int, int, int] = (160, 90, 40),
    size: tuple[int, int] = IMAGE_SIZE,
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


def jpeg(colour: tuple[int, int, int] = (160, 90, 40)) -> bytes:
    return image_bytes("JPEG", colour)


def png(colour: tuple[int, int, int] = (30, 120, 60)) -> bytes:
    return image_bytes("PNG", colour)


def colours(n: int) -> list[tuple[int, int, int]]:
    return [(20 + 25 * i, 200 - 20 * i, (60 * i) % 255) for i in range(n)]


def pdf() -> bytes:
    """A small but well-formed one-page PDF."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def file(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return (io.BytesIO(data), name)


def category_id() -> int:
    return db.session.scalar(select(Category.id).order_by(Category.position))


def cao_bang_ward() -> tuple[int, str]:
    return reference.wards_of(province("Cao Bằng").id)[0]


def owner(status: str = "active", **producer_values: Any) -> User:
    """A producer account (e-mail verified) with its own producer."""
    producer = create_producer(status=status, **producer_values)
    return create_user("producer", producer=producer)


def official() -> User:
    return create_user("official", provinces=("Cao Bằng",))


def draft(user: User, name: str = "Hạt dẻ Trùng Khánh", photos: int = 1, **values: Any) -> Product:
    product = listings.create_draft(
        user, {"name": name, "description": DESCRIPTION, "category_id": category_id(), **values}
    )
    for colour in colours(photos):
        listings.add_photo(user, product, jpeg(colour), f"Ảnh {name}")
    return product


def published(user: User, name: str = "Hạt dẻ Trùng Khánh", curator: User | None = None) -> Product:
    product = listings.submit(user, draft(user, name))
    return moderation.approve_product(product.id, official=curator or official())


def found(text: str) -> list[int]:
    return search_sync.backend().search(SearchQuery(text=text)).ids


def reload(product: Product) -> Product:
    db.session.expire_all()
    return db.session.get(Product, product.id)


# -- the listing form, as the producer posts it --------------------------------------------


def edit_url(product: Product) -> str:
    return f"{PRODUCERS}/san-pham/{product.id}"


def listing_data(**overrides: Any) -> dict[str, Any]:
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
        "availability": "in_stock",  # the form's radio group always sends one
    }
    data.update(overrides)
    return data


# -- the profile form, as the producer posts it ---------------------------------------------

VALID_MST = "0100109106"


def profile_data(**overrides: Any) -> dict[str, Any]:
    ward_code, _ = cao_bang_ward()
    data = {
        "name": "Hợp tác xã Hạt dẻ Trùng Khánh",
        "type": "hop_tac_xa",
        "tax_code": VALID_MST,
        "representative": "Nông Văn Thành",
        "province_id": str(province("Cao Bằng").id),
        "wards_for": str(province("Cao Bằng").id),
        "ward_code": str(ward_code),
        "address": "Xóm Nà Đoỏng",
        "phone": "0912 345 678",
        "email": "htx@example.vn",
        "website": "hatde.example.vn",
        "facebook_url": "facebook.com/hatdetrungkhanh",
        "zalo": "0912345678",
        "description": "Hạt dẻ rang củi từ vùng núi đá vôi.",
        "action": "luu",
    }
    data.update(overrides)
    return data


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def only_product() -> Product:
    db.session.expire_all()
    return db.session.scalars(select(Product)).unique().one()


def create(client: Any, photos: Any = (), scan: Any = None, **overrides: Any) -> Any:
    data = listing_data(**overrides)
    data["photos"] = [file(content, f"anh-{i}.jpg") for i, content in enumerate(photos)]
    if scan is not None:
        data["certificate_scan"] = scan
    return post_form(client, NEW, data, **MULTIPART)


def photo_action(client: Any, product: Product, data: dict[str, str]) -> Any:
    return post_form(client, f"{edit_url(product)}/anh", data, form_url=edit_url(product))


def actions(product: Product) -> list[str]:
    stmt = (
        select(AuditEntry.action)
        .where(AuditEntry.entity_type == "product", AuditEntry.entity_id == product.id)
        .order_by(AuditEntry.id)
    )
    return list(db.session.scalars(stmt))
