"""OCOP certificates as records, and the product's copy of the current one.

A product may receive several evaluation decisions over the years (new, re-evaluation,
upgrade). The *current* certificate is the one with the newest decision date; the product
keeps a copy of it (ocop_stars, certificate_* columns) because the public pages, filters and
the search index read those columns. Every write here goes through `sync_product` so the
copy never drifts from the records.

A certificate is valid for 36 months from its decision. Expiry needs no write: the product's
public stars are computed against today's date (expiry.py re-indexes what time changed).

Scope as in moderation: an official acts only on products of provinces they cover
(Forbidden), a refusal is a polite ModerationError raised before anything is written.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import OcopCertificate, Product, User
from catalog.models.certificates import CERTIFICATE_STATES, EVALUATION_TYPES
from catalog.models.products import CERTIFICATE_MONTHS, OCOP_STARS
from catalog.platform import audit, outbox
from catalog.platform.clock import utcnow
from catalog.review.decision_steps import MAX_NOTE, EntryNotFound, ModerationError, check_scope

__all__ = [
    "CertificateData",
    "add_record",
    "mark_verified",
    "product_copy",
    "record_change",
    "sync_product",
    "validated",
    "EntryNotFound",
    "ModerationError",
    "current_certificate",
    "default_expiry",
    "expiring",
    "in_scope",
    "record_certificate",
    "revoke_certificate",
    "verify_certificate",
]

# Listing order for officials: what needs action first.
STATUS_ORDER = {"expiring": 0, "expired": 1, "valid": 2, "revoked": 3}
# Products that are not (yet or any more) part of the catalogue are not followed up.
_FOLLOWED = ("draft", "rejected")
FIRST_OCOP_YEAR = 2018  # the national OCOP programme (Decision 490/QĐ-TTg, 2018)


@dataclass(frozen=True)
class CertificateData:
    """What an official types in from the evaluation decision."""

    decision_no: str
    decision_date: date
    issuing_council: str
    stars: int
    evaluation_type: str = "new"
    expires_on: date | None = None
    certificate_no: str | None = None


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the 29–31st become the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_expiry(decision_date: date) -> date:
    return add_months(decision_date, CERTIFICATE_MONTHS)


def _text(value: str | None, limit: int, label: str, *, required: bool) -> str | None:
    value = " ".join((value or "").split())
    if not value:
        if required:
            raise ModerationError(f"Vui lòng điền {label}.")
        return None
    if len(value) > limit:
        raise ModerationError(f"{label.capitalize()} tối đa {limit} ký tự.")
    return value


def validated(data: CertificateData, today: date) -> CertificateData:
    if data.stars not in OCOP_STARS:
        raise ModerationError("Hạng sao OCOP phải là 3, 4 hoặc 5.")
    if data.evaluation_type not in EVALUATION_TYPES:
        raise ModerationError("Hình thức đánh giá không hợp lệ.")
    if data.decision_date > today:
        raise ModerationError("Ngày quyết định không thể sau hôm nay.")
    if data.decision_date.year < FIRST_OCOP_YEAR:
        raise ModerationError(f"Chương trình OCOP bắt đầu từ năm {FIRST_OCOP_YEAR}.")
    expires_on = data.expires_on or default_expiry(data.decision_date)
    if expires_on <= data.decision_date:
        raise ModerationError("Ngày hết hạn phải sau ngày quyết định.")
    return CertificateData(
        decision_no=_text(data.decision_no, 120, "số quyết định", required=True) or "",
        decision_date=data.decision_date,
        issuing_council=_text(data.issuing_council, 200, "hội đồng cấp", required=True) or "",
        stars=data.stars,
        evaluation_type=data.evaluation_type,
        expires_on=expires_on,
        certificate_no=_text(data.certificate_no, 80, "số giấy chứng nhận", required=False),
    )


# -- the product's copy ---------------------------------------------------------------------


def current_certificate(product_id: int) -> OcopCertificate | None:
    """The record with the newest decision date (the later record on the same day)."""
    stmt = (
        select(OcopCertificate)
        .where(OcopCertificate.product_id == product_id)
        .order_by(OcopCertificate.decision_date.desc(), OcopCertificate.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


# The product's copy of its current certificate (search and listings read it).
PRODUCT_COPY = (
    "ocop_stars",
    "certificate_no",
    "certificate_decision",
    "certificate_year",
    "certificate_expires_on",
    "certificate_revoked",
    "certificate_verified",
)


def product_copy(product: Product) -> dict[str, object]:
    return audit.snapshot(product, *PRODUCT_COPY)


def sync_product(product: Product) -> None:
    """Copy the current record onto the product (inside the caller's transaction)."""
    db.session.flush()
    current = current_certificate(product.id)
    if current is None:
        return
    product.ocop_stars = current.stars
    product.certificate_no = current.certificate_no
    product.certificate_decision = current.decision_no
    product.certificate_year = current.decision_date.year
    # A record dated by its year only gives no exact expiry: the product keeps the year and
    # reads "expiring" all through year + 3 (Product.certificate_status).
    product.certificate_expires_on = (
        None if current.decision_date_approximate else current.expires_on
    )
    product.certificate_revoked = current.revoked_at is not None
    product.certificate_verified = current.verified_at is not None


def _record(cert: OcopCertificate) -> dict[str, object]:
    record = audit.snapshot(
        cert,
        "decision_no",
        "decision_date",
        "issuing_council",
        "stars",
        "evaluation_type",
        "expires_on",
        "certificate_no",
    )
    return record | {
        "verified": cert.verified_at is not None,
        "revoked": cert.revoked_at is not None,
    }


def _state(cert: OcopCertificate) -> dict[str, object]:
    """What an audit entry keeps: the record and the product's copy of it."""
    return {"certificate": _record(cert), "product": product_copy(cert.product)}


def record_change(
    official: User, action: str, cert: OcopCertificate, before: dict, reason: str
) -> None:
    """Keep the product's copy in step, then audit entry and outbox row (same transaction)."""
    product = cert.product
    sync_product(product)
    audit.record(
        official,
        action,
        "product",
        product.id,
        before=before,
        after=_state(cert),
        reason=reason,
    )
    outbox.record([product.id], action.replace(".", "_"))


# -- writes ---------------------------------------------------------------------------------


def record_certificate(
    official: User, product_id: int, data: CertificateData, *, today: date | None = None
) -> OcopCertificate:
    """Record an evaluation decision; it becomes current if its decision is the newest."""
    with write_transaction():
        product = db.session.get(Product, product_id)
        if product is None:
            raise EntryNotFound("Không tìm thấy sản phẩm này.")
        check_scope(official, product.province_id)
        cert = add_record(official, product, data, today=today)
    return cert


def add_record(
    official: User, product: Product, data: CertificateData, *, today: date | None = None
) -> OcopCertificate:
    """Validate and add an official's record inside the caller's transaction (the approval
    of a listing that claims stars records its certificate in the same step)."""
    clean = validated(data, today or date.today())
    before = {"product": product_copy(product)}
    cert = OcopCertificate(
        product=product,
        decision_no=clean.decision_no,
        decision_date=clean.decision_date,
        issuing_council=clean.issuing_council,
        stars=clean.stars,
        evaluation_type=clean.evaluation_type,
        expires_on=clean.expires_on,
        certificate_no=clean.certificate_no,
        created_by_id=official.id,
    )
    db.session.add(cert)
    record_change(official, "certificate.record", cert, before, "")
    return cert


def _load(official: User, certificate_id: int) -> OcopCertificate:
    cert = db.session.get(OcopCertificate, certificate_id)
    if cert is None:
        raise EntryNotFound("Không tìm thấy chứng nhận này.")
    check_scope(official, cert.product.province_id)
    return cert


def _decide(
    official: User, certificate_id: int, action: str, step: Callable[[OcopCertificate], str]
) -> OcopCertificate:
    """One official's decision on a record, in one transaction: `step` refuses politely
    (ModerationError) before it changes anything, and returns the reason to audit."""
    with write_transaction():
        cert = _load(official, certificate_id)
        before = _state(cert)
        reason = step(cert)
        record_change(official, action, cert, before, reason)
    return cert


def verify_certificate(official: User, certificate_id: int) -> OcopCertificate:
    """Mark a record as checked against the issuing council's decision ("Đã xác minh")."""

    def verify(cert: OcopCertificate) -> str:
        if cert.verified_at is not None:
            raise ModerationError("Chứng nhận này đã được xác minh.")
        mark_verified(official, cert)
        return ""

    return _decide(official, certificate_id, "certificate.verify", verify)


def mark_verified(official: User, cert: OcopCertificate) -> None:
    """Checked against the issuing council's decision (inside the caller's transaction)."""
    if cert.revoked_at is not None:
        raise ModerationError("Chứng nhận này đã bị thu hồi, không thể xác minh.")
    cert.verified_at = utcnow()
    cert.verified_by_id = official.id


def revoke_certificate(official: User, certificate_id: int, reason: str | None) -> OcopCertificate:
    """Revoke a record; if it is current the product loses its public stars at once."""
    note = (reason or "").strip()[:MAX_NOTE]

    def revoke(cert: OcopCertificate) -> str:
        if not note:
            raise ModerationError("Vui lòng ghi lý do thu hồi.")
        if cert.revoked_at is not None:
            raise ModerationError("Chứng nhận này đã bị thu hồi.")
        cert.revoked_at = utcnow()
        cert.revoked_by_id = official.id
        cert.revoked_reason = note
        return note

    return _decide(official, certificate_id, "certificate.revoke", revoke)


# -- reading --------------------------------------------------------------------------------


def _current_in_scope(official: User) -> Select[OcopCertificate]:
    """Current certificates of followed products in the official's provinces."""
    latest = (
        select(
            OcopCertificate.id,
            func.row_number()
            .over(
                partition_by=OcopCertificate.product_id,
                order_by=(OcopCertificate.decision_date.desc(), OcopCertificate.id.desc()),
            )
            .label("rank"),
        )
    ).subquery()
    stmt = (
        select(OcopCertificate)
        .join(latest, latest.c.id == OcopCertificate.id)
        .join(OcopCertificate.product)
        .where(latest.c.rank == 1, Product.status.not_in(_FOLLOWED))
    )
    if official.role != "admin":
        stmt = stmt.where(Product.province_id.in_([p.id for p in official.provinces]))
    return stmt


def in_scope(
    official: User, status: str | None = None, today: date | None = None
) -> list[OcopCertificate]:
    """Current certificates the official follows, optionally of one status (see
    CERTIFICATE_STATES): expiring first, then expired, valid, revoked; soonest expiry first."""
    if not official.is_official:
        return []
    today = today or date.today()
    certs = list(db.session.scalars(_current_in_scope(official)).unique())
    if status in CERTIFICATE_STATES:
        certs = [c for c in certs if c.status_on(today) == status]
    return sorted(certs, key=lambda c: (STATUS_ORDER[c.status_on(today)], c.expires_on, c.id))


def counts(official: User, today: date | None = None) -> dict[str, int]:
    """How many current certificates of each status the official follows."""
    today = today or date.today()
    result = dict.fromkeys(CERTIFICATE_STATES, 0)
    for cert in in_scope(official, today=today):
        result[cert.status_on(today)] += 1
    return result


def expiring(official: User, today: date | None = None) -> list[OcopCertificate]:
    """Current certificates of products in the official's provinces expiring within 90
    days (not yet expired, not revoked), soonest first. Used by the officials' digest."""
    return in_scope(official, "expiring", today)
