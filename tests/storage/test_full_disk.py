"""A full disk while an upload is saved (issue 7, faults): a polite Vietnamese message with
status 507, the form shown again with what was typed, no half-written file (neither a
``.tmp-`` file nor a final one, nor a partial set of image variants) and no database row
pointing at a missing file.

Two ways to fill the disk:
* for real: a tiny tmpfs mounted as UPLOADS_DIR (needs root, as in this sandbox and CI); the
  tests say ``real_tmpfs`` and are skipped, with the reason, where mounting is refused;
* by fault injection, always run: the storage's write puts half the bytes on disk, then
  raises OSError(ENOSPC), as a full disk does part-way; the tests say ``fault_injected``.
"""

from __future__ import annotations

import errno
import io
import os
import random
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import EnvironBuilder
from PIL import Image
from sqlalchemy import func, select

from catalog.extensions import db
from catalog.models import AuditEntry, ImportBatch, Producer, Product, ProductImage
from catalog.platform.images import SIZES, store_image, variant_key
from catalog.storage import EXTENSION, LocalStorage
from catalog.storage import local as local_module
from tests.factories import create_user, province
from tests.forms import form_fields, post_form
from tests.helpers import csv_bytes, row
from tests.listings.support import (
    DESCRIPTION,
    PRODUCERS,
    cao_bang_ward,
    category_id,
    file,
    jpeg,
    owner,
    pdf,
)

FULL_MESSAGE = "Máy chủ tạm thời hết chỗ lưu tệp"
KEPT_MESSAGE = "Thông tin bạn đã nhập vẫn còn nguyên"
NEW_LISTING = f"{PRODUCERS}/san-pham/moi"
PROFILE = f"{PRODUCERS}/ho-so"
IMPORTS = "/quan-ly/nhap-danh-sach"
MULTIPART = {"content_type": "multipart/form-data"}
PAGE = 4096


# -- helpers -------------------------------------------------------------------------------


def all_files(root: Path) -> list[str]:
    """Every file under root, hidden ``.tmp-`` files included."""
    return sorted(
        str(Path(directory, name).relative_to(root))
        for directory, _, names in os.walk(root)
        for name in names
    )


def noisy_jpeg(width: int = 1600, height: int = 1200, seed: int = 7) -> bytes:
    """A photo that does not compress: every WebP variant is large."""
    noise = random.Random(seed).randbytes(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), noise).save(out, format="JPEG", quality=95)
    return out.getvalue()


def post_big(client: Any, url: str, data: dict[str, Any]) -> Any:
    """post_form for bodies over 500 KB: werkzeug's test builder spools those to a temporary
    file, closed here (the test client leaves it to the garbage collector: a ResourceWarning)."""
    builder = EnvironBuilder(
        client.application,
        path=url,
        method="POST",
        data={**form_fields(client, url), **data},  # the CSRF token and the form's version
        content_type="multipart/form-data",
    )
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()


def listing_data(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Miến dong Nguyên Bình",
        "category_id": str(category_id()),
        "description": DESCRIPTION,
        "province_id": str(province("Cao Bằng").id),
        "price_vnd": "150.000",
        "unit": "kg",
        "availability": "in_stock",
        **extra,
    }


def profile_data(**extra: Any) -> dict[str, Any]:
    ward_code, _ = cao_bang_ward()
    return {
        "name": "Hợp tác xã Hạt dẻ Trùng Khánh",
        "type": "hop_tac_xa",
        "tax_code": "0100109106",
        "representative": "Nông Văn Thành",
        "province_id": str(province("Cao Bằng").id),
        "wards_for": str(province("Cao Bằng").id),
        "ward_code": str(ward_code),
        "address": "Xóm Nà Đoỏng",
        "phone": "0912 345 678",
        "email": "htx@example.vn",
        "description": "Hạt dẻ rang củi từ vùng núi đá vôi.",
        "action": "luu",
        **extra,
    }


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def assert_refused_politely(response: Any, *typed: str) -> str:
    assert response.status_code == 507
    page = response.get_data(as_text=True)
    assert FULL_MESSAGE in page and KEPT_MESSAGE in page
    for value in typed:
        assert f'value="{value}"' in page or f">{value}<" in page, value
    return page


