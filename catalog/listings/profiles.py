"""A producer's business profile, and claims of a tax code already in the catalogue.

The profile is edited live (it is what officials review); a verified producer that changes
its legal name or tax code loses the verified badge until an official checks it again. A tax
code belongs to one producer only: someone registering a business that officials already
imported is offered a claim instead, and learns nothing about that producer beyond its public
name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from catalog.database import write_transaction
from catalog.errors import Invalid
from catalog.extensions import db
from catalog.listings import quotas
from catalog.models import PRODUCER_TYPES, Producer, ProducerClaim, Product, User
from catalog.models.statuses import ProducerStatus, ReviewState
from catalog.platform import audit, outbox, reference
from catalog.platform.department import department_name
from catalog.platform.photo_uploads import store_photo
from catalog.platform.vietnamese import clean_text, normalize_key, normalize_tax_code
from catalog.trust import verification

FIELDS = (
    "name",
    "type",
    "tax_code",
    "representative",
    "province_id",
    "ward_code",
    "address",
    "phone",
    "email",
    "website",
    "facebook_url",
    "zalo",
    "description",
    "accepts_orders",
)
# What officials need before they can review the producer (label shown to the producer).
REQUIRED_FOR_REVIEW = {
    "name": "tên cơ sở",
    "type": "loại hình",
    "tax_code": "mã số thuế",
    "representative": "người đại diện",
    "ward_code": "phường/xã",
    "address": "địa chỉ",
    "phone": "số điện thoại",
}
# A tổ hợp tác (co-operative group) is not always registered with the tax office.
TAX_CODE_OPTIONAL_TYPES = ("to_hop_tac",)
# Changing these on a verified producer sends the badge back to the officials.
IDENTITY_FIELDS = ("name", "tax_code")
MAX_PENDING_CLAIMS = 3

STATUS_LABELS = {
    "pending": "Đang chờ duyệt hồ sơ",
    "active": "Đang hoạt động",
    "changes_requested": "Cần bổ sung hồ sơ",
    "rejected": "Hồ sơ chưa được chấp nhận",
    "suspended": "Tạm ngưng hoạt động",
}


class ProfileError(Invalid):
    """A polite reason the profile change was refused; `field` names the form field."""


class TaxCodeTaken(ProfileError):
    """The tax code belongs to a producer already listed: the user may claim it."""

    def __init__(self, producer: Producer) -> None:
        super().__init__("Mã số thuế này đã có trong danh mục.", field="tax_code")
        # Only what the public may already see: the name of a listed producer.
        self.public_name = producer.name if producer.is_public else None


def own_producer(user: User) -> Producer:
    if user.producer_id is None:
        raise ProfileError("Tài khoản của bạn chưa gắn với cơ sở sản xuất nào.")
    producer = db.session.get(Producer, user.producer_id)
    if producer is None:
        raise ProfileError("Tài khoản của bạn chưa gắn với cơ sở sản xuất nào.")
    return producer


def ward_choices(province_id: int | None) -> tuple[tuple[int, str], ...]:
    """(ward code, ward name) of a province since the 2025 reorganisation."""
    if not province_id:
        return ()
    try:
        return reference.wards_of(int(province_id))
    except (ValueError, KeyError):
        return ()


def ward_name(province_id: int | None, ward_code: int | None) -> str | None:
    """The ward's name when it belongs to that province, else None."""
    if ward_code is None:
        return None
    return dict(ward_choices(province_id)).get(ward_code)


def missing_fields(producer: Producer) -> list[str]:
    """Labels of what officials still need in the profile (empty: complete)."""
    missing = []
    for name, label in REQUIRED_FOR_REVIEW.items():
        if name == "tax_code" and producer.type in TAX_CODE_OPTIONAL_TYPES:
            continue
        if not getattr(producer, name):
            missing.append(label)
    return missing


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """Service-side rules, whoever calls: known type, valid tax code, ward in province."""
    clean: dict[str, Any] = {
        name: (values[name] if values[name] != "" else None) for name in FIELDS if name in values
    }
    if clean.get("type") is not None and clean["type"] not in PRODUCER_TYPES:
        raise ProfileError("Loại hình không hợp lệ.", field="type")
    if clean.get("tax_code") is not None:
        normalized = normalize_tax_code(clean["tax_code"])
        if normalized is None:
            raise ProfileError("Mã số thuế không hợp lệ.", field="tax_code")
        clean["tax_code"] = normalized
    return clean


