"""Uploads in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Garage…), shared by all hosts.

A PUT is atomic in S3: the object appears whole or not at all, so no half file is ever
visible. Credentials come from boto3's usual places (AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY, a profile, an instance role), never from our settings. The client is
made per process, so a gunicorn master that built the app before forking never shares its
connection pool with its workers.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from catalog.storage.base import (
    StorageFull,
    StorageUnavailable,
    StoredObject,
    check_key,
    check_prefix,
)

# What S3-compatible services answer when they have no room left.
FULL_CODES = frozenset({"XMinioStorageFull", "InsufficientStorage", "QuotaExceeded"})
MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


class S3Storage:
    """Keys live under ``prefix`` in ``bucket`` (prefix "" or ending with "/")."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
    ) -> None:
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint_url = endpoint_url or None
        self.region = region or None
        self._client: Any = None
        self._pid = 0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"S3Storage({self.bucket!r}, {self.prefix!r}, endpoint_url={self.endpoint_url!r})"

    @property
    def client(self) -> Any:
        if self._client is None or self._pid != os.getpid():
            with self._lock:
                if self._client is None or self._pid != os.getpid():
                    self._client = self._make_client()
                    self._pid = os.getpid()
        return self._client

    def _make_client(self) -> Any:
        config = Config(
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
            # Self-hosted services (MinIO, Ceph) are reached by path, not by a bucket
            # sub-domain that nobody put in DNS.
            s3={"addressing_style": "path"} if self.endpoint_url else None,
        )
        session = boto3.session.Session()
        return session.client(
            "s3", endpoint_url=self.endpoint_url, region_name=self.region, config=config
        )

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        name = self._name(key)
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=name, Body=data, ContentType=content_type
            )
        except ClientError as exc:
            if _code(exc) in FULL_CODES or _status(exc) == 507:
                raise StorageFull(f"s3://{self.bucket}/{name}: {exc}") from exc
            raise StorageUnavailable(f"s3://{self.bucket}/{name}: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(f"s3://{self.bucket}/{name}: {exc}") from exc

    def get(self, key: str) -> bytes:
        stored = self.open(key)
        try:
            return stored.stream.read()
        finally:
            stored.stream.close()

    def open(self, key: str) -> StoredObject:
        name = self._name(key)
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=name)
        except (ClientError, BotoCoreError) as exc:
            raise self._read_error(name, exc) from exc
        modified = answer.get("LastModified")
        return StoredObject(
            stream=answer["Body"],
            size=int(answer["ContentLength"]),
            modified=modified.timestamp() if modified is not None else None,
        )

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except FileNotFoundError:
            return False
        return True

    def size(self, key: str) -> int:
        name = self._name(key)
        try:
            answer = self.client.head_object(Bucket=self.bucket, Key=name)
        except (ClientError, BotoCoreError) as exc:
            raise self._read_error(name, exc) from exc
        return int(answer["ContentLength"])

    def delete(self, key: str) -> None:
        name = self._name(key)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=name)  # missing: no error
        except (ClientError, BotoCoreError) as exc:
            raise StorageUnavailable(f"s3://{self.bucket}/{name}: {exc}") from exc

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        start = self.prefix + check_prefix(prefix)
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start
        )
        try:
            for page in pages:
                for entry in page.get("Contents", ()):
                    yield entry["Key"][len(self.prefix) :]
        except (ClientError, BotoCoreError) as exc:
            raise StorageUnavailable(f"s3://{self.bucket}/{start}: {exc}") from exc

    def _read_error(self, name: str, exc: Exception) -> OSError:
        if isinstance(exc, ClientError) and (_code(exc) in MISSING_CODES or _status(exc) == 404):
            return FileNotFoundError(f"s3://{self.bucket}/{name}")
        return StorageUnavailable(f"s3://{self.bucket}/{name}: {exc}")


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
