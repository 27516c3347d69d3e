"""Producers' own listings: drafts, photos, certificate scans, submission for review.

A listing that has never been published is edited in place (draft → submitted → published,
rejected or changes_requested; officials decide in moderation.py). A published listing stays
live while the producer's edit waits in `pending_changes` (review_state: draft → submitted →
approved, rejected or changes_requested) until an official approves it. Every transition is
one write transaction with an audit entry and an index outbox row, so search follows.

What a listing holds and still lacks is in listing_values.py, its files in
listing_uploads.py (photos that do not fit are left out and named in `notes`, the others
kept), the producer's quotas in quotas.py, how it is labelled for the producer in
listing_status.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.listings import live_changes, quotas
from catalog.listings.listing_uploads import (
    PhotoBatch,
    Upload,
    merge_photos,
    store_certificate_scan,
    store_photos,
)
from catalog.listings.listing_values import (
    EDITABLE_STATES,
    MAX_ALT,
    MAX_PHOTOS,
    ListingError,
    apply_values,
    completeness,
    has_pending_change,
    is_editable,
    jsonable_change,
    missing_required,
    replace_images,
    snapshot,
    working_copy,
)
from catalog.models import AuditEntry, Producer, Product, User
from catalog.models.statuses import ProducerStatus, ProductStatus, ReviewState
from catalog.platform import audit, outbox
from catalog.platform.clock import utcnow
from catalog.platform.slugs import unique_slug
from catalog.platform.vietnamese import clean_text, normalize_key

# -- checks --------------------------------------------------------------------------------


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


def _check_editable(user: User, product: Product) -> None:
    _check_producer(user)
    if not is_editable(product):
        raise ListingError("Không thể sửa sản phẩm đang bị ẩn.")


def _check_producer(user: User) -> Producer:
    producer = user.producer
    if producer is None:
        raise ListingError("Tài khoản của bạn chưa gắn với cơ sở sản xuất nào.")
    if producer.status == ProducerStatus.SUSPENDED:
        raise ListingError("Cơ sở đang bị tạm ngưng; chưa thể thay đổi sản phẩm.")
    return producer


# -- transitions ---------------------------------------------------------------------------


def _ledger(producer_id: int, photos: Sequence[Upload], scan: Upload | None) -> quotas.Ledger:
    """The producer's quota ledger for this request (an empty one when no file came)."""
    if photos or scan is not None:
        return quotas.Ledger.of(producer_id)
    return quotas.Ledger(producer_id)


def _note(notes: list[str] | None, batch: PhotoBatch) -> None:
    if notes is not None and batch.left_out:
        notes.append(batch.notice())


def create_draft(
    user: User,
    values: dict[str, Any],
    *,
    photos: Sequence[Upload] = (),
    scan: Upload | None = None,
    notes: list[str] | None = None,
) -> Product:
    """A new draft with the photos that fit (the others named in `notes`); QuotaExceeded
    once the producer created today's allowance of listings, before any file is stored."""
    producer = _check_producer(user)
    name = clean_text(values.get("name"))
    if not name:
        raise ListingError("Vui lòng nhập tên sản phẩm.", field="name")
    quotas.check_new_listing(producer.id)
    ledger = _ledger(producer.id, photos, scan)
    with ledger.kept():
        scan_name = store_certificate_scan(ledger, scan)
        batch = store_photos(ledger, photos, 0, name)
        product = _insert_draft(user, producer, name, values, batch.entries, scan_name, ledger)
    _note(notes, batch)
    return product


def _insert_draft(
    user: User,
    producer: Producer,
    name: str,
    values: dict[str, Any],
    images: list[dict],
    scan_name: str | None,
    ledger: quotas.Ledger,
) -> Product:
    with write_transaction():
        quotas.check_new_listing(producer.id)  # again, under the write lock: no two tabs
        ledger.write()
        product = Product(
            name=name,
            name_key=normalize_key(name),
            slug=unique_slug(Product, name, hint=producer.province.name),
            producer_id=producer.id,
            province_id=values.get("province_id") or producer.province_id,
            status="draft",
        )
        _check_unique_name(product, name)
        apply_values(product, {**values, "name": name, "province_id": product.province_id})
        if scan_name:
            product.certificate_scan = scan_name
        db.session.add(product)
        db.session.flush()
        replace_images(product, merge_photos([], images))
        audit.record(user, "listing.create", "product", product.id, after=snapshot(product))
        outbox.record([product.id], "listing_create")  # drafts are never indexed: a no-op
    return product


