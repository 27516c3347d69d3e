"""What campaigns and stories share: an official's entry with a title, a summary, Markdown
text, a picture with its text alternative, and a province; written as a draft, edited in
place (the slug stays, so shared links keep working), then published or taken back.

Each service describes its kind of entry once (a `Kind`) and these steps do the rest,
so both apply the same rules in the same order and write the same shape of audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.listings.listing_uploads import Upload
from catalog.models import Campaign, Province, Story, User
from catalog.models.statuses import PublicationStatus
from catalog.platform import audit
from catalog.platform.slugs import unique_slug
from catalog.promotion.promotion_common import (
    MAX_ALT,
    MAX_SUMMARY,
    MAX_TITLE,
    PromotionError,
    load_in_scope,
    markdown_text,
    store_picture,
    text,
)

Entry = TypeVar("Entry", Campaign, Story)


def _no_hint(_clean: dict[str, Any]) -> str:
    return ""


@dataclass(frozen=True)
class Kind(Generic[Entry]):
    """One kind of entry: its model; its name in audit entries ("campaign" → the actions
    campaign.create, campaign.publish...); its picture ("banner" → the form field and the
    banner_digest, banner_alt columns); the column naming who made it; its own checks
    (`clean`: the values to store, or PromotionError); what its audit entries record; the
    hint that tells two slugs of one title apart; and what publishing also stamps."""

    model: type[Entry]
    name: str
    picture: str
    owner: str
    clean: Callable[[User, dict[str, Any]], dict[str, Any]]
    snapshot: Callable[[Entry], dict[str, Any]]
    slug_hint: Callable[[dict[str, Any]], str] = _no_hint
    on_publish: Callable[[Entry], None] | None = None

    @property
    def digest(self) -> str:
        return f"{self.picture}_digest"

    @property
    def alt(self) -> str:
        return f"{self.picture}_alt"


# -- checks ---------------------------------------------------------------------------------


def texts(values: dict[str, Any], *, title_label: str, body: str, alt: str) -> dict[str, Any]:
    """The title, summary, Markdown `body` and picture text `alt`, cleaned and checked."""
    return {
        "title": text(values, "title", MAX_TITLE, title_label, required=True),
        "summary": text(values, "summary", MAX_SUMMARY, "tóm tắt", required=False),
        body: markdown_text(values, body),
        alt: text(values, alt, MAX_ALT, "mô tả ảnh", required=False),
    }


def province(
    user: User, values: dict[str, Any], *, nationwide: str, unknown: str, outside: str
) -> int | None:
    """The province the entry belongs to: one the user covers; none (nationwide) only for
    admins. Each refusal is the service's own wording."""
    province_id = values.get("province_id") or None
    if province_id is None:
        if user.role != "admin":
            raise PromotionError(nationwide, field="province_id")
        return None
    if db.session.get(Province, province_id) is None:
        raise PromotionError(unknown, field="province_id")
    if not user.covers(province_id):
        raise PromotionError(outside, field="province_id")
    return province_id


def fields_of(entry: Campaign | Story, names: tuple[str, ...]) -> dict[str, Any]:
    """The named columns' values, as an audit entry records them."""
    return {name: getattr(entry, name) for name in names}


def _require_alt(kind: Kind[Entry], clean: dict[str, Any], digest: str | None) -> None:
    if digest and not clean[kind.alt]:
        raise PromotionError(
            "Vui lòng mô tả ngắn nội dung ảnh bìa (cho người không xem được ảnh).",
            field=kind.alt,
        )


# -- steps ----------------------------------------------------------------------------------


def create(kind: Kind[Entry], user: User, values: dict[str, Any], picture: Upload | None) -> Entry:
    """A new draft; the picture is processed before the transaction."""
    clean = kind.clean(user, values)
    digest = store_picture(picture, kind.picture)
    _require_alt(kind, clean, digest)
    with write_transaction():
        made = {kind.digest: digest, kind.owner: user.id, "status": PublicationStatus.DRAFT}
        entry = kind.model(**clean, **made)
        entry.slug = unique_slug(kind.model, clean["title"], hint=kind.slug_hint(clean))
        db.session.add(entry)
        db.session.flush()
        audit.record(user, f"{kind.name}.create", kind.name, entry.id, after=kind.snapshot(entry))
    return entry


def update(
    kind: Kind[Entry],
    user: User,
    entry_id: int,
    values: dict[str, Any],
    picture: Upload | None,
) -> Entry:
    """Edit an entry of the user's provinces; the slug stays."""
    load_in_scope(kind.model, user, entry_id)
    clean = kind.clean(user, values)
    digest = store_picture(picture, kind.picture)
    with write_transaction():
        entry = load_in_scope(kind.model, user, entry_id)
        _require_alt(kind, clean, digest or getattr(entry, kind.digest))
        before = kind.snapshot(entry)
        for name, value in clean.items():
            setattr(entry, name, value)
        if digest:
            setattr(entry, kind.digest, digest)
        after = kind.snapshot(entry)
        audit.record(user, f"{kind.name}.update", kind.name, entry.id, before=before, after=after)
    return entry


def set_published(kind: Kind[Entry], user: User, entry_id: int, published: bool) -> Entry:
    """Publish a draft, or take a published entry back to draft."""
    with write_transaction():
        entry = load_in_scope(kind.model, user, entry_id)
        before = entry.status
        entry.status = PublicationStatus.PUBLISHED if published else PublicationStatus.DRAFT
        if published and kind.on_publish is not None:
            kind.on_publish(entry)
        audit.record(
            user,
            f"{kind.name}.{'publish' if published else 'unpublish'}",
            kind.name,
            entry.id,
            before={"status": before},
            after={"status": entry.status},
        )
    return entry
