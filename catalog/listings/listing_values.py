"""What a listing holds: the fields a producer edits, the working copy (the live values, or
the pending change of a published listing), applying values to a product, and what a listing
still lacks before it can be submitted.

Moderation applies an approved change through `apply_values` too, so a value reaches the
product the same way whoever saves it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from catalog.errors import Invalid
from catalog.extensions import db
from catalog.models import Product, ProductImage, User
from catalog.models.statuses import ProductStatus
from catalog.platform.vietnamese import normalize_key

MAX_PHOTOS = 8
MAX_ALT = 300
EDITABLE = (
    "name",
    "category_id",
    "province_id",
    "description",
    "price_vnd",
    "unit",
    "ocop_stars",
    "certificate_no",
    "certificate_decision",
    "certificate_year",
    "certificate_expires_on",
    "certificate_scan",
    "availability",
    "harvest_months",
)
# Not trust claims: on a published listing they change at once (audited; an official can
# revert them, live_changes.py) instead of waiting for review with the rest.
LIVE_FIELDS = ("price_vnd", "unit", "availability", "harvest_months")
CERTIFICATE_FIELDS = (
    "certificate_no",
    "certificate_decision",
    "certificate_year",
    "certificate_expires_on",
)
# What the producer declares about OCOP is a claim, kept apart from the certificate record's
# copy (ocop_stars, certificate_*), which only catalog/certificates writes: the form and the
# pending change use the left names, the product stores them in the right columns.
CLAIM_COLUMNS = {
    "ocop_stars": "claimed_stars",
    "certificate_no": "claimed_certificate_no",
    "certificate_decision": "claimed_certificate_decision",
    "certificate_year": "claimed_certificate_year",
    "certificate_expires_on": "claimed_certificate_expires_on",
}
# States in which a never-published listing is edited in place and may be (re)submitted.
EDITABLE_STATES = ("draft", "rejected", "changes_requested")
MIN_DESCRIPTION = 30


class ListingError(Invalid):
    """A polite reason the listing action was refused; `field` names the form field."""


def own_product(user: User, product_id: int) -> Product | None:
    """The product if it belongs to the user's business; None otherwise (→ 404)."""
    if user.producer_id is None:
        return None
    return db.session.scalar(
        select(Product).where(Product.id == product_id, Product.producer_id == user.producer_id)
    )


def own_products(user: User) -> list[Product]:
    if user.producer_id is None:
        return []
    stmt = (
        select(Product)
        .where(Product.producer_id == user.producer_id)
        .order_by(Product.updated_at.desc(), Product.id.desc())
    )
    return list(db.session.scalars(stmt).unique())


# -- the working copy ----------------------------------------------------------------------


def live_value(product: Product, name: str) -> Any:
    """The product's value of an editable field (a claim field reads the claim)."""
    return getattr(product, CLAIM_COLUMNS.get(name, name))


def snapshot(product: Product) -> dict[str, Any]:
    values = {name: live_value(product, name) for name in EDITABLE}
    if values["certificate_expires_on"] is not None:
        values["certificate_expires_on"] = values["certificate_expires_on"].isoformat()
    values["images"] = [
        {"digest": i.digest, "alt": i.alt, "width": i.width, "height": i.height}
        for i in product.images
    ]
    return values


def working_copy(product: Product) -> dict[str, Any]:
    """What the producer edits: the pending change if there is one, else the live values."""
    values = snapshot(product)
    if product.pending_changes:
        values.update(product.pending_changes)
    return values


def has_pending_change(product: Product) -> bool:
    return product.status == ProductStatus.PUBLISHED and bool(product.pending_changes)


def is_editable(product: Product) -> bool:
    return product.status in (*EDITABLE_STATES, "submitted", "published")


# -- applying values -----------------------------------------------------------------------


def apply_values(product: Product, values: dict[str, Any]) -> None:
    """Set editable columns from plain values (also used by moderation on approval)."""
    for name in EDITABLE:
        if name not in values:
            continue
        value = values[name]
        if name == "certificate_expires_on" and isinstance(value, str):
            value = date.fromisoformat(value)
        setattr(product, CLAIM_COLUMNS.get(name, name), value)
    product.name_key = normalize_key(product.name)
    if not product.claimed_stars:
        for name in CERTIFICATE_FIELDS:
            setattr(product, CLAIM_COLUMNS[name], None)


def replace_images(product: Product, images: list[dict]) -> None:
    product.images.clear()
    db.session.flush()
    for position, entry in enumerate(images):
        product.images.append(
            ProductImage(
                position=position,
                digest=entry["digest"],
                alt=entry.get("alt", ""),
                width=entry.get("width", 0),
                height=entry.get("height", 0),
            )
        )


def jsonable_change(values: dict[str, Any]) -> dict[str, Any]:
    change = {k: values[k] for k in (*EDITABLE, "images") if k in values}
    if isinstance(change.get("certificate_expires_on"), date):
        change["certificate_expires_on"] = change["certificate_expires_on"].isoformat()
    if not change.get("ocop_stars"):
        for name in CERTIFICATE_FIELDS:
            change[name] = None
    return change


# -- what a listing still lacks ------------------------------------------------------------


def missing_required(values: dict[str, Any]) -> list[str]:
    required = []
    if not values.get("images"):
        required.append("ít nhất một ảnh")
    if len((values.get("description") or "").strip()) < MIN_DESCRIPTION:
        required.append(f"mô tả (ít nhất {MIN_DESCRIPTION} ký tự)")
    if values.get("category_id") is None:
        required.append("nhóm sản phẩm OCOP")
    certificate_dated = values.get("certificate_year") or values.get("certificate_expires_on")
    if values.get("ocop_stars") and not certificate_dated:
        required.append("năm công nhận hoặc ngày hết hạn chứng nhận OCOP")
    return required


def completeness(product: Product) -> dict[str, list[str]]:
    """What a listing still lacks: required before submission, and nice to have."""
    values = working_copy(product)
    optional = []
    if values["price_vnd"] is None:
        optional.append("giá bán")
    if values["ocop_stars"] and not values["certificate_no"]:
        optional.append("số giấy chứng nhận OCOP")
    if values["ocop_stars"] and not values["certificate_scan"]:
        optional.append("bản chụp giấy chứng nhận")
    if 0 < len(values["images"]) < 3:
        optional.append("thêm ảnh (nên có 3 ảnh trở lên)")
    return {"missing_required": missing_required(values), "missing_optional": optional}
