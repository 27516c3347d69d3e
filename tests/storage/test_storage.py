"""The upload storage interface: a local (or NFS-shared) directory written atomically, and an
S3-compatible bucket checked against moto's in-process S3, up to a product photo uploaded
through the site and served back by /anh/… from the bucket."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Product
from catalog.platform.images import SIZES, store_image, variant_key
from catalog.storage import (
    EXTENSION,
    InvalidKey,
    LocalStorage,
    Storage,
    StorageError,
    StorageFull,
    StorageUnavailable,
    build_storage,
    current_private_storage,
    current_storage,
)
from catalog.storage import local as local_module
from catalog.storage.s3 import S3Storage
from tests.forms import post_form
from tests.listings.support import DESCRIPTION, PRODUCERS, category_id, file, jpeg, owner, pdf

BUCKET = "choviet-test"
UNSAFE_KEYS = [
    "",
    "..",
    "../outside.txt",
    "a/../../outside.txt",
    "a/..",
    "/etc/passwd",
    "/absolute/key",
    "a\\..\\outside.txt",
    "a\\b",
    "a\x00b",
    "nul\x00",
    "a//b",
    "a/./b",
    "./a",
    "a/",
    ".tmp-123",
    "a/.hidden",
    "x" * 600,
]


def all_files(root: Path) -> list[str]:
    """Every file under root, hidden ones (temp files) included."""
    return sorted(
        str(Path(directory, name).relative_to(root))
        for directory, _, names in os.walk(root)
        for name in names
    )


# -- LocalStorage ---------------------------------------------------------------------------


def test_local_put_get_open_exists_size_delete_and_iter(tmp_path: Path):
    storage = LocalStorage(tmp_path)
    assert isinstance(storage, Storage)
    storage.put("ab/abc-thumb.webp", b"RIFF1234", "image/webp")
    storage.put("certificates/x.pdf", b"%PDF-1.4")
    assert (tmp_path / "ab" / "abc-thumb.webp").read_bytes() == b"RIFF1234"  # today's layout
    assert storage.get("ab/abc-thumb.webp") == b"RIFF1234"
    assert storage.exists("ab/abc-thumb.webp") and not storage.exists("ab/missing.webp")
    assert storage.size("certificates/x.pdf") == 8
    opened = storage.open("certificates/x.pdf")
    with opened.stream:
        assert (opened.stream.read(), opened.size) == (b"%PDF-1.4", 8)
    assert opened.modified is not None
    assert sorted(storage.iter_keys()) == ["ab/abc-thumb.webp", "certificates/x.pdf"]
    assert list(storage.iter_keys("ab/")) == ["ab/abc-thumb.webp"]
    assert list(storage.iter_keys("cert")) == ["certificates/x.pdf"]
    assert list(storage.iter_keys("zz/")) == []
    storage.delete("ab/abc-thumb.webp")
    storage.delete("ab/abc-thumb.webp")  # deleting a missing key is no error
    assert not storage.exists("ab/abc-thumb.webp")
    with pytest.raises(FileNotFoundError):
        storage.get("ab/abc-thumb.webp")
    with pytest.raises(FileNotFoundError):
        storage.open("ab/abc-thumb.webp")


def test_local_put_replaces_atomically_and_leaves_no_temp_file(tmp_path: Path):
    storage = LocalStorage(tmp_path)
    storage.put("k/file.bin", b"old" * 1000)
    reader = open(tmp_path / "k" / "file.bin", "rb")  # noqa: SIM115 - a reader mid-way
    try:
        storage.put("k/file.bin", b"new")
        # A rename, not a rewrite in place: the open reader still sees the whole old file.
        assert reader.read() == b"old" * 1000
    finally:
        reader.close()
    assert storage.get("k/file.bin") == b"new"
    assert all_files(tmp_path) == ["k/file.bin"]


@pytest.mark.parametrize("error", [errno.EIO, errno.ENOSPC], ids=["EIO", "ENOSPC"])
def test_local_write_failure_removes_the_temp_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int
):
    storage = LocalStorage(tmp_path)
    storage.put("k/file.bin", b"complete old content")
    seen: list[list[str]] = []

    def half_then_fail(handle, data: bytes) -> None:  # type: ignore[no-untyped-def]
        handle.write(data[: len(data) // 2])
        handle.flush()
        seen.append(all_files(tmp_path))
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(local_module, "_write_all", half_then_fail)
    expected = StorageFull if error == errno.ENOSPC else OSError
    with pytest.raises(expected) as caught:
        storage.put("k/file.bin", b"x" * 10_000)
    assert [name for name in seen[0] if ".tmp-" in name]  # half a file existed mid-write
    assert all_files(tmp_path) == ["k/file.bin"]  # and is gone: no temp, no half file
    assert storage.get("k/file.bin") == b"complete old content"
    if error == errno.ENOSPC:
        assert caught.value.status == 507 and caught.value.errno == errno.ENOSPC
        assert "hết chỗ lưu tệp" in str(caught.value)
    else:
        assert not isinstance(caught.value, StorageError)


@pytest.mark.parametrize("error", [errno.EDQUOT, errno.EFBIG], ids=["EDQUOT", "EFBIG"])
def test_quota_and_file_size_limits_count_as_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int
):
    def fail(handle, data: bytes) -> None:  # type: ignore[no-untyped-def]
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(local_module, "_write_all", fail)
    with pytest.raises(StorageFull):
        LocalStorage(tmp_path).put("a/b", b"data")
    assert all_files(tmp_path) == []


@pytest.mark.parametrize("key", UNSAFE_KEYS)
def test_local_refuses_keys_that_could_leave_the_root(tmp_path: Path, key: str):
    root = tmp_path / "root"
    storage = LocalStorage(root)
    (tmp_path / "outside.txt").write_bytes(b"keep me")
    for call in (
        lambda: storage.put(key, b"evil"),
        lambda: storage.get(key),
        lambda: storage.open(key),
        lambda: storage.exists(key),
        lambda: storage.size(key),
        lambda: storage.delete(key),
    ):
        with pytest.raises(InvalidKey):
            call()
    assert (tmp_path / "outside.txt").read_bytes() == b"keep me"
    assert all_files(tmp_path) == ["outside.txt"]


def test_iter_keys_skips_writes_in_progress_and_refuses_unsafe_prefixes(tmp_path: Path):
    storage = LocalStorage(tmp_path)
    storage.put("ab/one.webp", b"1")
    (tmp_path / "ab" / ".tmp-abc123").write_bytes(b"half")
    assert list(storage.iter_keys()) == ["ab/one.webp"]
    for prefix in ("../", "/etc/", "a\\b"):
        with pytest.raises(InvalidKey):
            list(storage.iter_keys(prefix))


# -- S3Storage (moto) -----------------------------------------------------------------------


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto's in-process S3 with fake credentials from boto3's standard variables."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        yield


def bucket_keys() -> list[str]:
    answer = boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket=BUCKET)
    return sorted(entry["Key"] for entry in answer.get("Contents", ()))


def test_s3_put_get_exists_size_delete_and_iter(aws: None):
    storage = S3Storage(BUCKET, "site/uploads", region="us-east-1")
    other = S3Storage(BUCKET, "site/private/", region="us-east-1")
    assert isinstance(storage, Storage)
    storage.put("ab/abc-thumb.webp", b"RIFF1234", "image/webp")
    storage.put("cd/cde-large.webp", b"RIFF5678", "image/webp")
    other.put("certificates/x.pdf", b"%PDF-1.4", "application/pdf")
    assert bucket_keys() == [
        "site/private/certificates/x.pdf",
        "site/uploads/ab/abc-thumb.webp",
        "site/uploads/cd/cde-large.webp",
    ]
    head = boto3.client("s3", region_name="us-east-1").head_object(
        Bucket=BUCKET, Key="site/uploads/ab/abc-thumb.webp"
    )
    assert head["ContentType"] == "image/webp"
    assert storage.get("ab/abc-thumb.webp") == b"RIFF1234"
    opened = storage.open("cd/cde-large.webp")
    with opened.stream:
        assert (opened.stream.read(), opened.size) == (b"RIFF5678", 8)
    assert storage.exists("ab/abc-thumb.webp") and not storage.exists("certificates/x.pdf")
    assert storage.size("ab/abc-thumb.webp") == 8
    assert sorted(storage.iter_keys()) == ["ab/abc-thumb.webp", "cd/cde-large.webp"]
    assert list(storage.iter_keys("cd/")) == ["cd/cde-large.webp"]
    assert list(other.iter_keys()) == ["certificates/x.pdf"]
    storage.put("ab/abc-thumb.webp", b"replaced")
    assert storage.get("ab/abc-thumb.webp") == b"replaced"
    storage.delete("ab/abc-thumb.webp")
    storage.delete("ab/abc-thumb.webp")
    assert not storage.exists("ab/abc-thumb.webp")
    for call in (storage.get, storage.open, storage.size):
        with pytest.raises(FileNotFoundError):
            call("ab/abc-thumb.webp")
    for key in ("../private/certificates/x.pdf", "/abs", "a\\b", "a\x00"):
        with pytest.raises(InvalidKey):
            storage.get(key)


def test_s3_image_pipeline_stores_every_variant_once(aws: None):
    storage = S3Storage(BUCKET, "uploads/", region="us-east-1")
    stored = store_image(jpeg(), storage)
    assert sorted(storage.iter_keys()) == sorted(variant_key(stored.digest, s) for s in SIZES)
    again = store_image(jpeg(), storage)
    assert again.digest == stored.digest and len(bucket_keys()) == len(SIZES)


def test_s3_storage_full_and_unreachable_become_polite_errors(aws: None):
    storage = S3Storage(BUCKET, "uploads/", region="us-east-1")
    with Stubber(storage.client) as stub:
        stub.add_client_error("put_object", "XMinioStorageFull", http_status_code=507)
        stub.add_client_error("put_object", "InternalError", http_status_code=500)
        stub.add_client_error("get_object", "InternalError", http_status_code=500)
        with pytest.raises(StorageFull) as full:
            storage.put("ab/x.webp", b"data")
        with pytest.raises(StorageUnavailable) as down:
            storage.put("ab/x.webp", b"data")
        with pytest.raises(StorageUnavailable):
            storage.get("ab/x.webp")
    assert full.value.status == 507 and down.value.status == 503
    assert bucket_keys() == []


def test_a_client_per_process(aws: None, monkeypatch: pytest.MonkeyPatch):
    """A gunicorn master that built the storage before forking never lends its client."""
    storage = S3Storage(BUCKET, region="us-east-1")
    first = storage.client
    assert storage.client is first
    monkeypatch.setattr(os, "getpid", lambda: -1)
    assert storage.client is not first


# -- choosing the storage ------------------------------------------------------------------


def test_the_settings_choose_the_storage(tmp_path: Path):
    config = {"UPLOADS_DIR": tmp_path / "up", "PRIVATE_DIR": tmp_path / "priv"}
    uploads, private = build_storage(config, "uploads"), build_storage(config, "private")
    assert isinstance(uploads, LocalStorage) and uploads.root == tmp_path / "up"
    assert isinstance(private, LocalStorage) and private.root == tmp_path / "priv"
    config |= {
        "S3_BUCKET": "media",
        "S3_PREFIX": "/choviet/",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "S3_REGION": "vn-1",
    }
    uploads, private = build_storage(config, "uploads"), build_storage(config, "private")
    assert isinstance(uploads, S3Storage) and isinstance(private, S3Storage)
    assert (uploads.bucket, uploads.prefix, private.prefix) == (
        "media",
        "choviet/uploads/",
        "choviet/private/",
    )
    assert (uploads.endpoint_url, uploads.region) == ("http://127.0.0.1:9000", "vn-1")
    with pytest.raises(ValueError):
        build_storage(config, "elsewhere")


def test_the_app_builds_its_storages_once_on_its_configured_directories(app):
    assert current_storage() is current_storage()
    assert isinstance(current_storage(), LocalStorage)
    assert current_storage().root == app.config["UPLOADS_DIR"]
    assert current_private_storage().root == Path(app.instance_path) / "private"


def listing_form(**extra: object) -> dict[str, object]:
    from tests.factories import province

    return {
        "name": "Miến dong Nguyên Bình",
        "category_id": str(category_id()),
        "description": DESCRIPTION,
        "province_id": str(province("Cao Bằng").id),
        "availability": "in_stock",
        **extra,
    }


# -- serving from the storage --------------------------------------------------------------


def test_media_view_serves_local_variants_with_etag_long_cache_and_nosniff(app, client):
    stored = store_image(jpeg(), current_storage())
    url = f"/anh/{stored.digest}-medium.webp"
    expected = current_storage().get(variant_key(stored.digest, "medium"))
    with client.get(url) as response:
        assert response.status_code == 200 and response.data == expected
        assert response.mimetype == "image/webp"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Length"] == str(len(expected))
        etag = response.headers["ETag"]
    with client.get(url, headers={"If-None-Match": etag}) as response:
        assert response.status_code == 304 and response.data == b""
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get(url, headers={"Range": "bytes=0-3"}) as response:
        assert response.status_code == 206 and response.data == expected[:4]
    for missing in (f"/anh/{'0' * 64}-medium.webp", f"/anh/{stored.digest}-huge.webp"):
        with client.get(missing) as response:
            assert response.status_code == 404


def test_a_product_photo_uploaded_through_the_site_is_kept_in_s3_and_served_from_it(
    app, client, login_as, aws: None
):
    app.config.update(S3_BUCKET=BUCKET, S3_PREFIX="site", S3_REGION="us-east-1")
    app.extensions.pop(EXTENSION, None)  # the storages are built on first use
    login_as(owner())
    data = listing_form(photos=[file(jpeg(), "anh.jpg")], certificate_scan=file(pdf(), "gcn.pdf"))
    response = post_form(
        client, f"{PRODUCERS}/san-pham/moi", data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    db.session.expire_all()
    product = db.session.scalars(select(Product)).unique().one()
    digest = product.images[0].digest
    keys = bucket_keys()
    assert [f"site/uploads/{variant_key(digest, s)}" for s in sorted(SIZES)] == [
        k for k in keys if k.startswith("site/uploads/")
    ]
    assert keys.count(f"site/private/certificates/{product.certificate_scan}") == 1
    assert all_files(app.config["UPLOADS_DIR"]) == []  # nothing went to the local disk
    assert not (Path(app.instance_path) / "private").exists()
    for size in SIZES:
        s3_bytes = current_storage().get(variant_key(digest, size))
        with client.get(f"/anh/{digest}-{size}.webp") as served:
            assert served.status_code == 200 and served.data == s3_bytes
            assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            etag = served.headers["ETag"]
        with client.get(f"/anh/{digest}-{size}.webp", headers={"If-None-Match": etag}) as again:
            assert again.status_code == 304
    assert current_private_storage().get(f"certificates/{product.certificate_scan}") == pdf()


def test_a_storage_outage_on_upload_is_a_polite_503_keeping_the_form(
    app, client, login_as, monkeypatch: pytest.MonkeyPatch
):
    """An unreachable storage (S3 down) while a photo is saved: the form comes back as typed
    with a 503, nothing is saved."""

    def unreachable(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise StorageUnavailable("connection refused")

    monkeypatch.setattr(current_storage(), "put", unreachable)
    login_as(owner())
    response = post_form(
        client,
        f"{PRODUCERS}/san-pham/moi",
        listing_form(photos=[file(jpeg(), "anh.jpg")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "tạm thời gặp sự cố" in page and 'value="Miến dong Nguyên Bình"' in page
    assert db.session.scalar(select(Product.id)) is None
    assert all_files(app.config["UPLOADS_DIR"]) == []
