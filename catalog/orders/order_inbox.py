"""The producer's side of order requests: the inbox, status steps and blocked numbers.

A producer's people see and act on their own producer's requests only; anything else is
"not found", so request numbers reveal nothing. Every step is an audit entry; the buyer's
phone number appears in the audit log masked (officials read the log, they do not need it).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import ORDER_STATES, BlockedPhone, OrderEvent, OrderRequest, User
from catalog.orders.orders import (
    FINAL,
    NOTE_MAX,
    TRANSITIONS,
    OrderError,
    OrderNotFound,
)
from catalog.platform import audit, mail
from catalog.platform.clock import utcnow
from catalog.platform.vietnamese import clean_multiline
from catalog.web.i18n import DEFAULT_LOCALE, translate_label


def _producer_id(user: User) -> int:
    if user.producer_id is None:
        raise OrderNotFound("no producer")
    return user.producer_id


def get_for_producer(user: User, order_id: int) -> OrderRequest:
    order = db.session.get(OrderRequest, order_id)
    if order is None or order.producer_id != _producer_id(user):
        raise OrderNotFound()
    return order


def next_statuses(order: OrderRequest) -> tuple[str, ...]:
    return TRANSITIONS.get(order.status, ())


def masked(phone: str) -> str:
    """0912345678 → 0912***678: enough to tell numbers apart in the audit log."""
    return phone[:4] + "***" + phone[-3:] if len(phone) > 7 else "***"


def advance(user: User, order_id: int, status: str, note: str | None) -> OrderRequest:
    """Move the request one step (see TRANSITIONS); the note goes to the buyer."""
    text = clean_multiline(note)
    if len(text) > NOTE_MAX:
        raise OrderError(f"Tối đa {NOTE_MAX} ký tự.", "note")
    with write_transaction():
        order = get_for_producer(user, order_id)
        before = order.status
        if status not in ORDER_STATES or status not in next_statuses(order):
            target = ORDER_STATES.get(status, "trạng thái này")
            raise OrderError(
                f"Không thể chuyển yêu cầu từ “{order.status_label}” sang “{target}”.", "status"
            )
        if status == "cancelled" and not text:
            raise OrderError("Vui lòng ghi lý do hủy để người mua được biết.", "note")
        order.status = status
        order.updated_at = utcnow()
        db.session.add(
            OrderEvent(
                order=order,
                actor_id=user.id,
                status_from=before,
                status_to=status,
                note=text or None,
            )
        )
        audit.record(
            user,
            f"order.{status}",
            "order",
            order.id,
            before={"status": before},
            after={"status": status},
            reason=text,
            province_id=order.producer.province_id,
        )
        if order.buyer_email:
            _tell_buyer(order, text)
    return order


def _tell_buyer(order: OrderRequest, note: str) -> None:
    """The tracking link cannot be rebuilt (only its hash is kept): point to the first mail.
    In the language the buyer ordered in."""
    with force_locale(order.locale or DEFAULT_LOCALE):
        body = _(
            "Yêu cầu đặt hàng %(code)s gửi %(producer)s hiện ở trạng thái: %(status)s.",
            code=order.code,
            producer=order.producer.name,
            status=translate_label(order.status_label),
        )
        if note:
            body += "\n\n" + _("Lời nhắn của cơ sở:") + f"\n{note}"
        body += "\n\n" + _("Xem toàn bộ quá trình qua liên kết riêng trong thư xác nhận đầu tiên.")
        subject = _("Chợ Việt: cập nhật yêu cầu %(code)s", code=order.code)
    mail.queue(order.buyer_email or "", subject, body)


# -- blocked numbers ------------------------------------------------------------------------


def is_blocked(order: OrderRequest) -> bool:
    stmt = select(BlockedPhone.id).where(
        BlockedPhone.producer_id == order.producer_id, BlockedPhone.phone == order.buyer_phone
    )
    return db.session.scalar(stmt) is not None


def block_phone(user: User, order_id: int) -> BlockedPhone:
    """Refuse later requests from this request's phone number (idempotent)."""
    with write_transaction():
        order = get_for_producer(user, order_id)
        existing = db.session.scalar(
            select(BlockedPhone).where(
                BlockedPhone.producer_id == order.producer_id,
                BlockedPhone.phone == order.buyer_phone,
            )
        )
        if existing is not None:
            return existing
        blocked = BlockedPhone(
            producer_id=order.producer_id, phone=order.buyer_phone, blocked_by_id=user.id
        )
        db.session.add(blocked)
        audit.record(
            user,
            "order.block_phone",
            "order",
            order.id,
            after={"phone": masked(order.buyer_phone)},
            province_id=order.producer.province_id,
        )
    return blocked


def unblock(user: User, blocked_id: int) -> None:
    with write_transaction():
        blocked = db.session.get(BlockedPhone, blocked_id)
        if blocked is None or blocked.producer_id != _producer_id(user):
            raise OrderNotFound()
        audit.record(
            user,
            "order.unblock_phone",
            "producer",
            blocked.producer_id,
            before={"phone": masked(blocked.phone)},
        )
        db.session.delete(blocked)


def blocked_numbers(user: User) -> list[BlockedPhone]:
    stmt = select(BlockedPhone).where(BlockedPhone.producer_id == _producer_id(user))
    return list(db.session.scalars(stmt.order_by(BlockedPhone.id.desc())))


# -- the inbox --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inbox:
    items: list[OrderRequest]
    total: int
    counts: dict[str, int]  # per status, all of this producer's requests
    page: int
    pages: int


def inbox(user: User, *, status: str = "", page: int = 1, per_page: int = 25) -> Inbox:
    """This producer's requests, newest first, optionally one status only, paged."""
    own = OrderRequest.producer_id == _producer_id(user)
    counts = dict.fromkeys(ORDER_STATES, 0)
    rows = db.session.execute(
        select(OrderRequest.status, func.count()).where(own).group_by(OrderRequest.status)
    )
    for key, n in rows:
        counts[key] = n
    where = [own, OrderRequest.status == status] if status in ORDER_STATES else [own]
    total = counts[status] if status in ORDER_STATES else sum(counts.values())
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    stmt = (
        select(OrderRequest)
        .where(*where)
        .options(selectinload(OrderRequest.items))
        .order_by(OrderRequest.created_at.desc(), OrderRequest.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Inbox(list(db.session.scalars(stmt)), total, counts, page, pages)


def count_new(user: User) -> int:
    if user.producer_id is None:
        return 0
    stmt = select(func.count()).where(
        OrderRequest.producer_id == user.producer_id, OrderRequest.status == "new"
    )
    return db.session.scalar(stmt) or 0


__all__ = [
    "FINAL",
    "Inbox",
    "OrderError",
    "OrderNotFound",
    "advance",
    "block_phone",
    "blocked_numbers",
    "count_new",
    "get_for_producer",
    "inbox",
    "is_blocked",
    "next_statuses",
    "unblock",
]
