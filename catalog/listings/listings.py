"""Producers' own listings: drafts, photos, certificate scans, submission for review.

A listing that has never been published is edited in place (draft → submitted → published,
rejected or changes_requested; officials decide in moderation.py). A published listing stays
live while the producer's edit waits in `pending_changes` (review_state: draft → submitted →
approved, rejected or changes_requested) until an official approves it. Every transition is
one write transaction with an audit entry and an index outbox row, so search follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select

from catalog.certificates.certificate_scans import ScanRejected, store_scan
from catalog.database import write_transaction
from catalog.errors import Invalid
from catalog.extensions import db
from catalog.models import AuditEntry, Product, ProductImage, User
from catalog.platform import audit, outbox
from catalog.platform.clock import utcnow
from catalog.platform.images import ImageRejected, store_image
from catalog.platform.slugs import unique_slug
from catalog.platform.vietnamese import clean_text, normalize_key
from catalog.storage import StorageError, current_storage, refusal_message

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
)
CERTIFICATE_FIELDS = (
    "certificate_no",
    "certificate_decision",
    "certificate_year",
    "certificate_expires_on",
)
# States in which a never-published listing is edited in place and may be (re)submitted.
EDITABLE_STATES = ("draft", "rejected", "changes_requested")
MIN_DESCRIPTION = 30


class ListingError(Invalid):
    """A polite reason the listing action was refused; `field` names the form field."""


@dataclass(frozen=True)
class Upload:
    """A file from a form: its stream and the name the user gave (for messages only)."""

    stream: Any
    filename: str = ""

    @property
    def label(self) -> str:
        return clean_text(self.filename)[:80] or "không tên"


# -- reading -------------------------------------------------------------------------------


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


def has_pending_change(product: Product) -> bool:
    return product.status == "published" and bool(product.pending_changes)


def is_editable(product: Product) -> bool:
    return product.status in (*EDITABLE_STATES, "submitted", "published")


# -- applying values -----------------------------------------------------------------------


def _apply_values(product: Product, values: dict[str, Any]) -> None:
    """Set editable columns from plain values (also used by moderation on approval)."""
    for name in EDITABLE:
        if name not in values:
            continue
        value = values[name]
        if name == "certificate_expires_on" and isinstance(value, str):
            value = date.fromisoformat(value)
        setattr(product, name, value)
    product.name_key = normalize_key(product.name)
    if not product.ocop_stars:
        for name in CERTIFICATE_FIELDS:
            setattr(product, name, None)


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


def _jsonable_change(values: dict[str, Any]) -> dict[str, Any]:
    change = {k: values[k] for k in (*EDITABLE, "images") if k in values}
    if isinstance(change.get("certificate_expires_on"), date):
        change["certificate_expires_on"] = change["certificate_expires_on"].isoformat()
    if not change.get("ocop_stars"):
        for name in CERTIFICATE_FIELDS:
            change[name] = None
    return change


def _check_unique_name(product: Product, name: str) -> None:
    clash = db.session.scalar(
        select(Product.id).where(
            Product.producer_id == product.producer_id,
            Product.name_key == normalize_key(name),
            Product.id != (product.id or 0),
        )
    )
    if clash is not None:
        raise ListingError("Cơ sở của bạn đã có một sản phẩm cùng tên.", field="name")


def _check_producer(user: User) -> None:
    producer = user.producer
    if producer is None:
        raise ListingError("Tài khoản của bạn chưa gắn với cơ sở sản xuất nào.")
    if producer.status == "suspended":
        raise ListingError("Cơ sở đang bị tạm ngưng; chưa thể thay đổi sản phẩm.")


def _store_photos(photos: Sequence[Upload], current: int, default_alt: str) -> list[dict]:
    """Process uploads through the image pipeline (before any transaction)."""
    if current + len(photos) > MAX_PHOTOS:
        room = MAX_PHOTOS - current
        more = f"bạn chỉ thêm được {room} ảnh nữa" if room else "hãy xoá bớt ảnh trước"
        raise ListingError(f"Mỗi sản phẩm có tối đa {MAX_PHOTOS} ảnh; {more}.", field="photos")
    entries = []
    for upload in photos:
        try:
            stored = store_image(
                upload.stream,
                current_storage(),
                max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
            )
        except ImageRejected as exc:
            raise ListingError(f"Ảnh “{upload.label}”: {exc}", field="photos") from exc
        except StorageError as exc:  # full disk: the form comes back as typed (507)
            raise ListingError(refusal_message(exc), field="photos") from exc
        entries.append(
            {
                "digest": stored.digest,
                "alt": default_alt[:MAX_ALT],
                "width": stored.width,
                "height": stored.height,
            }
        )
    return entries


def _store_scan(scan: Upload | None) -> str | None:
    if scan is None:
        return None
    try:
        return store_scan(scan.stream)
    except ScanRejected as exc:
        raise ListingError(str(exc), field="certificate_scan") from exc
    except StorageError as exc:
        raise ListingError(refusal_message(exc), field="certificate_scan") from exc


def _merge_photos(existing: list[dict], added: list[dict]) -> list[dict]:
    seen = {entry["digest"] for entry in existing}
    merged = list(existing)
    for entry in added:
        if entry["digest"] not in seen:
            seen.add(entry["digest"])
            merged.append(entry)
    return merged


# -- transitions ---------------------------------------------------------------------------


def create_draft(
    user: User,
    values: dict[str, Any],
    *,
    photos: Sequence[Upload] = (),
    scan: Upload | None = None,
) -> Product:
    _check_producer(user)
    producer = user.producer
    name = clean_text(values.get("name"))
    if not name:
        raise ListingError("Vui lòng nhập tên sản phẩm.", field="name")
    images = _store_photos(photos, 0, name)
    scan_name = _store_scan(scan)
    with write_transaction():
        product = Product(
            name=name,
            name_key=normalize_key(name),
            slug=unique_slug(Product, name, hint=producer.province.name),
            producer_id=producer.id,
            province_id=values.get("province_id") or producer.province_id,
            status="draft",
        )
        _check_unique_name(product, name)
        _apply_values(product, {**values, "name": name, "province_id": product.province_id})
        if scan_name:
            product.certificate_scan = scan_name
        db.session.add(product)
        db.session.flush()
        replace_images(product, _merge_photos([], images))
        audit.record(user, "listing.create", "product", product.id, after=_snapshot(product))
        outbox.record([product.id], "listing_create")  # drafts are never indexed: a no-op
    return product


def update(
    user: User,
    product: Product,
    values: dict[str, Any],
    *,
    photos: Sequence[Upload] = (),
    scan: Upload | None = None,
) -> Product:
    """Save the producer's edit: in place before publication, as a pending change after."""
    _check_producer(user)
    if not is_editable(product):
        raise ListingError("Không thể sửa sản phẩm đang bị ẩn.")
    current = working_copy(product)
    images = _store_photos(photos, len(current["images"]), values.get("name") or product.name)
    scan_name = _store_scan(scan)
    new_values = dict(values)
    if scan_name:
        new_values["certificate_scan"] = scan_name
    if images:
        new_values["images"] = _merge_photos(current["images"], images)
    _save(user, product, new_values, "listing.edit")
    return product


