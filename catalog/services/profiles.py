"""A producer's business profile, and claims of a tax code already in the catalogue."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from ..database import write_transaction
from ..extensions import db
from ..models import Producer, ProducerClaim, User
from ..vietnamese import normalize_key
from . import audit, outbox
from .images import store_image

FIELDS = (
    "name",
    "type",
    "tax_code",
    "representative",
    "province_id",
    "ward_code",
    "ward_name",
    "address",
    "phone",
    "email",
    "website",
    "facebook_url",
    "zalo",
    "description",
)


class ProfileError(ValueError):
    """A polite reason the profile change was refused."""


class TaxCodeTaken(ProfileError):
    """The tax code belongs to a producer already listed: the user may claim it."""

    def __init__(self, producer: Producer) -> None:
        super().__init__("Mã số thuế này đã có trong danh mục.")
        self.producer = producer


def update_profile(user: User, values: dict[str, Any]) -> Producer:
    producer = user.producer
    if producer is None:
        raise ProfileError("Tài khoản của bạn chưa gắn với cơ sở sản xuất nào.")
    tax_code = values.get("tax_code")
    if tax_code:
        owner = db.session.scalar(
            select(Producer).where(Producer.tax_code == tax_code, Producer.id != producer.id)
        )
        if owner is not None:
            raise TaxCodeTaken(owner)
    with write_transaction():
        before = {name: getattr(producer, name) for name in FIELDS}
        for name in FIELDS:
            if name in values:
                setattr(producer, name, values[name] if values[name] != "" else None)
        producer.name_key = normalize_key(producer.name)
        after = {name: getattr(producer, name) for name in FIELDS}
        changed = {k: v for k, v in after.items() if before[k] != v}
        if producer.status == "changes_requested" and changed:
            producer.status = "pending"  # back in the queue after the requested edits
        audit.record(user, "profile.update", "producer", producer.id,
                     before={k: before[k] for k in changed}, after=changed)  # fmt: skip
        if changed.keys() & {"name", "province_id"}:
            outbox.record([p.id for p in producer.products], "producer_renamed")
    return producer


def set_logo(user: User, source: Any) -> None:
    producer = user.producer
    if producer is None:
        raise ProfileError("Tài khoản của bạn chưa gắn với cơ sở sản xuất nào.")
    stored = store_image(source, current_app.config["UPLOADS_DIR"],
                         max_bytes=current_app.config["MAX_UPLOAD_BYTES"])  # fmt: skip
    with write_transaction():
        before = producer.logo_digest
        producer.logo_digest = stored.digest
        audit.record(user, "profile.logo", "producer", producer.id,
                     before={"logo": before}, after={"logo": stored.digest})  # fmt: skip


def claim(user: User, producer: Producer, message: str) -> ProducerClaim:
    """Ask officials to hand an existing producer over to this user."""
    pending = db.session.scalar(
        select(ProducerClaim).where(
            ProducerClaim.user_id == user.id,
            ProducerClaim.producer_id == producer.id,
            ProducerClaim.status == "pending",
        )
    )
    if pending is not None:
        return pending
    with write_transaction():
        item = ProducerClaim(producer_id=producer.id, user_id=user.id, message=message[:2000])
        db.session.add(item)
        db.session.flush()
        audit.record(user, "claim.create", "producer", producer.id, reason=message[:2000])
    return item
