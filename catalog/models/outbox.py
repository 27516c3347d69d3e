"""Search index changes waiting to be applied (the transactional outbox)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from catalog.extensions import Model
from catalog.models._common import UTCDateTime, utcnow


class IndexOutbox(Model):
    """One row per product whose search document may have changed.

    Written in the same transaction as the change; the sync step re-reads the product and
    indexes or removes it, so a row is safe to apply twice and the order does not matter.
    """

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
