"""What featured products, campaigns and stories share: refusals, scope checks, the
pictures (through the one image pipeline) and the picker of products and producers.

Kept apart so the three services stay small and apply the same rules: an official acts on
entries of the provinces they cover; only admins act nationwide.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute

from catalog.errors import Forbidden, Invalid, NotFound
from catalog.extensions import db
from catalog.listings.listing_uploads import Upload
from catalog.models import Campaign, Producer, Product, Story, User
from catalog.models.visibility import producer_is_public, public_products
from catalog.platform.photo_uploads import store_photo
from catalog.platform.vietnamese import clean_text, nfc, normalize_key

MAX_TITLE = 200
MAX_SUMMARY = 400
MAX_ALT = 300
MAX_MARKDOWN = 20_000
PICKER_LIMIT = 20

S = TypeVar("S", bound=Select[Any])
Scoped = TypeVar("Scoped", Campaign, Story, Product)
Pickable = TypeVar("Pickable", Product, Producer)


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


def within_scope(
    stmt: S, column: InstrumentedAttribute[Any], user: User, *, nationwide: bool = False
) -> S:
    """Limit a query to the user's provinces (admins: no limit); `nationwide` keeps the
    entries of no province too (a story may belong to a nationwide campaign)."""
    provinces = scoped_province_ids(user)
    if provinces is None:
        return stmt
    condition = column.in_(provinces or [-1])
    return stmt.where((condition | column.is_(None)) if nationwide else condition)


def load_in_scope(model: type[Scoped], user: User, entry_id: int) -> Scoped:
    """An entry the user may act on; NotFound / Forbidden otherwise."""
    entry = db.session.get(model, entry_id)
    if entry is None:
        raise NotFound
    check_scope(user, entry.province_id)
    return entry


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


def store_picture(upload: Upload | None, field: str) -> str | None:
    """The digest of an upload run through the image pipeline (before any transaction); the
    pipeline's Vietnamese refusal is shown next to the field."""
    if upload is None:
        return None
    return store_photo(upload.stream, lambda message: PromotionError(message, field=field)).digest


def public_product(product_id: int) -> Product | None:
    stmt = public_products().where(Product.id == product_id)
    return db.session.scalars(stmt).unique().first()


def public_product_in_scope(user: User, product_id: int, refusal: str) -> Product:
    """A product to add to a campaign or a story: public (else `refusal`), in scope."""
    product = public_product(product_id)
    if product is None:
        raise PromotionError(refusal)
    check_scope(user, product.province_id)
    return product


def _pick(
    stmt: Select[Pickable],
    model: type[Pickable],
    user: User,
    query: str,
    exclude: set[int] | None,
) -> list[Pickable]:
    stmt = within_scope(stmt, model.province_id, user)
    key = normalize_key(query or "")
    if key:
        stmt = stmt.where(model.name_key.contains(key, autoescape=True))
    if exclude:
        stmt = stmt.where(model.id.not_in(exclude))
    stmt = stmt.order_by(model.name_key, model.id).limit(PICKER_LIMIT)
    return list(db.session.scalars(stmt).unique())


def pickable_producers(user: User, query: str, exclude: set[int] | None = None) -> list[Producer]:
    """Active producers in the user's provinces whose name contains the query."""
    return _pick(select(Producer).where(producer_is_public()), Producer, user, query, exclude)
