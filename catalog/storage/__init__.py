"""Where uploaded files live: one small interface, a shared directory or S3-compatible storage.

Two areas: ``uploads`` (the public image variants, served by /anh/…) and ``private``
(certificate scans and officials' import files, never served publicly). With
CHOVIET_S3_BUCKET set both live in that bucket, under ``<prefix>/uploads/`` and
``<prefix>/private/``; otherwise in UPLOADS_DIR and PRIVATE_DIR, as they always have.
Each app builds its storages once (kept in ``app.extensions``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context

from catalog.storage.base import (
    InvalidKey,
    Storage,
    StorageError,
    StorageFull,
    StorageUnavailable,
    StoredObject,
    check_key,
)
from catalog.storage.local import LocalStorage

__all__ = [
    "InvalidKey",
    "LocalStorage",
    "Storage",
    "StorageError",
    "StorageFull",
    "StorageUnavailable",
    "StoredObject",
    "build_storage",
    "check_key",
    "current_private_storage",
    "current_storage",
    "get_private_storage",
    "get_storage",
    "refusal_message",
    "refused_status",
]

log = logging.getLogger(__name__)

EXTENSION = "choviet.storage"
AREAS = ("uploads", "private")
_STATUS_KEY = "_storage_refused_status"


def build_storage(config: Any, area: str = "uploads") -> Storage:
    """A storage for one area from the settings (S3 when S3_BUCKET is set)."""
    if area not in AREAS:
        raise ValueError(f"unknown storage area {area!r}")
    bucket = (config.get("S3_BUCKET") or "").strip()
    if bucket:
        from catalog.storage.s3 import S3Storage  # boto3 is only imported by sites that use it

        prefix = (config.get("S3_PREFIX") or "").strip().strip("/")
        return S3Storage(
            bucket,
            f"{prefix}/{area}/" if prefix else f"{area}/",
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region=config.get("S3_REGION") or None,
        )
    if area == "uploads":
        return LocalStorage(Path(config["UPLOADS_DIR"]))
    private = config.get("PRIVATE_DIR") or Path(config["INSTANCE_PATH"]) / "private"
    return LocalStorage(Path(private))


def _storages(app: Flask) -> dict[str, Storage]:
    storages = app.extensions.get(EXTENSION)
    if storages is None:
        storages = {area: build_storage(app.config, area) for area in AREAS}
        app.extensions[EXTENSION] = storages
    return storages


def get_storage(app: Flask) -> Storage:
    """The app's public uploads (image variants)."""
    return _storages(app)["uploads"]


def get_private_storage(app: Flask) -> Storage:
    """The app's private files (certificate scans, import files)."""
    return _storages(app)["private"]


def current_storage() -> Storage:
    return get_storage(current_app)


def current_private_storage() -> Storage:
    return get_private_storage(current_app)


def refusal_message(exc: StorageError) -> str:
    """The polite message for a refused upload, for a service that shows it next to the
    form field; the page re-showing the form then answers with the storage's status (507 or
    503, see refused_status) instead of the 422 of a validation error."""
    log.error("upload storage refused a write: %s", exc.detail or exc)
    if has_request_context():
        setattr(g, _STATUS_KEY, exc.status)
    return str(exc)


def refused_status() -> int | None:
    """The status of a storage refusal reported during this request, if any."""
    return g.pop(_STATUS_KEY, None) if has_request_context() else None
