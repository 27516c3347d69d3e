"""An official's decision on a claim: a user asks to take over a producer already listed
(usually one officials imported), and the official hands it over or refuses.

Same shape as the other decisions (moderation.py): one transaction holding the change, the
audit entry and the e-mail; a refusal raises before anything is written.
"""

from __future__ import annotations

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import ProducerClaim, User
from catalog.models.statuses import ProducerStatus
from catalog.platform import audit, mail
from catalog.platform.clock import utcnow
from catalog.review.decision_steps import (
    NOTE_LABELS,
    EntryNotFound,
    ModerationError,
    check_decision,
    check_scope,
    reason,
)


def decide_claim(official: User, claim_id: int, decision: str, note: str | None) -> ProducerClaim:
    """Hand an existing producer over to the user who claimed it, or refuse."""
    check_decision(decision, ("approve", "reject"))
    with write_transaction():
        claim = db.session.get(ProducerClaim, claim_id)
        if claim is None:
            raise EntryNotFound("Không tìm thấy yêu cầu này.")
        check_scope(official, claim.producer.province_id)
        if claim.status != "pending":
            raise ModerationError("Yêu cầu này đã được xử lý.")
        note = reason(note, decision)
        claim.status = "approved" if decision == "approve" else "rejected"
        claim.decision_note = note or None
        claim.decided_by_id = official.id
        claim.decided_at = utcnow()
        user = claim.user
        before = {"user_producer_id": user.producer_id}
        if decision == "approve":
            abandoned = user.producer
            user.producer_id = claim.producer_id
            # Their own registration, not approved and without listings, is closed.
            if (
                abandoned is not None
                and abandoned.status != ProducerStatus.ACTIVE
                and not abandoned.products
            ):
                abandoned.status = ProducerStatus.REJECTED
        audit.record(
            official,
            f"claim.{claim.status}",
            "producer",
            claim.producer_id,
            before=before,
            after={"user": user.email, "user_producer_id": user.producer_id},
            reason=note,
        )
        words = "đã được chấp nhận" if decision == "approve" else "chưa được chấp nhận"
        label = NOTE_LABELS[decision]
        mail.queue(
            user.email,
            f"Chợ Việt: yêu cầu quản lý {claim.producer.name} {words}",
            f"Yêu cầu quản lý hồ sơ {claim.producer.name} {words}."
            + (f"\n\n{label}: {note}" if note else ""),
        )
    return claim