def _save(user: User, product: Product, values: dict[str, Any], action: str) -> None:
    """One write: the new working copy, in place or as the pending change."""
    if len(values.get("images") or ()) > MAX_PHOTOS:
        raise ListingError(f"Mỗi sản phẩm có tối đa {MAX_PHOTOS} ảnh.", field="photos")
    with write_transaction():
        before = working_copy(product)
        if values.get("name"):
            _check_unique_name(product, values["name"])
        if product.status == "published":
            change = _jsonable_change({**before, **values})
            missing = _missing_required(change)
            if missing:
                raise ListingError("Sản phẩm đang đăng cần có " + ", ".join(missing) + ".")
            if change == _jsonable_change(_snapshot(product)):
                product.pending_changes = None  # edited back to what is live
                product.review_state = None
            else:
                # The published version stays live; the change goes to the officials.
                product.pending_changes = change
                product.review_state = "submitted"
                product.submitted_at = utcnow()
            action = action.replace("listing.", "listing.change_")
        else:
            images = values.get("images")
            old_name = product.name
            _apply_values(product, values)
            if images is not None:
                replace_images(product, images)
            if product.published_at is None and product.name != old_name:
                product.slug = unique_slug(
                    Product,
                    product.name,
                    exclude_id=product.id,
                    hint=product.producer.province.name,
                )
        audit.record(
            user, action, "product", product.id, before=before, after=working_copy(product)
        )
        outbox.record([product.id], action[:40])


