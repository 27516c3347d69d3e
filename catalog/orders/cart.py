"""The buyer's cart: product id → quantity, kept by the web layer in the signed session (no
account needed), and what can go in it.

The session only says what the buyer wanted. Everything else (name, price, whether the
producer still takes orders) is read from the database each time, so a stale or tampered
cart can never order a hidden product or fix its own price. Whatever does not fit the rules
is dropped, never trusted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from catalog.errors import Invalid
from catalog.extensions import db
from catalog.models import Producer, Product, User

MAX_QUANTITY = 9999
MAX_LINES = 30  # distinct products; keeps the session cookie far below 4 KB


class CartError(Invalid):
    """A polite reason the cart change was refused; `field` names the form field."""

    def __init__(self, message: str, field: str | None = "quantity") -> None:
        super().__init__(message, field)


def parse_quantity(text: Any) -> int:
    """'3' → 3. Whole numbers from 1 to 9999 only: no signs, decimals or letters."""
    value = str(text if text is not None else "").strip()
    if not value:
        raise CartError("Vui lòng nhập số lượng.")
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        raise CartError(f"Số lượng là số nguyên từ 1 đến {MAX_QUANTITY}.")
    quantity = int(value)
    if not 1 <= quantity <= MAX_QUANTITY:
        raise CartError(f"Số lượng là số nguyên từ 1 đến {MAX_QUANTITY}.")
    return quantity


def parse(raw: Any) -> dict[int, int]:
    """The cart from whatever the session holds; anything malformed is left out."""
    if not isinstance(raw, dict):
        return {}
    cart: dict[int, int] = {}
    for key, value in list(raw.items())[: MAX_LINES * 2]:
        if not isinstance(key, str) or not key.isdigit() or len(key) > 12:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        if 1 <= value <= MAX_QUANTITY and len(cart) < MAX_LINES:
            cart[int(key)] = value
    return cart


def dump(cart: dict[int, int]) -> dict[str, int]:
    """What the session stores (JSON keys are strings)."""
    return {str(product_id): quantity for product_id, quantity in cart.items()}


def add(cart: dict[int, int], product_id: int, quantity: int) -> dict[int, int]:
    """The cart with `quantity` more of the product (capped at the maximum)."""
    if product_id not in cart and len(cart) >= MAX_LINES:
        raise CartError(f"Giỏ hàng có tối đa {MAX_LINES} sản phẩm. Vui lòng gửi yêu cầu trước.")
    product = orderable_product(product_id)
    if product is None:
        raise CartError(REFUSED, field=None)
    return {**cart, product_id: min(cart.get(product_id, 0) + quantity, MAX_QUANTITY)}


def set_quantity(cart: dict[int, int], product_id: int, quantity: int) -> dict[int, int]:
    if product_id not in cart:
        return cart
    return {**cart, product_id: quantity}


def remove(cart: dict[int, int], product_id: int) -> dict[int, int]:
    return {k: v for k, v in cart.items() if k != product_id}


REFUSED = (
    "Sản phẩm này hiện không nhận đặt hàng qua Chợ Việt. "
    "Vui lòng liên hệ trực tiếp với cơ sở sản xuất."
)


# -- what may be ordered ----------------------------------------------------------------------


def producers_with_accounts(producer_ids: Iterable[int]) -> set[int]:
    """Producers with at least one active account: someone to receive the requests."""
    ids = set(producer_ids)
    if not ids:
        return set()
    stmt = select(User.producer_id).where(User.producer_id.in_(ids), User.active.is_(True))
    return set(db.session.scalars(stmt.distinct()))


def takes_orders(producer: Producer | None) -> bool:
    """Whether the product page offers the order form (else the contact details only)."""
    if producer is None or not producer.is_public or not producer.accepts_orders:
        return False
    return bool(producers_with_accounts([producer.id]))


def orderable_product(product_id: int) -> Product | None:
    product = db.session.get(Product, product_id)
    if product is None or not product.is_public or not takes_orders(product.producer):
        return None
    return product


@dataclass(frozen=True)
class Line:
    product: Product
    quantity: int

    @property
    def total_vnd(self) -> int | None:
        price = self.product.price_vnd
        return None if price is None else price * self.quantity


@dataclass(frozen=True)
class Group:
    """The lines of one producer: they become one order request."""

    producer: Producer
    lines: list[Line]

    @property
    def total_vnd(self) -> int:
        return sum(line.total_vnd or 0 for line in self.lines)

    @property
    def has_unpriced(self) -> bool:
        return any(line.total_vnd is None for line in self.lines)


@dataclass(frozen=True)
class CartView:
    groups: list[Group]
    kept: dict[int, int]  # the cart without what was dropped
    dropped: list[str] = field(default_factory=list)  # names of products left out
    unknown: int = 0  # ids no longer in the catalogue at all

    @property
    def count(self) -> int:
        return sum(self.kept.values())


def load(cart: dict[int, int]) -> CartView:
    """The cart's products grouped by producer (in the order first added), with what can no
    longer be ordered left out and named."""
    products = {
        p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(list(cart))))
    }
    accounts = producers_with_accounts(p.producer_id for p in products.values())
    groups: dict[int, Group] = {}
    kept: dict[int, int] = {}
    dropped: list[str] = []
    for product_id, quantity in cart.items():
        product = products.get(product_id)
        if product is None:
            continue
        producer = product.producer
        if not product.is_public or not producer.accepts_orders or producer.id not in accounts:
            dropped.append(product.name)
            continue
        kept[product_id] = quantity
        group = groups.setdefault(producer.id, Group(producer, []))
        group.lines.append(Line(product, quantity))
    unknown = sum(1 for product_id in cart if product_id not in products)
    return CartView(list(groups.values()), kept, dropped, unknown)
