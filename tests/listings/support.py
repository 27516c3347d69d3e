"""Builders shared by the producer self-service tests: real images made with Pillow, a real
(tiny) PDF, listings made through the services, and official decisions."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from sqlalchemy import select

from catalog.extensions import db
from catalog.listings import listings
from catalog.models import Category, Product, User
from catalog.platform import reference, search_sync
from catalog.review import moderation
from search_index import SearchQuery
from tests.factories import create_producer, create_user, province

DESCRIPTION = "Hạt dẻ Trùng Khánh rang củi, bùi thơm, thu hoạch vụ thu trên núi đá vôi."
PRODUCERS = "/co-so-cua-toi"


def image_bytes(fmt: str = "JPEG", colour: tuple[int, int, int] = (160, 90, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(out, format=fmt)
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
