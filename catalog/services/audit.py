"""Audit entries: every state change by a person, with before/after and reason."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import AuditEntry, User


def record(
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (it commits with the change)."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason or None,
    )
    db.session.add(entry)
    return entry


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {
        k: v if isinstance(v, str | int | float | bool | type(None) | list | dict) else str(v)
        for k, v in values.items()
    }
