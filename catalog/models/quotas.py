"""What a producer's accounts have stored: one row per distinct photo or certificate scan.

Uploads are kept by content hash and never deleted when a listing lets go of them, so the
per-producer quotas (catalog/listings/quotas.py) count what was stored, not what a listing
shows today: removing a photo and adding another cannot stack storage without limit. The
same picture uploaded twice by one producer is one row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from catalog.extensions import Model
from catalog.models._common import UTCDateTime, utcnow


class ProducerUpload(Model):
    __tablename__ = "producer_uploads"
    __table_args__ = (UniqueConstraint("producer_id", "kind", "name", name="uq_producer_upload"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(
        ForeignKey("producers.id", ondelete="CASCADE"), index=True
    )
    # "photo" (the image pipeline's three variants, by digest) or "scan" (a private file).
    kind: Mapped[str] = mapped_column(String(10))
    # The photo's digest or the scan's stored name ("<sha256>.<ext>").
    name: Mapped[str] = mapped_column(String(100))
    # What it takes in the storage (a photo: its three WebP variants together).
    stored_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
