"""Producers' own listings: drafts, photos, submission for review.

A listing that has never been published is edited in place. A published listing stays live
while the producer's change waits in `pending_changes` until an official approves it.
Every transition writes an audit entry and an index outbox row.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from ..database import write_transaction
from ..extensions import db
from ..models import Product, ProductImage, User
from ..vietnamese import normalize_key
from . import audit, outbox
from ._common import utcnow
from .images import StoredImage, store_image
from .slugs import unique_slug

MAX_PHOTOS = 8
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
)
EDITABLE_STATES = ("draft", "rejected", "changes_requested")


class ListingError(ValueError):
    """A polite reason the listing action was refused."""


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
        .order_by(Product.updated_at.desc())
    )
    return list(db.session.scalars(stmt).unique())


def _snapshot(product: Product) -> dict[str, Any]:
    values = {name: getattr(product, name) for name in EDITABLE}
    if values["certificate_expires_on"] is not None:
        values["certificate_expires_on"] = values["certificate_expires_on"].isoformat()
    values["images"] = [
        {"digest": i.digest, "alt": i.alt, "width": i.width, "height": i.height}
        for i in product.images
    ]
    return values


def working_copy(product: Product) -> dict[str, Any]:
    """What the producer edits: the pending change if there is one, else the live values."""
    values = _snapshot(product)
    if product.pending_changes:
        values.update(product.pending_changes)
    return values


def create_draft(user: User, values: dict[str, Any]) -> Product:
    if user.producer is None:
        raise ListingError("Tài khoản của bạn chưa gắn với cơ sở sản xuất nào.")
    with write_transaction():
        name = values["name"]
        product = Product(
            name=name,
            name_key=normalize_key(name),
            slug=unique_slug(Product, name, hint=user.producer.province.name),
            producer_id=user.producer_id,
            province_id=values.get("province_id") or user.producer.province_id,
            status="draft",
        )
        _check_unique_name(product, name)
        _apply_values(product, values)
        db.session.add(product)
        db.session.flush()
        audit.record(user, "listing.create", "product", product.id, after=_snapshot(product))
    return product


def _check_unique_name(product: Product, name: str) -> None:
    clash = db.session.scalar(
        select(Product.id).where(
            Product.producer_id == product.producer_id,
            Product.name_key == normalize_key(name),
            Product.id != (product.id or 0),
        )
    )
    if clash is not None:
        raise ListingError("Cơ sở của bạn đã có một sản phẩm cùng tên.")


def _apply_values(product: Product, values: dict[str, Any]) -> None:
    from datetime import date

    for name in EDITABLE:
        if name not in values:
            continue
        value = values[name]
        if name == "certificate_expires_on" and isinstance(value, str):
            value = date.fromisoformat(value)
        setattr(product, name, value)
    product.name_key = normalize_key(product.name)
    if not product.ocop_stars:
        for name in ("certificate_no", "certificate_decision", "certificate_year",
                     "certificate_expires_on"):  # fmt: skip
            setattr(product, name, None)


def update(user: User, product: Product, values: dict[str, Any]) -> Product:
    """Save the producer's edit: in place before publication, as a pending change after."""
    with write_transaction():
        before = working_copy(product)
        if "name" in values:
            _check_unique_name(product, values["name"])
        if product.status == "published":
            change = {k: v for k, v in before.items() if k in EDITABLE or k == "images"}
            change.update({k: values[k] for k in EDITABLE if k in values})
            if change.get("certificate_expires_on") is not None:
                change["certificate_expires_on"] = str(change["certificate_expires_on"])
            product.pending_changes = change
            product.review_state = "submitted"
            product.submitted_at = utcnow()
            action = "listing.change_submitted"
        elif product.status in EDITABLE_STATES or product.status == "submitted":
            _apply_values(product, values)
            action = "listing.edit"
        else:
            raise ListingError("Không thể sửa sản phẩm đang bị ẩn.")
        audit.record(user, action, "product", product.id, before=before,
                     after=working_copy(product))  # fmt: skip
    return product


