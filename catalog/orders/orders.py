"""Order requests: placed from the cart (one request per producer), followed by the buyer
through a private link, handled by the producer.

No payment online: producers deliver and collect as they do today, so a request is an
introduction with the details both sides need. Each request has its own random tracking
token, stored only as its SHA-256 hash (the database alone never opens a tracking page), and
a snapshot of each product's name, unit and price at the time of asking.

Handling: new → confirmed → delivered, and new or confirmed → cancelled (with a reason for the
buyer). Delivered and cancelled are final. Every step is an OrderEvent (its note is shown to
the buyer, and e-mailed when they left an address) and an audit entry. A producer may block a
phone number: later requests from it to that producer are refused with a neutral message.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from catalog.database import write_transaction
from catalog.errors import Invalid, NotFound
from catalog.extensions import db
from catalog.listings import profiles
from catalog.models import BlockedPhone, OrderItem, OrderRequest, User
from catalog.orders import cart
from catalog.platform import mail
from catalog.platform.links import site_url
from catalog.platform.number_format import format_vnd
from catalog.platform.tokens import token_hash
from catalog.platform.vietnamese import clean_multiline, clean_text, normalize_phone
from catalog.web.i18n import DEFAULT_LOCALE, LOCALES

NAME_MAX = 200
EMAIL_MAX = 254
ADDRESS_MAX = 300
NOTE_MAX = 1000
TOKEN_BYTES = 24  # 32 URL-safe characters
FINAL = ("delivered", "cancelled")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("confirmed", "cancelled"),
    "confirmed": ("delivered", "cancelled"),
}
# Said to a blocked number, and when nothing in the cart can be sent: no reason given.
NOT_ACCEPTED = (
    "Cơ sở chưa thể nhận yêu cầu đặt hàng này qua Chợ Việt. "
    "Vui lòng liên hệ trực tiếp với cơ sở qua số điện thoại trên trang sản phẩm."
)


class OrderError(Invalid):
    """A polite reason the request or the step is refused; `field` names the form field."""


class OrderNotFound(NotFound):
    """No such request, or not one of this producer's."""


@dataclass(frozen=True)
class Buyer:
    name: str
    phone: str
    province_id: int | None
    ward_code: int | None
    address: str
    email: str = ""
    note: str = ""
    locale: str = "vi"  # the language of the form: the buyer's e-mails follow it


@dataclass(frozen=True)
class Created:
    order: OrderRequest
    token: str  # shown once to the buyer; only its hash is stored


@dataclass(frozen=True)
class Placed:
    created: list[Created]
    refused: list[str]  # producers that did not take the request (names)
    remaining: dict[int, int]  # the cart lines of those producers, kept for the buyer


def checked_buyer(buyer: Buyer) -> Buyer:
    """The buyer's details cleaned, or an OrderError on the first bad field."""
    name, address, note = (
        clean_text(buyer.name),
        clean_text(buyer.address),
        clean_multiline(buyer.note),
    )
    if not name:
        raise OrderError("Vui lòng nhập họ và tên người nhận.", "name")
    if len(name) > NAME_MAX:
        raise OrderError(f"Tối đa {NAME_MAX} ký tự.", "name")
    phone = normalize_phone(buyer.phone or "")
    if phone is None:
        raise OrderError("Số điện thoại không đúng.", "phone")
    email = clean_text(buyer.email)
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise OrderError("Địa chỉ e-mail không hợp lệ.", "email") from exc
        if len(email) > EMAIL_MAX:
            raise OrderError("Địa chỉ e-mail không hợp lệ.", "email")
    if not profiles.ward_choices(buyer.province_id):
        raise OrderError("Vui lòng chọn tỉnh, thành phố.", "province_id")
    if profiles.ward_name(buyer.province_id, buyer.ward_code) is None:
        raise OrderError("Vui lòng chọn phường, xã thuộc tỉnh đã chọn.", "ward_code")
    if not address:
        raise OrderError("Vui lòng nhập địa chỉ nhận hàng.", "address")
    if len(address) > ADDRESS_MAX:
        raise OrderError(f"Tối đa {ADDRESS_MAX} ký tự.", "address")
    if len(note) > NOTE_MAX:
        raise OrderError(f"Tối đa {NOTE_MAX} ký tự.", "note")
    locale = buyer.locale if buyer.locale in LOCALES else DEFAULT_LOCALE
    return Buyer(name, phone, buyer.province_id, buyer.ward_code, address, email, note, locale)


# -- placing ------------------------------------------------------------------------------------


