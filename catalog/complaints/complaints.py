"""Complaints ("phản ánh") from consumers about a product or a producer, and their handling.

A complaint goes to the province of the product (of the producer for a complaint about the
producer): every active official covering it gets an e-mail, the admins when nobody covers
it. The reporter stays anonymous if they wish; they follow the complaint through a private
link whose token is random and stored only as its SHA-256 hash, so the database alone never
opens a tracking page.

Handling: new → investigating → resolved / dismissed. A new complaint may also be closed at
once (an obvious duplicate or spam). Resolved and dismissed are final unless an official
reopens the complaint, which sends it back to investigating with a reason. Investigating never
goes back to new: "new" means nobody has looked yet. Each step is a ComplaintEvent with an
optional reply (shown to the reporter, e-mailed when they left an address) and an internal
note (officials only), plus an audit entry.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from catalog.database import write_transaction
from catalog.errors import Invalid, NotFound
from catalog.extensions import db
from catalog.models import (
    COMPLAINT_KINDS,
    COMPLAINT_STATES,
    Complaint,
    ComplaintEvent,
    Producer,
    Product,
    User,
    official_provinces,
)
from catalog.platform import audit, mail
from catalog.platform.clock import utcnow
from catalog.platform.vietnamese import clean_text, nfc, normalize_phone
from catalog.review import moderation
from catalog.review.decision_steps import check_scope
from catalog.web.i18n import DEFAULT_LOCALE, LOCALES, translate_label

MESSAGE_MIN = 10
MESSAGE_MAX = 3000
NAME_MAX = 200
EMAIL_MAX = 254
REPLY_MAX = 3000
NOTE_MAX = 2000
CLOSED = ("resolved", "dismissed")
# Status → the statuses an official may move it to ("investigating" from a closed one = reopen).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("investigating", "resolved", "dismissed"),
    "investigating": ("resolved", "dismissed"),
    "resolved": ("investigating",),
    "dismissed": ("investigating",),
}
TOKEN_BYTES = 24  # 32 URL-safe characters


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


def _multiline(value: str | None) -> str:
    """NFC, each line cleaned, line breaks kept (messages and replies are paragraphs)."""
    lines = [clean_text(line) for line in nfc(value or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _checked(report: Report) -> Report:
    """The report cleaned (NFC, trimmed) or a ComplaintError on the first bad field."""
    if report.kind not in COMPLAINT_KINDS:
        raise ComplaintError("Vui lòng chọn loại vấn đề.", "kind")
    message = _multiline(report.message)
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
        product = db.session.get(Product, product_id)
        if product is None or not product.is_public:
            raise ComplaintNotFound(product_id)
        subject = f"{product.name} — {product.producer.name}"
        return _file(report, subject, product.province_id, product.id, product.producer_id)


def file_about_producer(producer_id: int, report: Report) -> Filed:
    """A complaint about an active producer, routed to the producer's province."""
    report = _checked(report)
    with write_transaction():
        producer = db.session.get(Producer, producer_id)
        if producer is None or not producer.is_public:
            raise ComplaintNotFound(producer_id)
        return _file(report, producer.name, producer.province_id, None, producer.id)


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
    link = site_link("official.complaint_detail", complaint_id=complaint.id)
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
    tracking = site_link("public.complaint_status", token=token, **extra)
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


def site_link(endpoint: str, **values: Any) -> str:
    """An absolute link built from SITE_URL: the same in requests, the CLI and tests."""
    parts = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


