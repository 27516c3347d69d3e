"""Builders for the review tests: imported entries that lack details (written directly: the
importer sets source="import" on its own) for the queue, audit-log and admin-user tests, and
listings made through the services with readers of their audit, mail and index for the
service-level workflow tests."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from sqlalchemy import func, select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.listings import listings
from catalog.models import AuditEntry, Category, MailMessage, Producer, Product, User
from catalog.platform import audit, search_sync
from catalog.platform.vietnamese import normalize_key, slugify
from catalog.review import moderation
from search_index import SearchQuery
from tests.factories import create_producer, create_user

DESCRIPTION = "Đặc sản vùng cao, đóng gói cẩn thận, bảo quản nơi khô ráo, thoáng mát."
_serial = iter(range(1, 10_000))


def official(*provinces: str) -> User:
    return create_user("official", provinces=provinces or ("Cao Bằng",))


def imported_producer(
    name: str = "HTX Miến dong Nhập", province_name: str = "Cao Bằng", **values
) -> Producer:
    """An imported producer; by default without a type and without any contact."""
    return create_producer(name, province_name=province_name, source="import", **values)


def imported_product(
    producer: Producer, name: str = "Miến dong nhập", category_id: int | None = None
) -> Product:
    """A published imported product without an OCOP group (unless one is given)."""
    n = next(_serial)
    with write_transaction():
        product = Product(
            name=name,
            name_key=normalize_key(name),
            slug=f"{slugify(name)}-nhap-{n}",
            producer_id=producer.id,
            province_id=producer.province_id,
            category_id=category_id,
            status="published",
            source="import",
        )
        db.session.add(product)
    return product


# -- listings made through the services, and what they leave behind ---------------------------


def jpeg(colour: tuple[int, int, int] = (160, 90, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (240, 200), colour).save(out, format="JPEG")  # within PHOTO_LIMITS
    return out.getvalue()


def owner(status: str = "active", province_name: str = "Cao Bằng") -> User:
    """A producer account with its own producer in the given state."""
    producer = create_producer(status=status, province_name=province_name)
    return create_user("producer", producer=producer)


def draft(user: User, name: str = "Trà hoa vàng", **values: Any) -> Product:
    category = db.session.scalar(select(Category).order_by(Category.position, Category.id))
    product = listings.create_draft(
        user,
        {"name": name, "description": DESCRIPTION, "category_id": category.id, **values},
    )
    listings.add_photo(user, product, jpeg(), "Hộp trà")
    return product


def submitted(user: User, name: str = "Trà hoa vàng", **values: Any) -> Product:
    return listings.submit(user, draft(user, name, **values))


def published(user: User, official: User, name: str = "Trà hoa vàng") -> Product:
    return moderation.approve_product(submitted(user, name).id, official=official)


def found(text: str) -> list[int]:
    return search_sync.backend().search(SearchQuery(text=text)).ids


def mails_to(user: User) -> list[MailMessage]:
    stmt = select(MailMessage).where(MailMessage.to == user.email).order_by(MailMessage.id)
    return list(db.session.scalars(stmt))


def last_entry(entity_type: str, entity_id: int) -> AuditEntry:
    return audit.history(entity_type, entity_id)[-1]


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def reload(product: Product) -> Product:
    db.session.expire_all()
    return db.session.get(Product, product.id)
