"""A producer's OCOP claim, and how it becomes a record or goes away.

Stars count only from a certificate record (certificates.py). What a producer declares in
its listing ("OCOP 4 sao, QĐ 123, 2025") is a claim, kept in the product's claimed_*
columns and shown as "tự khai, chưa đối chiếu", never as the OCOP badge. Approving a
listing that carries a claim settles it in the same step (moderation.decide_product): the
official records the certificate from the decision, confirms the record already on file
(an imported list, an earlier entry), or drops the claim. An imported official list is a
source of records too (`record_imported`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from catalog.certificates.certificates import (
    CertificateData,
    add_record,
    current_certificate,
    mark_verified,
    product_copy,
    record_change,
    sync_product,
)
from catalog.extensions import db
from catalog.models import OcopCertificate, Product, User
from catalog.review.decision_steps import ModerationError

__all__ = [
    "CLAIM_NEEDED",
    "SETTLEMENTS",
    "Claim",
    "Settlement",
    "claim_of",
    "clear_claim",
    "record_imported",
    "settle",
]

SETTLEMENTS = {
    "record": "Ghi nhận chứng nhận theo quyết định công nhận",
    "verify": "Xác nhận chứng nhận đã có trên hồ sơ",
    "drop": "Bỏ phần tự khai (sản phẩm hiển thị không có sao OCOP)",
}
CLAIM_NEEDED = (
    "Sản phẩm có phần tự khai OCOP: vui lòng ghi nhận chứng nhận, xác nhận chứng nhận đã có "
    "hoặc bỏ phần tự khai trước khi duyệt."
)
CLAIM_COLUMNS = (
    "claimed_stars",
    "claimed_certificate_no",
    "claimed_certificate_decision",
    "claimed_certificate_year",
    "claimed_certificate_expires_on",
)
# Where a record that names no council came from (an imported list, an official's entry
# while helping a producer register, from the certificate the producer showed).
COUNCILS = {
    "import": "Theo danh sách OCOP đã nhập",
    "official": "Theo giấy chứng nhận cơ sở xuất trình khi cán bộ hỗ trợ đăng ký",
}


@dataclass(frozen=True)
class Claim:
    """What the producer declared, as the officials and the public read it."""

    stars: int
    certificate_no: str | None
    decision: str | None
    year: int | None
    expires_on: date | None


@dataclass(frozen=True)
class Settlement:
    """The official's answer to a claim: a SETTLEMENTS key and, to record, the decision."""

    choice: str
    data: CertificateData | None = None


def claim_of(product: Product) -> Claim | None:
    if not product.claimed_stars:
        return None
    return Claim(
        stars=product.claimed_stars,
        certificate_no=product.claimed_certificate_no,
        decision=product.claimed_certificate_decision,
        year=product.claimed_certificate_year,
        expires_on=product.claimed_certificate_expires_on,
    )


def clear_claim(product: Product) -> None:
    for name in CLAIM_COLUMNS:
        setattr(product, name, None)


def settle(official: User, product: Product, settlement: Settlement | None) -> None:
    """Settle the product's claim inside the approval's transaction; a polite refusal
    (ModerationError) before anything is written when the answer does not fit."""
    if claim_of(product) is None:
        return
    if settlement is None or settlement.choice not in SETTLEMENTS:
        raise ModerationError(CLAIM_NEEDED)
    if settlement.choice == "record":
        if settlement.data is None:
            raise ModerationError("Vui lòng điền thông tin quyết định công nhận.")
        add_record(official, product, settlement.data)
    elif settlement.choice == "verify":
        _confirm_record(official, product)
    clear_claim(product)


def _confirm_record(official: User, product: Product) -> None:
    cert = current_certificate(product.id)
    if cert is None:
        raise ModerationError(
            "Sản phẩm chưa có chứng nhận nào trên hồ sơ: vui lòng ghi nhận chứng nhận "
            "hoặc bỏ phần tự khai."
        )
    if cert.status not in ("valid", "expiring"):
        raise ModerationError(
            "Chứng nhận trên hồ sơ đã hết hạn hoặc bị thu hồi: vui lòng ghi nhận quyết định "
            "mới hoặc bỏ phần tự khai."
        )
    if cert.verified_at is None:
        before = {"product": product_copy(product)}
        mark_verified(official, cert)
        record_change(official, "certificate.verify", cert, before, "")


def record_imported(
    official: User | None,
    product: Product,
    *,
    stars: int,
    certificate_no: str | None,
    year: int | None,
    source: str = "import",
    today: date | None = None,
) -> bool:
    """A row of an imported official OCOP list (source "import"), or the stars an official
    typed in while registering a producer (source "official"), as a certificate record,
    inside the caller's transaction. A list that gives only the year dates the decision 1
    January of that year, flagged approximate (expiry: the end of year + 3, the latest it can
    be); one with no year, this year.
    The same row imported again adds nothing. Returns whether a record was added; the caller
    re-indexes and audits the import as a whole."""
    today = today or date.today()
    decided = date(year or today.year, 1, 1)
    for cert in product.certificates:
        if (
            cert.source == source
            and cert.stars == stars
            and cert.decision_date == decided
            and (cert.certificate_no or None) == (certificate_no or None)
        ):
            return False
    cert = OcopCertificate(
        product=product,
        decision_no=certificate_no or COUNCILS[source],
        decision_date=decided,
        issuing_council=COUNCILS[source],
        stars=stars,
        evaluation_type="new",
        # The latest it can run; the status reads the year (OcopCertificate.status_on).
        expires_on=date(decided.year + 3, 12, 31),
        certificate_no=certificate_no or None,
        created_by_id=official.id if official else None,
        source=source,
        decision_date_approximate=True,
    )
    db.session.add(cert)
    sync_product(product)
    return True