def submit(user: User, product: Product) -> Product:
    """Send a draft (or a listing that needed changes) or a pending change for review."""
    _check_producer(user)
    producer = user.producer
    if producer.status == "rejected":
        raise ListingError("Hồ sơ cơ sở chưa được chấp nhận nên chưa thể gửi duyệt sản phẩm.")
    if user.email_verified_at is None:
        raise ListingError("Vui lòng xác nhận địa chỉ e-mail trước khi gửi duyệt.")
    problems = completeness(product)["missing_required"]
    if problems:
        raise ListingError("Chưa thể gửi duyệt, còn thiếu: " + ", ".join(problems) + ".")
    with write_transaction():
        before = {"status": product.status, "review_state": product.review_state}
        if product.status in EDITABLE_STATES:
            product.status = "submitted"
        elif has_pending_change(product) and product.review_state in ("draft", "changes_requested"):
            product.review_state = "submitted"
        else:
            raise ListingError("Sản phẩm này không ở trạng thái có thể gửi duyệt.")
        product.submitted_at = utcnow()
        after = {"status": product.status, "review_state": product.review_state}
        audit.record(user, "listing.submit", "product", product.id, before=before, after=after)
        outbox.record([product.id], "listing_submit")
    return product


def discard_change(user: User, product: Product) -> Product:
    """Drop the pending change of a published listing; the live version is untouched."""
    if not has_pending_change(product):
        raise ListingError("Sản phẩm này không có thay đổi nào đang chờ.")
    with write_transaction():
        before = working_copy(product)
        product.pending_changes = None
        product.review_state = None
        audit.record(
            user,
            "listing.change_discard",
            "product",
            product.id,
            before=before,
            after=working_copy(product),
        )
        outbox.record([product.id], "listing_change_discard")
    return product


def delete_draft(user: User, product: Product) -> None:
    if product.status not in (*EDITABLE_STATES, "submitted") or product.published_at is not None:
        raise ListingError("Chỉ xoá được sản phẩm chưa từng được đăng.")
    with write_transaction():
        audit.record(user, "listing.delete", "product", product.id, before=_snapshot(product))
        outbox.record([product.id], "listing_delete")
        db.session.delete(product)


def unpublish(user: User, product: Product) -> Product:
    """The producer takes a published listing off the site (out of season, sold out)."""
    if product.status != "published":
        raise ListingError("Chỉ tạm ẩn được sản phẩm đang đăng.")
    with write_transaction():
        product.status = "hidden"
        audit.record(
            user,
            "listing.unpublish",
            "product",
            product.id,
            before={"status": "published"},
            after={"status": "hidden"},
        )
        outbox.record([product.id], "listing_unpublish")
    return product


def hidden_by_producer(product: Product) -> bool:
    """Whether the listing is hidden because its producer hid it (not an official)."""
    if product.status != "hidden":
        return False
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "product", AuditEntry.entity_id == product.id)
        .order_by(AuditEntry.id.desc())
    )
    for entry in entries:
        if (entry.after or {}).get("status") == "hidden":
            return entry.action == "listing.unpublish"
    return False


def republish(user: User, product: Product) -> Product:
    """Show again a listing the producer hid; one hidden by an official stays hidden."""
    if not hidden_by_producer(product):
        raise ListingError("Sản phẩm này do cán bộ ẩn; vui lòng liên hệ cán bộ phụ trách.")
    with write_transaction():
        product.status = "published"
        audit.record(
            user,
            "listing.republish",
            "product",
            product.id,
            before={"status": "hidden"},
            after={"status": "published"},
        )
        outbox.record([product.id], "listing_republish")
    return product


# -- photos --------------------------------------------------------------------------------


