"""A lookup that found nothing (or nothing this person may see) answers the 404 page: one
line in every view that loads an entry by its slug or id."""

from __future__ import annotations

from typing import TypeVar

from flask import abort

Entry = TypeVar("Entry")


def or_404(entry: Entry | None) -> Entry:
    """The entry; the 404 page when there is none."""
    if entry is None:
        abort(404)
    return entry
