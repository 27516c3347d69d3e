"""What featured products, campaigns and stories share: refusals, scope checks, the
pictures (through the one image pipeline) and the picker of products and producers.

Kept apart so the three services stay small and apply the same rules: an official acts on
entries of the provinces they cover; only admins act nationwide.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from catalog.errors import Forbidden, Invalid
from catalog.extensions import db
from catalog.models import Producer, Product, User
from catalog.platform.images import ImageRejected, store_image
from catalog.platform.search_sync import public_products_query
from catalog.platform.vietnamese import clean_text, nfc, normalize_key
from catalog.storage import StorageError, current_storage, refusal_message

MAX_TITLE = 200
MAX_SUMMARY = 400
MAX_ALT = 300
MAX_MARKDOWN = 20_000
PICKER_LIMIT = 20


class PromotionError(Invalid):
    """A polite refusal; `field` names the form field it belongs next to."""


def check_scope(user: User, province_id: int | None) -> None:
    """Officials act on their provinces; a nationwide entry (None) is for admins only."""
    if user.role == "admin" and user.active:
        return
    if province_id is None or not user.active or not user.covers(province_id):
        raise Forbidden


def scoped_province_ids(user: User) -> list[int] | None:
    """The provinces a user's lists are limited to (None: every province, for admins)."""
    return None if user.role == "admin" else [p.id for p in user.provinces]


def text(values: dict[str, Any], name: str, limit: int, label: str, *, required: bool) -> str:
    """A one-line text value, cleaned, within its length."""
    value = clean_text(values.get(name))
    if required and not value:
        raise PromotionError(f"Vui lòng nhập {label}.", field=name)
    if len(value) > limit:
        raise PromotionError(f"{label.capitalize()} tối đa {limit} ký tự.", field=name)
    return value


def markdown_text(values: dict[str, Any], name: str) -> str:
    """Markdown as typed, NFC, control characters dropped; spacing is kept because it means
    something in Markdown (nested lists, hard line breaks)."""
    raw = nfc((values.get(name) or "").replace("\r\n", "\n"))
    value = "".join(ch for ch in raw if ch.isprintable() or ch in "\n\t").strip()
    if len(value) > MAX_MARKDOWN:
        limit = f"{MAX_MARKDOWN:,}".replace(",", ".")
        raise PromotionError(f"Nội dung tối đa {limit} ký tự.", field=name)
    return value


def store_picture(upload: Any | None, field: str) -> tuple[str | None, str]:
    """Run an upload (listings.Upload) through the image pipeline before any transaction;
    the pipeline's Vietnamese message is shown next to the field."""
    if upload is None:
        return None, ""
    try:
        stored = store_image(
            upload.stream,
            current_storage(),
            max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
        )
    except ImageRejected as exc:
        raise PromotionError(str(exc), field=field) from exc
    except StorageError as exc:  # full disk: the form comes back as typed (507)
        raise PromotionError(refusal_message(exc), field=field) from exc
    return stored.digest, upload.filename


def public_product(product_id: int) -> Product | None:
    stmt = public_products_query().where(Product.id == product_id)
    return db.session.scalars(stmt).unique().first()


def pickable_products(user: User, query: str, exclude: set[int] | None = None) -> list[Product]:
    """Published products in the user's provinces whose name contains the query (accents
    and case ignored): the no-JavaScript picker lists these with an "Thêm" button."""
    stmt = public_products_query()
    provinces = scoped_province_ids(user)
    if provinces is not None:
        stmt = stmt.where(Product.province_id.in_(provinces or [-1]))
    key = normalize_key(query or "")
    if key:
        stmt = stmt.where(Product.name_key.contains(key, autoescape=True))
    if exclude:
        stmt = stmt.where(Product.id.not_in(exclude))
    stmt = stmt.order_by(Product.name_key, Product.id).limit(PICKER_LIMIT)
    return list(db.session.scalars(stmt).unique())


def pickable_producers(user: User, query: str, exclude: set[int] | None = None) -> list[Producer]:
    """Active producers in the user's provinces whose name contains the query."""
    stmt = select(Producer).where(Producer.status == "active")
    provinces = scoped_province_ids(user)
    if provinces is not None:
        stmt = stmt.where(Producer.province_id.in_(provinces or [-1]))
    key = normalize_key(query or "")
    if key:
        stmt = stmt.where(Producer.name_key.contains(key, autoescape=True))
    if exclude:
        stmt = stmt.where(Producer.id.not_in(exclude))
    stmt = stmt.order_by(Producer.name_key, Producer.id).limit(PICKER_LIMIT)
    return list(db.session.scalars(stmt).unique())