def add_photo(user: User, product: Product, source: Any, alt: str = "") -> Product:
    """Append one photo (bytes or a stream) to the listing, captioned `alt`."""
    _check_producer(user)
    if not is_editable(product):
        raise ListingError("Không thể sửa sản phẩm đang bị ẩn.")
    current = working_copy(product)
    (entry,) = _store_photos([Upload(source)], len(current["images"]), product.name)
    entry["alt"] = clean_text(alt)[:MAX_ALT] or entry["alt"]
    _save(user, product, {"images": _merge_photos(current["images"], [entry])}, "listing.photos")
    return product


def arrange_photos(
    user: User,
    product: Product,
    alts: dict[str, str],
    *,
    move: tuple[str, int] | None = None,
    remove: str | None = None,
) -> Product:
    """Re-caption, move one photo up (-1) or down (+1), or drop one; keyed by digest."""
    _check_producer(user)
    if not is_editable(product):
        raise ListingError("Không thể sửa sản phẩm đang bị ẩn.")
    images = [dict(entry) for entry in working_copy(product)["images"]]
    for index, entry in enumerate(images):
        if entry["digest"] in alts:
            alt = clean_text(alts[entry["digest"]])[:MAX_ALT]
            if not alt and entry["digest"] != remove:
                raise ListingError("Vui lòng mô tả ngắn nội dung ảnh.", field=f"alt-{index}")
            entry["alt"] = alt
    digests = [entry["digest"] for entry in images]
    if remove is not None and remove in digests:
        images.pop(digests.index(remove))
    elif move is not None and move[0] in digests:
        index = digests.index(move[0])
        target = index + move[1]
        if 0 <= target < len(images):
            images[index], images[target] = images[target], images[index]
    _save(user, product, {"images": images}, "listing.photos")
    return product


# -- what a listing still lacks ------------------------------------------------------------


def _missing_required(values: dict[str, Any]) -> list[str]:
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
    return {"missing_required": _missing_required(values), "missing_optional": optional}


# -- labels for the producer's pages --------------------------------------------------------

STATUS_LABELS = {
    "draft": ("Nháp", "muted"),
    "submitted": ("Chờ duyệt", "warning"),
    "published": ("Đã đăng", "ok"),
    "changes_requested": ("Cần chỉnh sửa", "warning"),
    "rejected": ("Bị từ chối", "danger"),
    "hidden": ("Đã ẩn", "muted"),
}
CHANGE_LABELS = {
    "submitted": ("Thay đổi đang chờ duyệt", "warning"),
    "changes_requested": ("Thay đổi cần chỉnh sửa", "warning"),
    "rejected": ("Thay đổi bị từ chối", "danger"),
}


def status_labels(product: Product) -> list[tuple[str, str]]:
    """(label, tone) pairs describing where a listing stands, for the producer."""
    labels = [STATUS_LABELS.get(product.status, (product.status, "muted"))]
    if product.status == "published":
        if product.pending_changes and product.review_state in CHANGE_LABELS:
            labels.append(CHANGE_LABELS[product.review_state])
        elif product.review_state == "rejected":
            labels.append(CHANGE_LABELS["rejected"])
        if product.producer.status != "active":
            labels.append(("Hiển thị khi hồ sơ cơ sở được duyệt", "muted"))
    elif product.status == "submitted" and product.producer.status != "active":
        labels.append(("Chờ duyệt cùng hồ sơ cơ sở", "muted"))
    return labels


@dataclass(frozen=True)
class ListingRow:
    """One line of the producer's dashboard."""

    product: Product
    name: str
    labels: list[tuple[str, str]]
    missing: list[str]
    note: str | None


def overview(products: list[Product]) -> list[ListingRow]:
    rows = []
    for product in products:
        values = working_copy(product)
        state = completeness(product)
        hints = []
        if not values["images"]:
            hints.append("chưa có ảnh")
        elif len(values["images"]) < 3:
            hints.append("nên thêm ảnh")
        if len((values["description"] or "").strip()) < MIN_DESCRIPTION:
            hints.append("mô tả còn ngắn")
        if values["category_id"] is None:
            hints.append("chưa chọn nhóm OCOP")
        if values["ocop_stars"] and not (values["certificate_no"] and values["certificate_scan"]):
            hints.append("thiếu thông tin chứng nhận")
        if not hints and state["missing_optional"]:
            hints.extend(state["missing_optional"])
        rows.append(
            ListingRow(product, values["name"], status_labels(product), hints, product.review_note)
        )
    return rows