def update_profile(user: User, values: dict[str, Any], *, logo: Any = None) -> Producer:
    """Save the profile (and a new logo, processed before the transaction through the
    photo pipeline and counted in the producer's photo quota)."""
    producer = own_producer(user)
    clean = clean_values(values)
    stored = None
    ledger = quotas.Ledger(producer.id)
    if logo is not None:
        ledger = quotas.Ledger.of(producer.id)
        try:  # refused (ProfileError beside the logo) or a full disk (507): nothing saved
            stored = store_photo(
                logo,
                lambda message: ProfileError(message, field="logo"),
                label="Logo",
                admit=ledger.admit_photo,
            )
        except quotas.QuotaExceeded as exc:
            raise ProfileError(f"Logo: {exc}", field="logo") from exc
        ledger.took_photo(stored.digest, stored.stored_bytes)
    with ledger.kept(), write_transaction():
        ledger.write()
        if clean.get("tax_code"):
            owner = db.session.scalar(
                select(Producer).where(
                    Producer.tax_code == clean["tax_code"], Producer.id != producer.id
                )
            )
            if owner is not None:
                raise TaxCodeTaken(owner)
        province_id = clean.get("province_id", producer.province_id)
        if "ward_code" in clean or "province_id" in clean:
            ward_code = clean.get("ward_code", producer.ward_code)
            name = ward_name(province_id, ward_code)
            if ward_code is not None and name is None:
                raise ProfileError(
                    "Phường/xã này không thuộc tỉnh đã chọn. Vui lòng chọn lại phường/xã.",
                    field="ward_code",
                )
            clean["ward_code"] = ward_code
            clean["ward_name"] = name
        names = (*FIELDS, "ward_name", "logo_digest", *verification.FIELDS)
        before = {name: getattr(producer, name) for name in names}
        for name, value in clean.items():
            setattr(producer, name, value)
        if stored is not None:
            producer.logo_digest = stored.digest
        producer.name_key = normalize_key(producer.name)
        changed = {n: getattr(producer, n) for n in names if getattr(producer, n) != before[n]}
        if changed.keys() & set(IDENTITY_FIELDS) and (
            verification.clear_after_identity_change(producer)
        ):
            changed.update(verification.cleared_state())
        if producer.status == ProducerStatus.CHANGES_REQUESTED and changed:
            producer.status = ProducerStatus.PENDING  # back in the officials' queue after the edits
            changed["status"] = "pending"
            before["status"] = "changes_requested"
        audit.record(
            user,
            "profile.update",
            "producer",
            producer.id,
            before={k: before[k] for k in changed},
            after=changed,
        )
        if changed.keys() & {"name", "province_id", "verified"}:
            outbox.record([p.id for p in producer.products], "producer_changed")
    return producer


def find_by_tax_code(tax_code: str) -> Producer | None:
    normalized = normalize_tax_code(tax_code or "")
    if normalized is None:
        return None
    return db.session.scalar(select(Producer).where(Producer.tax_code == normalized))


def claim(user: User, tax_code: str, message: str) -> ProducerClaim:
    """Ask officials to hand the producer with this tax code over to this user."""
    producer = find_by_tax_code(tax_code)
    if producer is None:
        raise ProfileError("Không tìm thấy cơ sở có mã số thuế này.", field="tax_code")
    if producer.id == user.producer_id:
        raise ProfileError("Tài khoản của bạn đã quản lý cơ sở này.")
    message = clean_text(message)[:2000]
    with write_transaction():
        pending = db.session.scalars(
            select(ProducerClaim).where(
                ProducerClaim.user_id == user.id, ProducerClaim.status == "pending"
            )
        ).all()
        for item in pending:
            if item.producer_id == producer.id:
                return item
        if len(pending) >= MAX_PENDING_CLAIMS:
            raise ProfileError(
                "Bạn đang có nhiều yêu cầu chờ xác minh. Vui lòng đợi cán bộ trả lời."
            )
        item = ProducerClaim(producer_id=producer.id, user_id=user.id, message=message)
        db.session.add(item)
        db.session.flush()
        audit.record(
            user, "claim.create", "producer", producer.id, after={"claim": item.id}, reason=message
        )
    return item


@dataclass(frozen=True)
class ClaimView:
    """A claim as its author may see it: no private data of the claimed producer."""

    title: str
    status: str
    note: str | None
    created_at: datetime


CLAIM_STATUS_LABELS = {
    "pending": "Đang chờ xác minh",
    "approved": "Đã chấp nhận",
    "rejected": "Chưa được chấp nhận",
}


def my_claims(user: User, limit: int = 5) -> list[ClaimView]:
    stmt = (
        select(ProducerClaim)
        .where(ProducerClaim.user_id == user.id)
        .order_by(ProducerClaim.created_at.desc(), ProducerClaim.id.desc())
        .limit(limit)
    )
    result = []
    for item in db.session.scalars(stmt):
        producer = item.producer
        title = producer.name if producer.is_public else f"Cơ sở có mã số thuế {producer.tax_code}"
        result.append(ClaimView(title, item.status, item.decision_note, item.created_at))
    return result


def claim_preview(tax_code: str | None) -> str | None:
    """How the claim page names the producer: its public name, or only the tax code."""
    producer = find_by_tax_code(tax_code or "")
    if producer is None:
        return None
    return producer.name if producer.is_public else f"Cơ sở có mã số thuế {producer.tax_code}"


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    detail: str = ""
    endpoint: str | None = None


def checklist(user: User, producer: Producer, products: list[Product]) -> list[Step]:
    """The steps to get online, in order, for the dashboard."""
    missing = missing_fields(producer)
    sent = any(p.status != "draft" or p.review_state == ReviewState.SUBMITTED for p in products)
    return [
        Step(
            "Xác nhận địa chỉ e-mail",
            user.email_verified_at is not None,
            "Mở liên kết trong thư chúng tôi đã gửi tới " + user.email + ".",
        ),
        Step(
            "Hoàn thiện hồ sơ cơ sở",
            not missing,
            ("Còn thiếu: " + ", ".join(missing) + ".") if missing else "",
            "producer.profile",
        ),
        Step("Thêm sản phẩm đầu tiên", bool(products), "", "producer.listing_new"),
        Step(
            "Gửi duyệt sản phẩm",
            sent,
            f"Cán bộ {department_name()} xem xét hồ sơ và sản phẩm, thường trong vài ngày "
            "làm việc.",
        ),
    ]
