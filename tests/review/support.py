"""Builders for the queue, audit-log and admin-user tests: imported entries that lack
details (written directly: the importer sets source="import" on its own)."""

from __future__ import annotations

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Producer, Product
from catalog.platform.vietnamese import normalize_key, slugify
from tests.factories import create_producer, create_user

_serial = iter(range(1, 10_000))


def official(*provinces: str):  # type: ignore[no-untyped-def]
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
