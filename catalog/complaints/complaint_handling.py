"""Officials handle a complaint of their provinces: new → investigating → resolved /
dismissed.

A new complaint may also be closed at once (an obvious duplicate or spam). Resolved and
dismissed are final unless an official reopens the complaint, which sends it back to
investigating with a reason. Investigating never goes back to new: "new" means nobody has
looked yet. Each step is a ComplaintEvent with an optional reply (shown to the reporter,
e-mailed when they left an address) and an internal note (officials only), plus an audit
entry.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from catalog.complaints.complaints import ComplaintError, ComplaintNotFound
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import COMPLAINT_STATES, Complaint, ComplaintEvent, User
from catalog.platform import audit, mail
from catalog.platform.clock import utcnow
from catalog.platform.vietnamese import clean_multiline
from catalog.review import moderation
from catalog.review.decision_steps import check_scope
from catalog.web.i18n import DEFAULT_LOCALE, translate_label

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


def get_for_official(official: User, complaint_id: int) -> Complaint:
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        raise ComplaintNotFound()
    check_scope(official, complaint.province_id)
    return complaint


def next_statuses(complaint: Complaint) -> tuple[str, ...]:
    return TRANSITIONS.get(complaint.status, ())


def _text(value: str | None, limit: int, field: str) -> str:
    text = clean_multiline(value)
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
