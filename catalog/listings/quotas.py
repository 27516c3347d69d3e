"""Per-producer quotas: new listings per day, bytes of photos stored, certificate scans stored.

The limits are settings (CHOVIET_QUOTA_LISTINGS_PER_DAY, _PHOTO_BYTES, _CERTIFICATE_SCANS;
0: no limit), far above what a co-operative uses, so only a runaway script or an abused
account meets them. What counts:

* listings: the `listing.create` audit entries of the producer's accounts since midnight in
  Vietnam. The audit log is append-only, so deleting a draft gives no listing back.
* photos and scans: the producer's ProducerUpload rows, one per distinct file its accounts
  stored. Uploads are kept by content hash and never deleted, so letting go of a photo gives
  no bytes back either: what is counted is what the storage holds for the producer.

Officials' uploads made for a producer (assisted onboarding) count for nobody. A refusal is a
QuotaExceeded: a form shows it beside its field (422); anything else answers 429. Nothing
stored is touched. The listing count is checked again inside the transaction that creates the
listing (writes are serialised), so two tabs cannot both take the last one. Files are checked
before they are stored (outside the write transaction: encoding is slow) and written down with
the save, or on their own when the save fails, so they are counted whatever happens; uploads
racing each other can pass the bytes or scans limit by at most what they carry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.listings.listing_values import ListingError
from catalog.models import AuditEntry, ProducerUpload, User
from catalog.platform.clock import utcnow
from catalog.platform.number_format import VIETNAMESE, format_decimal

log = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PHOTO, SCAN = "photo", "scan"
MB = 1024 * 1024


class QuotaExceeded(ListingError):
    """A producer's quota would be passed; nothing was stored. 429 when no form shows it."""

    status = 429


@dataclass(frozen=True)
class Usage:
    """What a producer has used of each quota, and the limits (0: none)."""

    listings_today: int
    listings_per_day: int
    photo_bytes: int
    photo_bytes_limit: int
    scans: int
    scans_limit: int

    @property
    def summary(self) -> str:
        """One line for the officials' pages: "Đã dùng 12,3 MB / 300 MB ảnh · 3/20 sản phẩm
        hôm nay · 2/50 bản chụp chứng nhận"."""
        return (
            f"Đã dùng {megabytes(self.photo_bytes)} / {_limit_mb(self.photo_bytes_limit)} ảnh"
            f" · {self.listings_today}/{_limit(self.listings_per_day)} sản phẩm hôm nay"
            f" · {self.scans}/{_limit(self.scans_limit)} bản chụp chứng nhận"
        )


def megabytes(count: int) -> str:
    """Bytes as Vietnamese write them: 12,3 MB (under a megabyte: 350 KB)."""
    if 0 < count < MB:
        return f"{-(-count // 1024)} KB"
    return f"{format_decimal(count / MB, 1, VIETNAMESE)} MB"


def _limit_mb(limit: int) -> str:
    if not limit:
        return "không giới hạn"
    return f"{format_decimal(limit / MB, 0 if limit % MB == 0 else 1, VIETNAMESE)} MB"


def _limit(limit: int) -> str:
    return str(limit) if limit else "không giới hạn"


def _setting(name: str) -> int:
    return max(int(current_app.config.get(name) or 0), 0)


def start_of_today(now: datetime | None = None) -> datetime:
    """Midnight of today in Vietnam, in UTC: when the day's listing count starts."""
    local = (now or utcnow()).astimezone(LOCAL_TZ)
    return datetime.combine(local.date(), time(), LOCAL_TZ).astimezone(UTC)


def listings_created_today(producer_id: int, now: datetime | None = None) -> int:
    """Listings the producer's accounts created since midnight (Vietnam), deleted ones too."""
    since = start_of_today(now)
    stmt = (
        select(func.count(AuditEntry.id))
        .join(User, User.id == AuditEntry.actor_id)
        .where(
            User.producer_id == producer_id,
            AuditEntry.action == "listing.create",
            AuditEntry.entity_type == "product",
            AuditEntry.created_at >= since,
            AuditEntry.created_at < since + timedelta(days=1),
        )
    )
    return int(db.session.scalar(stmt) or 0)


def _stored(producer_id: int, kind: str) -> tuple[int, int]:
    """How many files of that kind the producer stored, and their bytes."""
    total_bytes = func.coalesce(func.sum(ProducerUpload.stored_bytes), 0)
    count, total = db.session.execute(
        select(func.count(ProducerUpload.id), total_bytes).where(
            ProducerUpload.producer_id == producer_id, ProducerUpload.kind == kind
        )
    ).one()
    return int(count), int(total)


def usage(producer_id: int, now: datetime | None = None) -> Usage:
    """The one account of a producer's usage: the checks below and the officials' page."""
    return Usage(
        listings_today=listings_created_today(producer_id, now),
        listings_per_day=_setting("QUOTA_LISTINGS_PER_DAY"),
        photo_bytes=_stored(producer_id, PHOTO)[1],
        photo_bytes_limit=_setting("QUOTA_PHOTO_BYTES"),
        scans=_stored(producer_id, SCAN)[0],
        scans_limit=_setting("QUOTA_CERTIFICATE_SCANS"),
    )


# -- checks --------------------------------------------------------------------------------


