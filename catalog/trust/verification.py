""" "Đã xác minh" on a producer: the one written meaning, and the only code that sets it.

A producer becomes verified only when an official checks its papers and says so here, with
the evidence: the same step whether the producer registered itself, was claimed, imported
or registered by an official (onboarding). Approving a registration makes a producer
public, it does not verify it. The mark is withdrawn by an official (with the reason) or,
automatically, when the producer changes its legal name or tax code (profiles.py calls
`clear_after_identity_change`). Every change is audited and re-indexes the producer's
products (the badge and the "Đã xác minh" filter come from the search index).
"""

from __future__ import annotations

from typing import Any

from catalog.models import Producer, User
from catalog.platform.clock import utcnow
from catalog.review.decision_steps import ModerationError
from catalog.trust.marks import MARKABLE, Mark, clear_mark, reset, set_mark

__all__ = [
    "ModerationError",
    "FIELDS",
    "SAMPLE_NOTE",
    "VERIFIABLE",
    "VERIFIED",
    "VERIFIED_MEANING",
    "VERIFIED_SHORT",
    "clear_after_identity_change",
    "cleared_state",
    "mark_sample",
    "public_fields",
    "unverify_producer",
    "verify_producer",
]

# Shown on the public badge page, in the officials' form and quoted by the API docs.
VERIFIED_MEANING = (
    "Cán bộ cơ quan quản lý đã đối chiếu giấy tờ pháp lý của cơ sở: mã số thuế và giấy "
    "chứng nhận đăng ký doanh nghiệp, hợp tác xã hoặc hộ kinh doanh; người đại diện "
    "(người chịu trách nhiệm); địa chỉ sản xuất, kinh doanh. Trang cơ sở ghi ngày xác minh "
    "và giấy tờ đã đối chiếu. Nhãn không đánh giá chất lượng sản phẩm."
)
VERIFIED_SHORT = "Cán bộ đã đối chiếu giấy tờ pháp lý của cơ sở"
VERIFIED = Mark(
    field="verified",
    set_action="producer.verify",
    clear_action="producer.unverify",
    evidence_needed=(
        "Vui lòng ghi giấy tờ đã đối chiếu: mã số thuế, giấy chứng nhận đăng ký, "
        "người đại diện, địa chỉ."
    ),
    reason_needed="Vui lòng ghi lý do thu hồi nhãn “Đã xác minh”.",
    not_markable="Chỉ xác minh được cơ sở đã được duyệt.",
    not_marked="Cơ sở này chưa được xác minh.",
)
VERIFIABLE = MARKABLE
FIELDS = VERIFIED.fields


def public_fields(producer: Producer) -> dict[str, Any]:
    """The mark as the API gives it, on /api/v1/producers and in each product's producer:
    `verified` and `verified_at` (ISO 8601, UTC; null unless verified)."""
    at = producer.verified_at if producer.verified else None
    return {
        "verified": producer.verified,
        "verified_at": at.isoformat(timespec="seconds") if at else None,
    }


def verify_producer(official: User, producer_id: int, evidence: str | None) -> Producer:
    """Record that the official checked the producer's papers; `evidence` names them
    (required, shown publicly)."""
    return set_mark(official, producer_id, VERIFIED, evidence)


def unverify_producer(official: User, producer_id: int, reason: str | None) -> Producer:
    """Withdraw the mark, with the reason (required)."""
    return clear_mark(official, producer_id, VERIFIED, reason)


SAMPLE_NOTE = "Dữ liệu mẫu: cơ sở trong bộ dữ liệu trình diễn, chưa có cán bộ đối chiếu."


def mark_sample(producer: Producer) -> bool:
    """The demo catalogue shows what a verified producer looks like; the note says it is
    sample data (no official checked anything). The caller re-indexes; returns whether the
    mark is new."""
    if producer.verified:
        return False
    producer.verified = True
    producer.verified_note = SAMPLE_NOTE
    producer.verified_at = utcnow()
    producer.verified_by_id = None
    return True


def cleared_state() -> dict[str, Any]:
    """What the fields hold once the mark is withdrawn (for the caller's audit entry)."""
    return dict.fromkeys(FIELDS) | {"verified": False}


def clear_after_identity_change(producer: Producer) -> bool:
    """The papers no longer match what was checked (the producer changed its legal name or
    tax code): drop the mark until an official checks again. The caller audits and
    re-indexes, inside its own transaction; returns whether the mark was there."""
    if not producer.verified:
        return False
    reset(producer, VERIFIED)
    return True
