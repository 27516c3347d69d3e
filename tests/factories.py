"""Callable factories for test data (indico style). They write through the database
directly only where no service exists for that step yet; each returns the created row."""

from __future__ import annotations

from itertools import count

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Producer, Province, User
from catalog.platform.clock import utcnow
from catalog.platform.vietnamese import normalize_key, slugify

PASSWORD = "mat-khau-thu-9"
_serial = count(1)


def province(name: str = "Cao Bằng") -> Province:
    return db.session.scalar(select(Province).where(Province.name == name))


def create_producer(
    name: str | None = None, *, province_name: str = "Cao Bằng", status: str = "active", **values
) -> Producer:
    n = next(_serial)
    name = name or f"HTX Hạt dẻ Thử {n}"
    with write_transaction():
        producer = Producer(
            name=name,
            name_key=normalize_key(name),
            slug=f"{slugify(name)}-{n}",
            province_id=province(province_name).id,
            status=status,
            **values,
        )
        db.session.add(producer)
    return producer


def create_user(
    role: str = "producer",
    *,
    email: str | None = None,
    producer: Producer | None = None,
    verified: bool = True,
    provinces: tuple[str, ...] = (),
    password: str = PASSWORD,
) -> User:
    """A user; a producer user gets its own active producer unless one is given."""
    n = next(_serial)
    if role == "producer" and producer is None:
        producer = create_producer()
    with write_transaction():
        user = User(
            email=email or f"nguoi-dung-{n}@example.vn",
            password_hash=generate_password_hash(password),
            role=role,
            producer_id=producer.id if producer else None,
            display_name=f"Người dùng {n}",
            email_verified_at=utcnow() if verified else None,
        )
        user.provinces = [province(p) for p in provinces]
        db.session.add(user)
    return user


def create_published_product(
    name: str | None = None, *, producer: Producer | None = None, province_name: str = "Cao Bằng"
):  # type: ignore[no-untyped-def]
    """A published product written directly (no review, no search indexing): for tests of
    features that only read published products, such as campaigns and featured lists."""
    from catalog.models import Product

    n = next(_serial)
    name = name or f"Sản phẩm thử {n}"
    producer = producer or create_producer(f"HTX {name}", province_name=province_name)
    with write_transaction():
        product = Product(
            name=name,
            name_key=normalize_key(name),
            slug=f"{slugify(name)}-{n}",
            producer_id=producer.id,
            province_id=producer.province_id,
            status="published",
            published_at=utcnow(),
            description="Sản phẩm dùng trong kiểm thử.",
        )
        db.session.add(product)
    return product
