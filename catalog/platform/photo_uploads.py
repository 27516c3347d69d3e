"""A photo from a form into the image pipeline and the public storage, before any
transaction opens (a slow or refused upload never holds the write lock), with the app's
size limit and the pipeline's PHOTO_LIMITS (pixels, shortest side, aspect). Every feature
that takes photos (listings, the producer's logo, onboarding, promotion) uses it."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from flask import current_app

from catalog.platform.images import PHOTO_LIMITS, ImageRejected, StoredImage, store_image
from catalog.storage import StorageError, current_storage, refusal_message


def store_photo(
    stream: IO[bytes],
    refuse: Callable[[str], Exception],
    *,
    label: str = "",
    admit: Callable[[str, int], None] | None = None,
) -> StoredImage:
    """Store the photo, or raise `refuse(message)`: the pipeline's Vietnamese refusal (after
    `label`, naming the photo, when given) or the storage's (full disk: the form comes back
    as typed with a 507). `admit(digest, stored_bytes)` may refuse the photo before it is written
    (a quota); what it raises propagates as it is."""
    try:
        return store_image(
            stream,
            current_storage(),
            max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
            limits=PHOTO_LIMITS,
            admit=admit,
        )
    except ImageRejected as exc:
        raise refuse(f"{label}: {exc}" if label else str(exc)) from exc
    except StorageError as exc:
        raise refuse(refusal_message(exc)) from exc
