"""Unique, readable URL slugs (Vietnamese without accents)."""

from __future__ import annotations

from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Campaign, Producer, Product, Story
from catalog.platform.vietnamese import slugify

# The models with a unique slug.
Sluggable = type[Producer] | type[Product] | type[Campaign] | type[Story]


def unique_slug(
    model: Sluggable, text: str, *, hint: str = "", exclude_id: int | None = None
) -> str:
    """slugify(text), then with `hint` appended, then numbered, until no other row has it."""
    base = slugify(text)[:150].strip("-") or "muc"
    candidates = [base]
    if hint:
        candidates.append(f"{base}-{slugify(hint)}")
    for candidate in candidates:
        if not _taken(model, candidate, exclude_id):
            return candidate
    n = 2
    while _taken(model, f"{candidates[-1]}-{n}", exclude_id):
        n += 1
    return f"{candidates[-1]}-{n}"


def _taken(model: Sluggable, slug: str, exclude_id: int | None) -> bool:
    stmt = select(model.id).where(model.slug == slug)
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    return db.session.scalar(stmt.limit(1)) is not None