def assert_no_listing_saved() -> None:
    assert count(Product) == 0 and count(ProductImage) == 0
    assert (
        db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "listing.create"))
        is None
    )


def assert_logo_not_saved(producer_id: int) -> None:
    db.session.expire_all()
    assert db.session.get(Producer, producer_id).logo_digest is None
    assert (
        db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "profile.update"))
        is None
    )


# -- a real tiny file system ---------------------------------------------------------------


class TinyDisk:
    def __init__(self, mountpoint: Path) -> None:
        self.mountpoint = mountpoint
        self.uploads = mountpoint / "uploads"

    def free(self) -> int:
        stat = os.statvfs(self.mountpoint)
        return stat.f_bavail * stat.f_frsize

    def leave_free(self, nbytes: int) -> None:
        """Fill the disk with a filler file (beside uploads/) until nbytes are left."""
        filler = self.mountpoint / "filler"
        size = self.free() - nbytes
        assert size >= 0
        with open(filler, "wb") as handle:
            handle.write(b"\0" * size)
        assert self.free() == nbytes


@pytest.fixture
def tiny_disk(app, tmp_path: Path) -> Iterator[Callable[[str], TinyDisk]]:
    """mount(size) a tmpfs of that size, with UPLOADS_DIR on it; unmounted at the end."""
    mounted: list[Path] = []

    def mount(size: str) -> TinyDisk:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        if shutil.which("mount") is None:
            pytest.skip("no mount command: the fault_injected tests cover a full disk")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(
                f"mounting a tmpfs is not permitted here ({done.stderr.strip()}): "
                "the fault_injected tests cover a full disk"
            )
        mounted.append(point)
        disk = TinyDisk(point)
        disk.uploads.mkdir()
        app.config["UPLOADS_DIR"] = disk.uploads
        app.extensions.pop(EXTENSION, None)  # the storage is built again on the tiny disk
        return disk

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=True)


def test_real_tmpfs_product_photo_larger_than_the_disk(client, login_as, tiny_disk):
    disk = tiny_disk("256k")
    login_as(owner())
    free_before = disk.free()
    photo = noisy_jpeg()
    response = post_big(client, NEW_LISTING, listing_data(photos=[file(photo, "anh.jpg")]))
    assert_refused_politely(response, "Miến dong Nguyên Bình", "kg")
    assert DESCRIPTION in response.get_data(as_text=True)
    assert_no_listing_saved()
    assert all_files(disk.uploads) == []  # no .tmp- file, no final file
    assert disk.free() == free_before  # and no space held by a deleted-but-open file
    # The disk is usable again at once: a small photo goes through.
    response = post_form(
        client, NEW_LISTING, listing_data(photos=[file(jpeg(), "anh.jpg")]), **MULTIPART
    )
    assert response.status_code == 302 and count(Product) == 1
    assert len(all_files(disk.uploads)) == len(SIZES)


