"""An official's mark on a producer ("Địa chỉ tin cậy", "Đã xác minh"): the one way it is set
and withdrawn.

Both marks are public claims made by a named official about a producer they checked, so
both carry the same four fields (flag, note, when, by whom), need a note (the evidence when
set, the reason when withdrawn), are refused outside the official's provinces, are audited
and re-index the producer's products (badges and the trust filters come from the index).
`trust.py` and `verification.py` declare their mark and its wording; this module does the
rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Producer, User
from catalog.platform import audit, outbox
from catalog.platform.clock import utcnow
from catalog.review.decision_steps import MAX_NOTE, EntryNotFound, ModerationError, check_scope

__all__ = ["MARKABLE", "Mark", "clear_mark", "reset", "set_mark"]

# Only a producer the officials approved (or one suspended for a while) can be marked.
MARKABLE = ("active", "suspended")


@dataclass(frozen=True)
class Mark:
    """One mark: the producer's column prefix, its audit actions and its refusals."""

    field: str
    set_action: str
    clear_action: str
    evidence_needed: str
    reason_needed: str
    not_markable: str
    not_marked: str

    @property
    def fields(self) -> tuple[str, str, str, str]:
        return (self.field, f"{self.field}_note", f"{self.field}_at", f"{self.field}_by_id")


def _state(producer: Producer, mark: Mark) -> dict[str, Any]:
    return audit.snapshot(producer, *mark.fields)


def _clean_note(note: str | None, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ModerationError(message)
    if len(note) > MAX_NOTE:
        raise ModerationError(f"Ghi chú tối đa {MAX_NOTE} ký tự.")
    return note


def _load(official: User, producer_id: int) -> Producer:
    producer = db.session.get(Producer, producer_id)
    if producer is None:
        raise EntryNotFound("Không tìm thấy cơ sở sản xuất này.")
    check_scope(official, producer.province_id)
    return producer


def reset(producer: Producer, mark: Mark) -> None:
    """Drop the mark and everything it said (the caller audits)."""
    flag, note, at, by = mark.fields
    setattr(producer, flag, False)
    setattr(producer, note, None)
    setattr(producer, at, None)
    setattr(producer, by, None)


def _record(
    official: User, mark: Mark, action: str, producer: Producer, before: dict, note: str
) -> None:
    audit.record(
        official,
        action,
        "producer",
        producer.id,
        before=before,
        after=_state(producer, mark),
        reason=note,
    )
    outbox.record([p.id for p in producer.products], action.replace(".", "_"))


def set_mark(official: User, producer_id: int, mark: Mark, evidence: str | None) -> Producer:
    """Set the mark with the evidence (required, shown publicly). Setting it again replaces
    the evidence and the date; the audit log keeps the earlier ones."""
    with write_transaction():
        producer = _load(official, producer_id)
        note = _clean_note(evidence, mark.evidence_needed)
        if producer.status not in MARKABLE:
            raise ModerationError(mark.not_markable)
        before = _state(producer, mark)
        flag, note_field, at, by = mark.fields
        setattr(producer, flag, True)
        setattr(producer, note_field, note)
        setattr(producer, at, utcnow())
        setattr(producer, by, official.id)
        _record(official, mark, mark.set_action, producer, before, note)
    return producer


def clear_mark(official: User, producer_id: int, mark: Mark, reason: str | None) -> Producer:
    """Withdraw the mark, with the reason (required)."""
    with write_transaction():
        producer = _load(official, producer_id)
        note = _clean_note(reason, mark.reason_needed)
        if not getattr(producer, mark.field):
            raise ModerationError(mark.not_marked)
        before = _state(producer, mark)
        reset(producer, mark)
        _record(official, mark, mark.clear_action, producer, before, note)
    return producer