def place(items: dict[int, int], buyer: Buyer) -> Placed:
    """One request per producer of the cart, all in one transaction, each producer's people
    told about their own request only. Nothing is stored when no producer takes it."""
    buyer = checked_buyer(buyer)
    with write_transaction():
        view = cart.load(items)
        if not view.groups:
            raise OrderError("Giỏ hàng chưa có sản phẩm nào có thể đặt.")
        blocked = set(
            db.session.scalars(
                select(BlockedPhone.producer_id).where(BlockedPhone.phone == buyer.phone)
            )
        )
        created: list[Created] = []
        refused: list[str] = []
        remaining: dict[int, int] = {}
        for group in view.groups:
            if group.producer.id in blocked:
                refused.append(group.producer.name)
                remaining |= {line.product.id: line.quantity for line in group.lines}
            else:
                created.append(_create(group, buyer))
        if not created:
            raise OrderError(NOT_ACCEPTED)
        if buyer.email:
            _receipt(buyer, created)
    return Placed(created, refused, remaining)


def _create(group: cart.Group, buyer: Buyer) -> Created:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    order = OrderRequest(
        token_hash=token_hash(token),
        producer_id=group.producer.id,
        status="new",
        buyer_name=buyer.name,
        buyer_phone=buyer.phone,
        buyer_email=buyer.email or None,
        province_id=buyer.province_id,
        ward_code=buyer.ward_code,
        ward_name=profiles.ward_name(buyer.province_id, buyer.ward_code) or "",
        address=buyer.address,
        note=buyer.note or None,
        total_vnd=group.total_vnd,
        has_unpriced=group.has_unpriced,
        locale=buyer.locale,
    )
    order.items = [
        OrderItem(
            product_id=line.product.id,
            product_name=line.product.name,
            unit=line.product.unit,
            unit_price_vnd=line.product.price_vnd,
            quantity=line.quantity,
        )
        for line in group.lines
    ]
    db.session.add(order)
    db.session.flush()
    link = site_url("producer.order_detail", order_id=order.id)
    with force_locale(DEFAULT_LOCALE):  # producers read Vietnamese, whatever the buyer chose
        body = (
            f"Có yêu cầu đặt hàng mới {order.code} từ {buyer.name}.\n\n{_summary(order)}\n\n"
            f"Xem, gọi điện xác nhận với người mua và cập nhật trạng thái: {link}"
        )
    for person in _people_of(group.producer.id):
        mail.queue(person.email, f"Chợ Việt: yêu cầu đặt hàng mới {order.code}", body)
    return Created(order, token)


def _summary(order: OrderRequest) -> str:
    """The items and the total, in the current (possibly forced) language."""
    lines = []
    for item in order.items:
        priced = item.unit_price_vnd is not None
        price = format_vnd(item.line_total_vnd) if priced else _("giá liên hệ")
        unit = f" {item.unit}" if item.unit else ""
        lines.append(f"- {item.product_name}: {item.quantity}{unit} ({price})")
    total = _("Tạm tính: %(total)s", total=format_vnd(order.total_vnd))
    if order.has_unpriced:
        total += " " + _("(chưa gồm sản phẩm giá liên hệ)")
    return "\n".join([*lines, total])


def _people_of(producer_id: int) -> list[User]:
    stmt = select(User).where(User.producer_id == producer_id, User.active.is_(True))
    return list(db.session.scalars(stmt.order_by(User.id)))


def _receipt(buyer: Buyer, created: list[Created]) -> None:
    """The buyer's receipt, in the language of the form (tracking links open in it too)."""
    extra = {} if buyer.locale == DEFAULT_LOCALE else {"hl": buyer.locale}
    with force_locale(buyer.locale):
        parts = [
            _(
                "Cảm ơn %(name)s. Chợ Việt đã chuyển yêu cầu đặt hàng của bạn đến %(count)s cơ "
                "sở. Mỗi cơ sở sẽ gọi điện cho bạn để xác nhận và hẹn giao hàng.",
                name=buyer.name,
                count=len(created),
            )
        ]
        for item in created:
            link = site_url("public.order_status", token=item.token, **extra)
            parts.append(
                f"{item.order.code} — {item.order.producer.name}\n{_summary(item.order)}\n"
                + _("Theo dõi: %(link)s", link=link)
            )
        parts.append(_("Đây là các liên kết riêng của bạn: đừng chia sẻ cho người khác."))
        subject = _("Chợ Việt: đã gửi yêu cầu đặt hàng")
    mail.queue(buyer.email, subject, "\n\n".join(parts))


def find_by_token(token: str) -> OrderRequest | None:
    """The request behind a tracking link (None for anything else, garbage included)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(OrderRequest).where(OrderRequest.token_hash == token_hash(token))
    )
