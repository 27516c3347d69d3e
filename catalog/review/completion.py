"""Officials complete imported entries that lack details (queue kind "incomplete").

Only what is missing may be filled here: a producer's type or its first contact (phone,
e-mail, address), a product's OCOP group. Everything else goes through the producer's own
profile or a listing change, which keep their review rules. The values pass the same checks
as the producer's forms (services own the rules: a form is only the first line).
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import PRODUCER_TYPES, Category, Producer, Product, User
from catalog.platform import audit, outbox
from catalog.platform.numbers import row_id
from catalog.platform.vietnamese import clean_text, normalize_phone
from catalog.review.decision_steps import EntryNotFound, ModerationError, check_scope
from catalog.review.review_queue import producer_gaps, product_gaps

CONTACT_FIELDS = ("phone", "email", "address")
Entry = TypeVar("Entry", Producer, Product)
NOT_FOUND = {
    Producer: "Không tìm thấy cơ sở sản xuất này.",
    Product: "Không tìm thấy sản phẩm này (có thể cơ sở đã xóa).",
}
NOTHING_MISSING = {
    Producer: "Hồ sơ cơ sở này đã đủ thông tin.",
    Product: "Sản phẩm này đã có nhóm sản phẩm OCOP.",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CompletionError(ModerationError):
    """A value the service refuses; `field` names the form field it belongs to."""


def _waiting_entry(official: User, model: type[Entry], entry_id: int) -> Entry:
    """The entry, if it exists, is the official's and still lacks something."""
    entry = db.session.get(model, entry_id)
    if entry is None:
        raise EntryNotFound(NOT_FOUND[model])
    check_scope(official, entry.province_id)
    gaps = producer_gaps(entry) if isinstance(entry, Producer) else product_gaps(entry)
    if not gaps:
        raise CompletionError(NOTHING_MISSING[model])
    return entry


def _producer_values(producer: Producer, values: dict[str, Any]) -> dict[str, Any]:
    gaps = producer_gaps(producer)
    clean: dict[str, Any] = {}
    if "type" in gaps:
        kind = values.get("type") or None
        if kind not in PRODUCER_TYPES:
            raise CompletionError("Vui lòng chọn loại hình.", field="type")
        clean["type"] = kind
    if "contact" in gaps:
        phone = clean_text(values.get("phone") or "")
        email = clean_text(values.get("email") or "").lower()
        address = clean_text(values.get("address") or "")
        if phone:
            clean["phone"] = normalize_phone(phone)
            if clean["phone"] is None:
                raise CompletionError("Số điện thoại không đúng.", field="phone")
        if email:
            if len(email) > 200 or not _EMAIL.match(email):
                raise CompletionError("Địa chỉ e-mail không hợp lệ.", field="email")
            clean["email"] = email
        if address:
            if len(address) > 300:
                raise CompletionError("Tối đa 300 ký tự.", field="address")
            clean["address"] = address
        if not (phone or email or address):
            raise CompletionError(
                "Vui lòng nhập ít nhất một cách liên lạc: điện thoại, e-mail hoặc địa chỉ.",
                field="phone",
            )
    return clean


def complete_producer(official: User, producer_id: int, values: dict[str, Any]) -> Producer:
    """Fill a producer's missing type and/or contact; audit entry and index update."""
    with write_transaction():
        producer = _waiting_entry(official, Producer, producer_id)
        clean = _producer_values(producer, values)
        before = {name: getattr(producer, name) for name in clean}
        for name, value in clean.items():
            setattr(producer, name, value)
        audit.record(official, "producer.complete", "producer", producer.id, before=before,
                     after=clean)  # fmt: skip
        outbox.record([p.id for p in producer.products], "producer_complete")
    return producer


def complete_product(official: User, product_id: int, values: dict[str, Any]) -> Product:
    """Give an imported product its missing OCOP group; audit entry and index update."""
    with write_transaction():
        product = _waiting_entry(official, Product, product_id)
        category_id = row_id(values.get("category_id"))
        category = db.session.get(Category, category_id) if category_id else None
        if category is None:
            raise CompletionError("Vui lòng chọn nhóm sản phẩm OCOP.", field="category_id")
        product.category_id = category.id
        audit.record(
            official,
            "product.complete",
            "product",
            product.id,
            before={"category_id": None},
            after={"category_id": category.id, "category": category.name},
        )
        outbox.record([product.id], "product_complete")
    return product
