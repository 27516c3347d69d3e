"""Complaints ("phản ánh") from consumers about a product or a producer: filing and tracking
(officials handle them in complaint_handling.py and list them in complaint_list.py).

A complaint goes to the province of the product (of the producer for a complaint about the
producer): every active official covering it gets an e-mail, the admins when nobody covers
it. The reporter stays anonymous if they wish; they follow the complaint through a private
link whose token is random and stored only as its SHA-256 hash, so the database alone never
opens a tracking page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from catalog.database import write_transaction
from catalog.errors import Invalid, NotFound
from catalog.extensions import db
from catalog.models import (
    COMPLAINT_KINDS,
    Complaint,
    Producer,
    Product,
    User,
    official_provinces,
)
from catalog.platform import audit, mail
from catalog.platform.links import site_url
from catalog.platform.tokens import token_hash
from catalog.platform.vietnamese import clean_multiline, clean_text, normalize_phone
from catalog.web.i18n import DEFAULT_LOCALE, LOCALES

MESSAGE_MIN = 10
MESSAGE_MAX = 3000
NAME_MAX = 200
EMAIL_MAX = 254
TOKEN_BYTES = 24  # 32 URL-safe characters
Subject = TypeVar("Subject", Product, Producer)


class ComplaintError(Invalid):
    """A polite reason the complaint or the step cannot be recorded; `field` names the form
    field it is about (None: the form as a whole)."""


class ComplaintNotFound(NotFound):
    """No such complaint, or the product/producer it is about is not public."""


@dataclass(frozen=True)
class Report:
    """What a consumer sends; cleaned and checked by `_checked`."""

    kind: str
    message: str
    name: str = ""
    email: str = ""
    phone: str = ""
    locale: str = "vi"  # the language of the form: the reporter's e-mails follow it


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    token: str  # shown once to the reporter; only its hash is stored


# -- filing ---------------------------------------------------------------------------------


def _checked(report: Report) -> Report:
    """The report cleaned (NFC, trimmed) or a ComplaintError on the first bad field."""
    if report.kind not in COMPLAINT_KINDS:
        raise ComplaintError("Vui lòng chọn loại vấn đề.", "kind")
    message = clean_multiline(report.message)
    if len(message) < MESSAGE_MIN:
        raise ComplaintError(f"Vui lòng mô tả vấn đề (ít nhất {MESSAGE_MIN} ký tự).", "message")
    if len(message) > MESSAGE_MAX:
        raise ComplaintError(f"Tối đa {MESSAGE_MAX} ký tự.", "message")
    name = clean_text(report.name)
    if len(name) > NAME_MAX:
        raise ComplaintError(f"Tối đa {NAME_MAX} ký tự.", "name")
    email = clean_text(report.email)
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise ComplaintError("Địa chỉ e-mail không hợp lệ.", "email") from exc
        if len(email) > EMAIL_MAX:
            raise ComplaintError("Địa chỉ e-mail không hợp lệ.", "email")
    phone = ""
    if clean_text(report.phone):
        phone = normalize_phone(report.phone) or ""
        if not phone:
            raise ComplaintError("Số điện thoại không đúng.", "phone")
    return Report(report.kind, message, name, email, phone, report.locale)


def file_about_product(product_id: int, report: Report) -> Filed:
    """A complaint about a public product, routed to the product's province."""
    report = _checked(report)
    with write_transaction():
        product = _public(Product, product_id)
        subject = f"{product.name} — {product.producer.name}"
        return _file(report, subject, product.province_id, product.id, product.producer_id)


def file_about_producer(producer_id: int, report: Report) -> Filed:
    """A complaint about an active producer, routed to the producer's province."""
    report = _checked(report)
    with write_transaction():
        producer = _public(Producer, producer_id)
        return _file(report, producer.name, producer.province_id, None, producer.id)


def _public(model: type[Subject], entry_id: int) -> Subject:
    """What the complaint is about, if the public may see it (else it is not found)."""
    entry = db.session.get(model, entry_id)
    if entry is None or not entry.is_public:
        raise ComplaintNotFound()
    return entry


def _file(
    report: Report, subject: str, province_id: int, product_id: int | None, producer_id: int
) -> Filed:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    complaint = Complaint(
        token_hash=token_hash(token),
        kind=report.kind,
        product_id=product_id,
        producer_id=producer_id,
        province_id=province_id,
        subject=subject[:300],
        message=report.message,
        reporter_name=report.name,
        reporter_email=report.email or None,
        reporter_phone=report.phone or None,
        locale=report.locale if report.locale in LOCALES else DEFAULT_LOCALE,
        status="new",
    )
    db.session.add(complaint)
    db.session.flush()
    audit.record(
        None,
        "complaint.filed",
        "complaint",
        complaint.id,
        after={"kind": complaint.kind, "subject": subject, "province_id": province_id},
    )
    label = COMPLAINT_KINDS[report.kind]
    link = site_url("official.complaint_detail", complaint_id=complaint.id)
    for official in _officials_for(province_id):
        mail.queue(
            official.email,
            f"Chợ Việt: phản ánh mới về {subject}",
            f"Có phản ánh mới ({label}) về {subject}.\n\n{report.message}\n\nXem và xử lý: {link}",
        )
    if report.email:
        _send_receipt(complaint, report.email, token)
    return Filed(complaint, token)


def _send_receipt(complaint: Complaint, to: str, token: str) -> None:
    """The reporter's receipt with the tracking link, in the language they wrote in (the link
    opens the tracking page in that language too)."""
    extra = {} if complaint.locale == DEFAULT_LOCALE else {"hl": complaint.locale}
    tracking = site_url("public.complaint_status", token=token, **extra)
    with force_locale(complaint.locale):
        mail.queue(
            to,
            _("Chợ Việt: đã tiếp nhận phản ánh của bạn"),
            _(
                "Cảm ơn bạn đã phản ánh về %(subject)s. Cán bộ phụ trách sẽ xem xét.\n\n"
                "Theo dõi kết quả tại liên kết riêng này (đừng chia sẻ cho người khác):\n"
                "%(link)s",
                subject=complaint.subject,
                link=tracking,
            ),
        )


def _officials_for(province_id: int) -> list[User]:
    """Active officials covering the province; the admins when nobody covers it."""
    officials = list(
        db.session.scalars(
            select(User)
            .join(official_provinces, official_provinces.c.user_id == User.id)
            .where(
                official_provinces.c.province_id == province_id,
                User.role == "official",
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )
    if officials:
        return officials
    admins = select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id)
    return list(db.session.scalars(admins))


def find_by_token(token: str) -> Complaint | None:
    """The complaint behind a tracking link (None for anything else, garbage included)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Complaint).where(Complaint.token_hash == token_hash(token)))


# -- handling by officials ------------------------------------------------------------------
