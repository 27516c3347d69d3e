"""Order requests ("yêu cầu đặt hàng"): a buyer asks a producer for products; no payment
online, the producer delivers and collects as it does today.

One request per producer (a cart with products of several producers is split), each with a
private tracking link whose token is stored only as its SHA-256 hash. Items keep a snapshot of
the product's name, unit and price, so later edits never change what was asked for.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.extensions import Model
from catalog.models._common import UTCDateTime, utcnow, version_column
from catalog.models.geo import Province
from catalog.models.people import User
from catalog.models.producers import Producer

ORDER_STATES = {
    "new": "Mới gửi",
    "confirmed": "Cơ sở đã xác nhận",
    "delivered": "Đã giao hàng",
    "cancelled": "Đã hủy",
}


class OrderRequest(Model):
    __tablename__ = "order_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    producer_id: Mapped[int] = mapped_column(
        ForeignKey("producers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    buyer_name: Mapped[str] = mapped_column(String(200))
    # National digits (vietnamese.normalize_phone): what blocks compare against.
    buyer_phone: Mapped[str] = mapped_column(String(20), index=True)
    buyer_email: Mapped[str | None] = mapped_column(String(254))
    # The language the form was filled in ("vi", "en"): later e-mails follow it.
    locale: Mapped[str] = mapped_column(String(5), default="vi", server_default="vi")
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    ward_code: Mapped[int] = mapped_column()
    ward_name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    # Sum of the priced items (VND); items "giá liên hệ" are agreed by phone.
    total_vnd: Mapped[int] = mapped_column(default=0)
    has_unpriced: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}

    producer: Mapped[Producer] = relationship()
    province: Mapped[Province] = relationship(lazy="joined")
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return ORDER_STATES.get(self.status, self.status)

    @property
    def code(self) -> str:
        """What the buyer and the producer say on the phone: "DH-000123"."""
        return f"DH-{self.id:06d}"


class OrderItem(Model):
    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("order_requests.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), index=True
    )
    product_name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(40))
    unit_price_vnd: Mapped[int | None] = mapped_column()
    quantity: Mapped[int] = mapped_column()

    order: Mapped[OrderRequest] = relationship(back_populates="items")

    @property
    def line_total_vnd(self) -> int | None:
        return None if self.unit_price_vnd is None else self.unit_price_vnd * self.quantity


class OrderEvent(Model):
    """A status change by the producer, with a note the buyer sees on the tracking page."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("order_requests.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status_from: Mapped[str] = mapped_column(String(20))
    status_to: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[OrderRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class BlockedPhone(Model):
    """A phone number a producer no longer takes requests from (spam, pranks, abuse)."""

    __tablename__ = "blocked_phones"
    __table_args__ = (UniqueConstraint("producer_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(
        ForeignKey("producers.id", ondelete="CASCADE"), index=True
    )
    phone: Mapped[str] = mapped_column(String(20))
    blocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