def update(
    user: User,
    product: Product,
    values: dict[str, Any],
    *,
    photos: Sequence[Upload] = (),
    scan: Upload | None = None,
    notes: list[str] | None = None,
) -> Product:
    """Save the producer's edit: in place before publication, as a pending change after,
    with the photos that fit (the others named in `notes`)."""
    _check_editable(user, product)
    current = working_copy(product)
    ledger = _ledger(product.producer_id, photos, scan)
    with ledger.kept():
        scan_name = store_certificate_scan(ledger, scan)
        batch = store_photos(
            ledger, photos, len(current["images"]), values.get("name") or product.name
        )
        new_values = dict(values)
        if scan_name:
            new_values["certificate_scan"] = scan_name
        if batch.entries:
            new_values["images"] = merge_photos(current["images"], batch.entries)
        _save(user, product, new_values, "listing.edit", ledger)
    _note(notes, batch)
    return product


def _save(
    user: User,
    product: Product,
    values: dict[str, Any],
    action: str,
    ledger: quotas.Ledger | None = None,
) -> None:
    """One write: the new working copy, in place or as the pending change (and the files
    this request stored, in the producer's ledger)."""
    if len(values.get("images") or ()) > MAX_PHOTOS:
        raise ListingError(f"Mỗi sản phẩm có tối đa {MAX_PHOTOS} ảnh.", field="photos")
    with write_transaction():
        if ledger is not None:
            ledger.write()
        before = working_copy(product)
        if values.get("name"):
            _check_unique_name(product, values["name"])
        if product.status == ProductStatus.PUBLISHED:
            change = jsonable_change({**before, **values})
            missing = missing_required(change)
            if missing:
                raise ListingError("Sản phẩm đang đăng cần có " + ", ".join(missing) + ".")
            live_changes.apply_live(user, product, change)
            if change == live_changes.without_live(jsonable_change(snapshot(product))):
                product.pending_changes = None  # edited back to what is live
                product.review_state = None
            else:
                # The published version stays live; the change goes to the officials.
                product.pending_changes = change
                product.review_state = ReviewState.SUBMITTED
                product.submitted_at = utcnow()
            action = action.replace("listing.", "listing.change_")
        else:
            images = values.get("images")
            old_name = product.name
            apply_values(product, values)
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
    producer = _check_producer(user)
    if producer.status == ProducerStatus.REJECTED:
        raise ListingError("Hồ sơ cơ sở chưa được chấp nhận nên chưa thể gửi duyệt sản phẩm.")
    if user.email_verified_at is None:
        raise ListingError("Vui lòng xác nhận địa chỉ e-mail trước khi gửi duyệt.")
    problems = completeness(product)["missing_required"]
    if problems:
        raise ListingError("Chưa thể gửi duyệt, còn thiếu: " + ", ".join(problems) + ".")
    with write_transaction():
        before = {"status": product.status, "review_state": product.review_state}
        if product.status in EDITABLE_STATES:
            product.status = ProductStatus.SUBMITTED
        elif has_pending_change(product) and product.review_state in ("draft", "changes_requested"):
            product.review_state = ReviewState.SUBMITTED
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
        raise ListingError("Chỉ xóa được sản phẩm chưa từng được đăng.")
    with write_transaction():
        audit.record(user, "listing.delete", "product", product.id, before=snapshot(product))
        outbox.record([product.id], "listing_delete")
        db.session.delete(product)


def unpublish(user: User, product: Product) -> Product:
    """The producer takes a published listing off the site (out of season, sold out)."""
    if product.status != ProductStatus.PUBLISHED:
        raise ListingError("Chỉ tạm ẩn được sản phẩm đang đăng.")
    return _switch_status(user, product, ProductStatus.HIDDEN, "unpublish")


def hidden_by_producer(product: Product) -> bool:
    """Whether the listing is hidden because its producer hid it (not an official)."""
    if product.status != ProductStatus.HIDDEN:
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
    return _switch_status(user, product, ProductStatus.PUBLISHED, "republish")


def _switch_status(user: User, product: Product, status: ProductStatus, action: str) -> Product:
    """The producer hides or shows a listing: one write with its audit entry and outbox row."""
    with write_transaction():
        before = {"status": str(product.status)}
        product.status = status
        audit.record(
            user,
            f"listing.{action}",
            "product",
            product.id,
            before=before,
            after={"status": str(status)},
        )
        outbox.record([product.id], f"listing_{action}")
    return product


# -- photos --------------------------------------------------------------------------------


def add_photo(user: User, product: Product, source: Any, alt: str = "") -> Product:
    """Append one photo (bytes or a stream) to the listing, captioned `alt`."""
    _check_editable(user, product)
    current = working_copy(product)
    ledger = quotas.Ledger.of(product.producer_id)
    with ledger.kept():
        batch = store_photos(ledger, [Upload(source)], len(current["images"]), product.name)
        (entry,) = batch.entries
        entry["alt"] = clean_text(alt)[:MAX_ALT] or entry["alt"]
        images = merge_photos(current["images"], [entry])
        _save(user, product, {"images": images}, "listing.photos", ledger)
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
    _check_editable(user, product)
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