def find_by_token(token: str) -> Complaint | None:
    """The complaint behind a tracking link (None for anything else, garbage included)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Complaint).where(Complaint.token_hash == token_hash(token)))


# -- handling by officials ------------------------------------------------------------------


def get_for_official(official: User, complaint_id: int) -> Complaint:
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        raise ComplaintNotFound(complaint_id)
    check_scope(official, complaint.province_id)
    return complaint


def next_statuses(complaint: Complaint) -> tuple[str, ...]:
    return TRANSITIONS.get(complaint.status, ())


def _text(value: str | None, limit: int, field: str) -> str:
    text = _multiline(value)
    if len(text) > limit:
        raise ComplaintError(f"Tối đa {limit} ký tự.", field)
    return text


def handle(
    official: User, complaint_id: int, status: str | None, reply: str | None, note: str | None
) -> Complaint:
    """One step: change the status (or keep it, with `status` empty or unchanged) and/or
    reply to the reporter and/or add an internal note."""
    reply_text, note_text = _text(reply, REPLY_MAX, "reply"), _text(note, NOTE_MAX, "note")
    with write_transaction():
        complaint = get_for_official(official, complaint_id)
        before = complaint.status
        target = status or before
        if target != before:
            _check_transition(complaint, target, reply_text, note_text)
        elif not reply_text and not note_text:
            raise ComplaintError("Vui lòng chọn trạng thái mới, hoặc ghi trả lời hay ghi chú.")
        complaint.status = target
        if target != before:
            complaint.closed_at = utcnow() if target in CLOSED else None
        complaint.updated_at = utcnow()
        db.session.add(
            ComplaintEvent(
                complaint=complaint,
                actor_id=official.id,
                status_from=before if target != before else None,
                status_to=target if target != before else None,
                reply=reply_text or None,
                internal_note=note_text or None,
            )
        )
        audit.record(
            official,
            _action(before, target),
            "complaint",
            complaint.id,
            before={"status": before},
            after={"status": target, "reply": reply_text or None},
            reason=note_text or reply_text,
        )
        if complaint.reporter_email and (reply_text or target != before):
            _tell_reporter(complaint, reply_text)
    return complaint


def _check_transition(complaint: Complaint, target: str, reply: str, note: str) -> None:
    if target not in COMPLAINT_STATES:
        raise ComplaintError("Trạng thái không hợp lệ.", "status")
    if target not in next_statuses(complaint):
        raise ComplaintError(
            f"Không thể chuyển phản ánh từ “{complaint.status_label}” sang "
            f"“{COMPLAINT_STATES[target]}”.",
            "status",
        )
    if target in CLOSED and not reply:
        raise ComplaintError("Vui lòng ghi kết quả xử lý để người phản ánh được biết.", "reply")
    if complaint.status in CLOSED and not (reply or note):
        raise ComplaintError("Vui lòng ghi lý do mở lại phản ánh.", "note")


def _action(before: str, target: str) -> str:
    if target == before:
        return "complaint.reply"
    if before in CLOSED:
        return "complaint.reopen"
    return f"complaint.{target}"


def _tell_reporter(complaint: Complaint, reply: str) -> None:
    """E-mail the reporter; the tracking link cannot be rebuilt (only its hash is kept), so
    the message tells them to open the link from the first e-mail. In their language."""
    with force_locale(complaint.locale or DEFAULT_LOCALE):
        body = _(
            "Phản ánh của bạn về %(subject)s hiện ở trạng thái: %(status)s.",
            subject=complaint.subject,
            status=translate_label(complaint.status_label),
        )
        if reply:
            body += "\n\n" + _("Trả lời của cán bộ phụ trách:") + f"\n{reply}"
        body += "\n\n" + _(
            "Xem toàn bộ quá trình xử lý qua liên kết riêng trong thư xác nhận đầu tiên."
        )
        subject = _("Chợ Việt: cập nhật về phản ánh của bạn")
    mail.queue(complaint.reporter_email or "", subject, body)


def hide_listing(official: User, complaint_id: int, reason: str | None) -> Complaint:
    """Take the product the complaint is about off the public site (moderation.hide_product:
    its own audit entry, index outbox row and e-mail to the producer), then record the step
    on the complaint."""
    reason_text = _text(reason, NOTE_MAX, "reason")
    if not reason_text:
        raise ComplaintError("Vui lòng ghi lý do ẩn sản phẩm.", "reason")
    complaint = get_for_official(official, complaint_id)
    if complaint.product_id is None:
        raise ComplaintError("Phản ánh này không gắn với một sản phẩm.", "reason")
    try:
        moderation.hide_product(complaint.product_id, official=official, note=reason_text)
    except (moderation.ModerationError, moderation.EntryNotFound) as exc:
        raise ComplaintError(str(exc), "reason") from exc
    with write_transaction():
        complaint = get_for_official(official, complaint_id)
        complaint.updated_at = utcnow()
        db.session.add(
            ComplaintEvent(
                complaint=complaint,
                actor_id=official.id,
                internal_note=f"Đã ẩn sản phẩm khỏi trang công khai. Lý do: {reason_text}",
            )
        )
        audit.record(
            official,
            "complaint.hide_listing",
            "complaint",
            complaint.id,
            after={"product_id": complaint.product_id, "product_status": "hidden"},
            reason=reason_text,
        )
    return complaint


# -- the officials' list --------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintList:
    items: list[Complaint]
    total: int
    counts: dict[str, int]  # per status, within the official's scope (and the kind filter)
    page: int
    pages: int


def list_for(
    official: User,
    *,
    status: str = "",
    kind: str = "",
    oldest_first: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> ComplaintList:
    """Complaints in the official's provinces (all for admins), filtered and paged."""
    scope = []
    if official.role != "admin":
        scope.append(Complaint.province_id.in_([p.id for p in official.provinces]))
    if kind in COMPLAINT_KINDS:
        scope.append(Complaint.kind == kind)
    counts = dict.fromkeys(COMPLAINT_STATES, 0)
    rows = db.session.execute(
        select(Complaint.status, func.count()).where(*scope).group_by(Complaint.status)
    )
    for key, n in rows:
        counts[key] = n
    where = [*scope, Complaint.status == status] if status in COMPLAINT_STATES else scope
    total = counts[status] if status in COMPLAINT_STATES else sum(counts.values())
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    order = Complaint.id.asc() if oldest_first else Complaint.id.desc()
    stmt = select(Complaint).where(*where).order_by(order)
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return ComplaintList(items, total, counts, page, pages)