def test_real_tmpfs_disk_fills_between_two_variants_of_a_photo(
    client, login_as, tiny_disk, tmp_path: Path
):
    """The largest variant fits, the next one does not: the first is removed again, so no
    partial set of variants stays behind (the site would show broken pictures)."""
    photo = noisy_jpeg(900, 700)
    scratch = LocalStorage(tmp_path / "scratch")
    digest = store_image(photo, scratch).digest
    large = scratch.size(variant_key(digest, "large"))
    medium = scratch.size(variant_key(digest, "medium"))
    assert medium > 2 * PAGE  # so that it cannot squeeze into the page left spare
    disk = tiny_disk("4m")
    login_as(owner())
    disk.leave_free(-(-large // PAGE) * PAGE + PAGE)  # the large variant and one page more
    free_before = disk.free()
    response = post_big(client, NEW_LISTING, listing_data(photos=[file(photo, "anh.jpg")]))
    assert_refused_politely(response, "Miến dong Nguyên Bình")
    assert_no_listing_saved()
    assert all_files(disk.uploads) == []
    assert disk.free() == free_before


def test_real_tmpfs_producer_logo(client, login_as, tiny_disk):
    disk = tiny_disk("256k")
    user = login_as(owner(status="pending"))
    free_before = disk.free()
    response = post_big(client, PROFILE, profile_data(logo=file(noisy_jpeg(), "logo.jpg")))
    assert_refused_politely(response, "Hợp tác xã Hạt dẻ Trùng Khánh", "Nông Văn Thành")
    assert_logo_not_saved(user.producer_id)
    assert all_files(disk.uploads) == []
    assert disk.free() == free_before


# -- fault injection (always run) ----------------------------------------------------------


@pytest.fixture
def disk_full_part_way(app, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every storage write puts half its bytes on disk, then fails with ENOSPC. Returns the
    files seen on disk at each failure (the half-written temp files were really there)."""
    seen: list[list[str]] = []
    roots = [Path(app.config["UPLOADS_DIR"]), Path(app.config["PRIVATE_DIR"])]

    def half_then_full(handle, data: bytes) -> None:  # type: ignore[no-untyped-def]
        handle.write(data[: max(1, len(data) // 2)])
        handle.flush()
        seen.append([name for root in roots if root.exists() for name in all_files(root)])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(local_module, "_write_all", half_then_full)
    return seen


def assert_half_files_were_written_then_removed(app, seen: list[list[str]]) -> None:
    assert seen and all(any(".tmp-" in name for name in names) for names in seen)
    for root in (Path(app.config["UPLOADS_DIR"]), Path(app.config["PRIVATE_DIR"])):
        assert not root.exists() or all_files(root) == []


def test_fault_injected_enospc_product_photo(app, client, login_as, disk_full_part_way):
    login_as(owner())
    response = post_form(
        client, NEW_LISTING, listing_data(photos=[file(jpeg(), "anh.jpg")]), **MULTIPART
    )
    page = assert_refused_politely(response, "Miến dong Nguyên Bình", "kg")
    assert 'aria-invalid="true"' in page  # next to the photo field
    assert_no_listing_saved()
    assert_half_files_were_written_then_removed(app, disk_full_part_way)


def test_fault_injected_enospc_producer_logo(app, client, login_as, disk_full_part_way):
    user = login_as(owner(status="pending"))
    response = post_form(client, PROFILE, profile_data(logo=file(jpeg(), "logo.jpg")), **MULTIPART)
    assert_refused_politely(response, "Hợp tác xã Hạt dẻ Trùng Khánh", "Nông Văn Thành")
    assert_logo_not_saved(user.producer_id)
    assert_half_files_were_written_then_removed(app, disk_full_part_way)


def test_fault_injected_enospc_certificate_scan(app, client, login_as, disk_full_part_way):
    login_as(owner())
    data = listing_data(certificate_scan=file(pdf(), "gcn.pdf"))
    response = post_form(client, NEW_LISTING, data, **MULTIPART)
    assert_refused_politely(response, "Miến dong Nguyên Bình")
    assert_no_listing_saved()
    assert_half_files_were_written_then_removed(app, disk_full_part_way)


def test_fault_injected_enospc_officials_import_file(app, client, login_as, disk_full_part_way):
    login_as(create_user("official", provinces=("Bắc Ninh",)))
    response = post_form(client, IMPORTS, {"file": (io.BytesIO(csv_bytes(row())), "ds.csv")})
    assert_refused_politely(response)
    assert count(ImportBatch) == 0 and count(Product) == 0
    assert_half_files_were_written_then_removed(app, disk_full_part_way)


def test_fault_injected_enospc_inside_a_transaction_rolls_it_back(app, disk_full_part_way):
    """A write inside a transaction (the demo cards): the refusal propagates, nothing of the
    transaction is kept."""
    from catalog.demo import demo
    from catalog.storage import StorageFull
    from tests.factories import create_published_product

    create_published_product()
    with pytest.raises(StorageFull):
        demo.attach_cards()
    assert count(ProductImage) == 0
    assert_half_files_were_written_then_removed(app, disk_full_part_way)


def test_a_refusal_no_form_reports_is_a_polite_507_page_not_a_500(app):
    from catalog.storage import StorageFull

    @app.get("/_test/full")
    def _full():  # type: ignore[no-untyped-def]
        raise StorageFull("no space left on device")

    response = app.test_client().get("/_test/full")
    assert response.status_code == 507
    page = response.get_data(as_text=True)
    assert "Máy chủ hết chỗ lưu tệp" in page and "quay lại trang trước" in page
