"""OCOP certificates as records: each evaluation decision a product received.

The product keeps a copy of its current certificate's stars and dates (the columns the
public pages, filters and the index read); services/certificates.py keeps them in step.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.extensions import Model
from catalog.models._common import UTCDateTime, utcnow, version_column
from catalog.models.people import User

if TYPE_CHECKING:
    from catalog.models.products import Product

EVALUATION_TYPES = {
    "new": "Đánh giá mới",
    "re_evaluation": "Đánh giá lại",
    "upgrade": "Nâng hạng",
}
CERTIFICATE_STATES = {
    "valid": "Còn hiệu lực",
    "expiring": "Sắp hết hạn",
    "expired": "Hết hạn",
    "revoked": "Đã thu hồi",
}
# A certificate runs 36 months from its decision.
CERTIFICATE_YEARS = 3
# Flag a certificate to officials this many days before it expires.
EXPIRY_WARNING_DAYS = 90


class OcopCertificate(Model):
    __tablename__ = "ocop_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    decision_no: Mapped[str] = mapped_column(String(120))
    decision_date: Mapped[date] = mapped_column(Date)
    issuing_council: Mapped[str] = mapped_column(String(200))
    stars: Mapped[int] = mapped_column()
    evaluation_type: Mapped[str] = mapped_column(String(20), default="new")
    expires_on: Mapped[date] = mapped_column(Date, index=True)
    certificate_no: Mapped[str | None] = mapped_column(String(80))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # How the record came in: "official" (entered by an official) or "import" (a row of an
    # official OCOP list). An imported list that gives only a year gets 1 January of that
    # year as decision_date, flagged decision_date_approximate (expiry still 36 months on).
    source: Mapped[str] = mapped_column(
        String(20), default="official", server_default=text("'official'")
    )
    decision_date_approximate: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}

    product: Mapped[Product] = relationship(back_populates="certificates")
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])

    def status_on(self, today: date | None = None) -> str:
        """valid / expiring (within 90 days of expiry) / expired / revoked."""
        today = today or date.today()
        if self.revoked_at is not None:
            return "revoked"
        if self.decision_date_approximate:
            # Only the year is known (an imported list): the certificate ends some time in
            # year + 3, so that whole year reads "expiring", as Product.certificate_status.
            last_year = self.decision_date.year + CERTIFICATE_YEARS
            if today.year > last_year:
                return "expired"
            return "expiring" if today.year == last_year else "valid"
        if self.expires_on <= today:
            return "expired"
        if (self.expires_on - today).days <= EXPIRY_WARNING_DAYS:
            return "expiring"
        return "valid"

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def status_label(self) -> str:
        return CERTIFICATE_STATES[self.status]

    @property
    def evaluation_label(self) -> str:
        return EVALUATION_TYPES.get(self.evaluation_type, self.evaluation_type)