def check_new_listing(producer_id: int, now: datetime | None = None) -> None:
    """QuotaExceeded once the producer created today's allowance of listings."""
    limit = _setting("QUOTA_LISTINGS_PER_DAY")
    if limit and listings_created_today(producer_id, now) >= limit:
        raise QuotaExceeded(
            f"Hôm nay cơ sở đã tạo {limit} sản phẩm mới, đúng hạn mức {limit} sản phẩm mỗi "
            "ngày. Các sản phẩm đã lưu vẫn còn nguyên; vui lòng thêm sản phẩm mới vào ngày "
            "mai, hoặc liên hệ cán bộ phụ trách nếu cần thêm ngay."
        )


def _names(producer_id: int, kind: str) -> set[str]:
    stmt = select(ProducerUpload.name).where(
        ProducerUpload.producer_id == producer_id, ProducerUpload.kind == kind
    )
    return set(db.session.scalars(stmt))


@dataclass
class Ledger:
    """One request's uploads for a producer: what it may still store, and what it stored.

    Photos are taken one by one (`admit_photo` is the image pipeline's hook, called with the
    bytes a photo's variants take before any is written); a file the producer stored before
    costs nothing again. What was stored is written down in the save's own transaction
    (`write`), or, if the save fails, in one of its own (`kept`): a stored file is counted
    whatever happens to the form.
    """

    producer_id: int
    photo_limit: int = 0
    photo_bytes: int = 0
    scan_limit: int = 0
    scans: int = 0
    known: dict[str, set[str]] = field(default_factory=dict)
    new: dict[tuple[str, str], int] = field(default_factory=dict)
    written: bool = False

    @classmethod
    def of(cls, producer_id: int) -> Ledger:
        used = usage(producer_id)
        return cls(
            producer_id,
            photo_limit=used.photo_bytes_limit,
            photo_bytes=used.photo_bytes,
            scan_limit=used.scans_limit,
            scans=used.scans,
            known={PHOTO: _names(producer_id, PHOTO), SCAN: _names(producer_id, SCAN)},
        )

    def _seen(self, kind: str, name: str) -> bool:
        return name in self.known.get(kind, set()) or (kind, name) in self.new

    # -- photos --

    @property
    def photos_full(self) -> bool:
        return bool(self.photo_limit) and self.photo_bytes >= self.photo_limit

    def admit_photo(self, digest: str, stored_bytes: int) -> None:
        """QuotaExceeded when storing this photo would pass the producer's bytes."""
        fits = self.photo_bytes + stored_bytes <= self.photo_limit
        if self.photo_limit and not fits and not self._seen(PHOTO, digest):
            raise QuotaExceeded(self.photo_refusal(stored_bytes), field="photos")

    def photo_refusal(self, needed: int | None = None) -> str:
        needs = f"; ảnh này cần {megabytes(needed)}" if needed is not None else ""
        return (
            f"không còn đủ dung lượng lưu ảnh của cơ sở (đã dùng {megabytes(self.photo_bytes)}"
            f" / {_limit_mb(self.photo_limit)}{needs}). Ảnh đã lưu vẫn còn nguyên; vui lòng "
            "liên hệ cán bộ phụ trách nếu cần thêm."
        )

    def took_photo(self, digest: str, stored_bytes: int) -> None:
        if not self._seen(PHOTO, digest):
            self.new[(PHOTO, digest)] = stored_bytes
            self.photo_bytes += stored_bytes

    # -- scans --

    def check_scan(self) -> None:
        """QuotaExceeded once the producer stored its allowance of certificate scans."""
        if self.scan_limit and self.scans >= self.scan_limit:
            raise QuotaExceeded(
                f"Cơ sở đã lưu {self.scan_limit} bản chụp giấy chứng nhận, đúng hạn mức "
                f"{self.scan_limit} bản chụp. Bản chụp đã lưu vẫn còn nguyên; vui lòng liên hệ "
                "cán bộ phụ trách nếu cần gửi thêm.",
                field="certificate_scan",
            )

    def took_scan(self, name: str, stored_bytes: int) -> None:
        if not self._seen(SCAN, name):
            self.new[(SCAN, name)] = stored_bytes
            self.scans += 1

    # -- writing it down --

    def write(self) -> None:
        """Inside the save's write transaction: add the rows for what this request stored."""
        self.written = True
        if not self.new:
            return
        present = {
            (row.kind, row.name)
            for row in db.session.execute(
                select(ProducerUpload.kind, ProducerUpload.name).where(
                    ProducerUpload.producer_id == self.producer_id
                )
            )
        }
        for (kind, name), stored_bytes in self.new.items():
            if (kind, name) not in present:
                db.session.add(
                    ProducerUpload(
                        producer_id=self.producer_id,
                        kind=kind,
                        name=name,
                        stored_bytes=stored_bytes,
                    )
                )

    @contextmanager
    def kept(self) -> Iterator[Ledger]:
        """Around storing files and the save that uses them: whatever fails, the files
        stored stay counted (in a transaction of their own once the save's rolled back)."""
        try:
            yield self
        except BaseException:
            self._record_alone()
            raise
        if not self.written:
            self._record_alone()
        self.new.clear()

    def _record_alone(self) -> None:
        if not self.new:
            return
        try:
            with write_transaction():
                self.write()
        except SQLAlchemyError:  # the refusal already on its way is what the person needs
            log.exception("could not record the uploads of producer %s", self.producer_id)
