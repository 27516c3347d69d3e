"""Audit entries: every state change by a person, with before/after and reason.

Each entry carries the province of its entity (looked up here when the caller gives none),
so an official's view of the log is one indexed filter rather than a join per entity type.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from catalog.extensions import db
from catalog.models import (
    AuditEntry,
    Campaign,
    Complaint,
    ImportBatch,
    OcopCertificate,
    Producer,
    Product,
    Story,
    User,
)

# Entity types whose rows know their province (directly or through their product).
ENTITY_MODELS: dict[str, type] = {
    "producer": Producer,
    "product": Product,
    "complaint": Complaint,
    "campaign": Campaign,
    "story": Story,
    "certificate": OcopCertificate,
    "import": ImportBatch,
}


def snapshot(entity: object, *fields: str) -> dict[str, Any]:
    """The named attributes of `entity`, as an audit entry's before/after keeps them."""
    return {name: getattr(entity, name) for name in fields}


def record(
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    province_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (it commits with the change)."""
    if province_id is None:
        province_id = entity_province(entity_type, entity_id)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason or None,
        province_id=province_id,
    )
    db.session.add(entry)
    return entry


def entity_province(entity_type: str, entity_id: int | None) -> int | None:
    """The province an entity belongs to (None for users, unknown types, missing rows)."""
    model = ENTITY_MODELS.get(entity_type)
    if model is None or entity_id is None:
        return None
    row = db.session.get(model, entity_id)
    if row is None:
        return None
    if getattr(row, "province_id", None) is not None:
        return row.province_id
    for parent in ("product", "producer"):
        related = getattr(row, parent, None)
        if related is not None:
            return related.province_id
    return None


def history(entity_type: str, entity_id: int) -> list[AuditEntry]:
    """Every entry about one producer or product, oldest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    )
    return list(db.session.scalars(stmt))


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy the JSON column can store: dates as ISO strings, nested values included,
    anything else as its text."""
    if values is None:
        return None
    return {str(k): _plain(v) for k, v in values.items()}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)
