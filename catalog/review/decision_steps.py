"""Steps every official's decision shares: errors, scope and reason checks, the producer's
e-mail and absolute links that work outside a request.

Kept apart from moderation.py so that the decision modules (moderation, claims, the queue's
completion forms) can share them without importing one another.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from catalog.errors import Forbidden, Invalid, NotFound
from catalog.extensions import db
from catalog.models import Producer, User
from catalog.platform import mail
from catalog.platform.links import site_url

DECISIONS = ("approve", "reject", "request_changes")
MAX_NOTE = 2000
NO_REASON_NEEDED = ("approve", "reinstate", "restore")
NOTE_LABELS = {
    "approve": "Ghi chú",
    "reinstate": "Ghi chú",
    "restore": "Ghi chú",
    "reject": "Lý do",
    "suspend": "Lý do",
    "hide": "Lý do",
    "request_changes": "Nội dung cần bổ sung",
}


class ModerationError(Invalid):
    """A polite reason the decision cannot be taken (shown to the official)."""


class EntryNotFound(NotFound):
    """The entry does not exist (any more): deleted by its producer, or a wrong id."""


def check_scope(official: User, *province_ids: int | None) -> None:
    """Refuse (Forbidden) unless the official is active and covers every given province."""
    if not official.is_active:
        raise Forbidden("Tài khoản của bạn đang bị khóa.")
    for province_id in province_ids:
        if province_id is not None and not official.covers(province_id):
            raise Forbidden()


def reason(note: str | None, decision: str) -> str:
    """The trimmed note; refusals and requests need one so the producer knows what to do."""
    note = (note or "").strip()[:MAX_NOTE]
    if decision not in NO_REASON_NEEDED and not note:
        raise ModerationError("Vui lòng ghi lý do để cơ sở biết cần làm gì.")
    return note


def check_decision(decision: str, allowed: Collection[str] = DECISIONS) -> None:
    if decision not in allowed:
        raise ModerationError(f"Quyết định không hợp lệ: {decision!r}.")


def with_note(text: str, decision: str, note: str) -> str:
    return text + (f"\n\n{NOTE_LABELS[decision]}: {note}" if note else "")


def notify(producer: Producer, subject: str, body: str) -> None:
    """Queue an e-mail to every active account of the producer (sent after commit)."""
    link = site_url("producer.dashboard", "producer")
    people = select(User).where(User.producer_id == producer.id, User.active.is_(True))
    for person in db.session.scalars(people):
        mail.queue(person.email, f"Chợ Việt: {subject}", f"{body}\n\nXem chi tiết: {link}")
