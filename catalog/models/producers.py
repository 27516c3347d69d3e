"""Producers: enterprises, co-operatives, household businesses and co-operative groups."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.extensions import Model
from catalog.models._common import UTCDateTime, utcnow, version_column
from catalog.models.geo import Province
from catalog.models.statuses import ProducerStatus

if TYPE_CHECKING:
    from catalog.models.people import User
    from catalog.models.products import Product

PRODUCER_TYPES = {
    "doanh_nghiep": "Doanh nghiệp",
    "hop_tac_xa": "Hợp tác xã",
    "ho_kinh_doanh": "Hộ kinh doanh",
    "to_hop_tac": "Tổ hợp tác",
}


class Producer(Model):
    __tablename__ = "producers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # normalize_key(name): how imports recognise the same producer without a tax code.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str | None] = mapped_column(String(20))
    tax_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    ward_code: Mapped[int | None] = mapped_column()
    ward_name: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    representative: Mapped[str | None] = mapped_column(String(200))
    facebook_url: Mapped[str | None] = mapped_column(String(300))
    zalo: Mapped[str | None] = mapped_column(String(300))
    logo_digest: Mapped[str | None] = mapped_column(String(64))
    # The latest official's note on the producer's registration.
    review_note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    # "Đã xác minh" (trust.verification.VERIFIED_MEANING): an official checked the papers;
    # set and withdrawn only through catalog/trust/verification.py, with who, when, what.
    verified: Mapped[bool] = mapped_column(default=False)
    verified_note: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, name="fk_producers_verified_by_id_users")
    )
    # "Địa chỉ tin cậy": an official vouches for the producer, with the evidence.
    trusted: Mapped[bool] = mapped_column(default=False, index=True)
    trusted_note: Mapped[str | None] = mapped_column(Text)
    trusted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    trusted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, name="fk_producers_trusted_by_id_users")
    )
    # Takes order requests through the site (needs a signed-up account to receive them);
    # False: a listing only, the product page shows the contact details instead.
    accepts_orders: Mapped[bool] = mapped_column(default=True)
    # Where the entry came from: "import", "self" (registration), "official" (assisted).
    source: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}

    province: Mapped[Province] = relationship(lazy="joined")
    products: Mapped[list[Product]] = relationship(back_populates="producer")
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])

    @property
    def type_label(self) -> str:
        return PRODUCER_TYPES.get(self.type or "", "")

    @property
    def is_public(self) -> bool:
        """The row form of visibility.producer_is_public()."""
        return self.status == ProducerStatus.ACTIVE

    def __repr__(self) -> str:
        return f"<Producer {self.id} {self.name}>"
