"""Price, unit and stock of a published listing change at once (issue 14.6).

They are not trust claims: a buyer is better served by today's price and "hết hàng" than
by a review queue. So a producer's edit applies them to the live product straight away
(audited as "listing.live_edit", re-indexed), while name, group, origin, certificate and
description still wait for review as a pending change. An official of the province can
revert one such edit (`revert`), with a reason the producer receives; a revert is refused
(409) once the values have changed again since, so it never undoes a later edit unseen.
"""

from __future__ import annotations

from typing import Any

from catalog.database import write_transaction
from catalog.errors import Conflict
from catalog.extensions import db
from catalog.listings.listing_values import LIVE_FIELDS, apply_values, live_value
from catalog.models import AuditEntry, Product, User
from catalog.platform import audit, outbox
from catalog.review.decision_steps import EntryNotFound, ModerationError, check_scope, notify

__all__ = ["LIVE_ACTION", "REVERT_ACTION", "apply_live", "recent", "revert", "without_live"]

LIVE_ACTION = "listing.live_edit"
REVERT_ACTION = "product.live_revert"
MAX_REASON = 2000


def without_live(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in LIVE_FIELDS}


def apply_live(user: User, product: Product, change: dict[str, Any]) -> None:
    """Apply the live fields of `change` to the published product and take them out of it
    (inside the caller's transaction); what is left is the change that waits for review."""
    live = {name: change.pop(name) for name in LIVE_FIELDS if name in change}
    changed = {name: v for name, v in live.items() if live_value(product, name) != v}
    if not changed:
        return
    before = {name: live_value(product, name) for name in changed}
    apply_values(product, changed)
    audit.record(user, LIVE_ACTION, "product", product.id, before=before, after=changed)
    outbox.record([product.id], "listing_live_edit")


def recent(product: Product, limit: int = 10) -> list[AuditEntry]:
    """The product's latest live edits, newest first (the officials' page offers a revert)."""
    entries = [e for e in audit.history("product", product.id) if e.action == LIVE_ACTION]
    return entries[::-1][:limit]


def revert(official: User, product_id: int, entry_id: int, reason: str | None) -> Product:
    """Put back the values a live edit replaced; the producer is told why."""
    note = " ".join((reason or "").split())
    if not note:
        raise ModerationError("Vui lòng ghi lý do hoàn tác để cơ sở biết.")
    if len(note) > MAX_REASON:
        raise ModerationError(f"Lý do tối đa {MAX_REASON} ký tự.")
    with write_transaction():
        product = db.session.get(Product, product_id)
        entry = db.session.get(AuditEntry, entry_id)
        if (
            product is None
            or entry is None
            or entry.action != LIVE_ACTION
            or entry.entity_type != "product"
            or entry.entity_id != product_id
        ):
            raise EntryNotFound("Không tìm thấy thay đổi này.")
        check_scope(official, product.province_id)
        restored = {k: v for k, v in (entry.before or {}).items() if k in LIVE_FIELDS}
        now = {name: live_value(product, name) for name in restored}
        if now != {k: v for k, v in (entry.after or {}).items() if k in restored}:
            raise Conflict(
                "Giá trị đã thay đổi sau lần sửa này nên không hoàn tác được; vui lòng tải "
                "lại trang và xem giá trị hiện tại."
            )
        apply_values(product, restored)
        audit.record(
            official,
            REVERT_ACTION,
            "product",
            product.id,
            before=now,
            after=restored,
            reason=note,
        )
        outbox.record([product.id], "product_live_revert")
        notify(
            product.producer,
            f"thay đổi của sản phẩm {product.name} đã được hoàn tác",
            f"Cán bộ quản lý đã hoàn tác thay đổi giá, đơn vị tính hoặc tình trạng hàng "
            f"của sản phẩm {product.name}.\n\nLý do: {note}",
        )
    return product
