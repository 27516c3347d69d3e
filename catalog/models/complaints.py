"""Complaints ("phản ánh") from consumers about a product or a producer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.extensions import Model
from catalog.models._common import UTCDateTime, utcnow, version_column
from catalog.models.geo import Province
from catalog.models.people import User
from catalog.models.producers import Producer
from catalog.models.products import Product

COMPLAINT_KINDS = {
    "counterfeit": "Hàng giả, hàng nhái",
    "poor_quality": "Chất lượng kém",
    "wrong_info": "Thông tin sai",
    "other": "Vấn đề khác",
}
COMPLAINT_STATES = {
    "new": "Mới tiếp nhận",
    "investigating": "Đang xác minh",
    "resolved": "Đã xử lý",
    "dismissed": "Không có cơ sở",
}


class Complaint(Model):
    """Routed to the officials of the province of the product (or producer).

    The reporter follows it through a private link; only a hash of its token is stored.
    """

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), index=True
    )
    producer_id: Mapped[int | None] = mapped_column(
        ForeignKey("producers.id", ondelete="SET NULL"), index=True
    )
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    # What the complaint was about, as it was named then (survives deletion of the entry).
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text)
    reporter_name: Mapped[str] = mapped_column(String(200), default="")
    reporter_email: Mapped[str | None] = mapped_column(String(254))
    reporter_phone: Mapped[str | None] = mapped_column(String(20))
    # The language the form was filled in ("vi", "en"): later e-mails follow it.
    locale: Mapped[str] = mapped_column(String(5), default="vi", server_default="vi")
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}

    product: Mapped[Product | None] = relationship()
    producer: Mapped[Producer | None] = relationship()
    province: Mapped[Province] = relationship(lazy="joined")
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="all, delete-orphan"
    )

    @property
    def kind_label(self) -> str:
        return COMPLAINT_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return COMPLAINT_STATES.get(self.status, self.status)


class ComplaintEvent(Model):
    """A step in handling: a status change and/or a reply (shown to the reporter) and an
    internal note (officials only)."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status_from: Mapped[str | None] = mapped_column(String(20))
    status_to: Mapped[str | None] = mapped_column(String(20))
    reply: Mapped[str | None] = mapped_column(Text)
    internal_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