def submit(user: User, product: Product) -> Product:
    if product.status not in EDITABLE_STATES:
        raise ListingError("Sản phẩm này không ở trạng thái có thể gửi duyệt.")
    problems = completeness(product)["missing_required"]
    if problems:
        raise ListingError("Chưa thể gửi duyệt: " + ", ".join(problems) + ".")
    with write_transaction():
        before = product.status
        product.status = "submitted"
        product.submitted_at = utcnow()
        audit.record(user, "listing.submit", "product", product.id,
                     before={"status": before}, after={"status": "submitted"})  # fmt: skip
        outbox.record([product.id], "submit")
    return product


def delete_draft(user: User, product: Product) -> None:
    if product.status not in EDITABLE_STATES or product.published_at is not None:
        raise ListingError("Chỉ xoá được bản nháp chưa từng đăng.")
    with write_transaction():
        audit.record(user, "listing.delete", "product", product.id, before=_snapshot(product))
        outbox.record([product.id], "delete")
        db.session.delete(product)


def add_photo(user: User, product: Product, source: Any, alt: str) -> StoredImage:
    """Process an upload through the image pipeline and append it to the listing."""
    images = working_copy(product)["images"]
    if len(images) >= MAX_PHOTOS:
        raise ListingError(f"Mỗi sản phẩm có tối đa {MAX_PHOTOS} ảnh.")
    stored = store_image(source, current_app.config["UPLOADS_DIR"],
                         max_bytes=current_app.config["MAX_UPLOAD_BYTES"])  # fmt: skip
    entry = {"digest": stored.digest, "alt": alt or product.name,
             "width": stored.width, "height": stored.height}  # fmt: skip
    _save_images(user, product, [*images, entry], "listing.photo_add")
    return stored


def set_photos(user: User, product: Product, order: list[str], alts: dict[str, str]) -> None:
    """Reorder, re-caption or drop photos: `order` lists the digests to keep, cover first."""
    current = {i["digest"]: i for i in working_copy(product)["images"]}
    kept = []
    for digest in order:
        if digest in current and digest not in {k["digest"] for k in kept}:
            entry = dict(current[digest])
            if digest in alts:
                entry["alt"] = alts[digest][:300]
            kept.append(entry)
    _save_images(user, product, kept, "listing.photos")


def _save_images(user: User, product: Product, images: list[dict], action: str) -> None:
    with write_transaction():
        before = [i["digest"] for i in working_copy(product)["images"]]
        if product.status == "published":
            change = working_copy(product)
            change["images"] = images
            product.pending_changes = change
            product.review_state = "submitted"
            product.submitted_at = utcnow()
        else:
            replace_images(product, images)
        audit.record(user, action, "product", product.id, before={"images": before},
                     after={"images": [i["digest"] for i in images]})  # fmt: skip


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
            )  # fmt: skip
        )


def completeness(product: Product) -> dict[str, list[str]]:
    """What a listing still lacks: required before submission, and nice to have."""
    values = working_copy(product)
    required = []
    if not values["images"]:
        required.append("ít nhất một ảnh")
    if len((values["description"] or "").strip()) < 30:
        required.append("mô tả (ít nhất 30 ký tự)")
    if values["category_id"] is None:
        required.append("nhóm sản phẩm OCOP")
    optional = []
    if values["price_vnd"] is None:
        optional.append("giá bán")
    if values["ocop_stars"] and not values["certificate_no"]:
        optional.append("số giấy chứng nhận OCOP")
    if values["ocop_stars"] and not product.certificate_scan:
        optional.append("bản chụp giấy chứng nhận")
    if len(values["images"]) < 3:
        optional.append("thêm ảnh (nên có 3 ảnh trở lên)")
    return {"missing_required": required, "missing_optional": optional}
