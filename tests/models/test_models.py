"""Reference data, province resolution and the database settings that guard concurrency."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from catalog.extensions import db
from catalog.models import Category, Province
from catalog.platform import geo
from tests import databases

sqlite_only = pytest.mark.skipif(databases.on_postgres(), reason="about SQLite itself")
postgres_only = pytest.mark.skipif(not databases.on_postgres(), reason="about PostgreSQL itself")


def test_34_provinces_in_six_regions(app):
    assert db.session.scalar(select(func.count(Province.id))) == 34
    regions = set(db.session.scalars(select(Province.region)))
    assert regions == {
        "Trung du và miền núi phía Bắc",
        "Đồng bằng sông Hồng",
        "Bắc Trung Bộ và duyên hải miền Trung",
        "Tây Nguyên",
        "Đông Nam Bộ",
        "Đồng bằng sông Cửu Long",
    }


def test_six_ocop_groups(app):
    names = list(db.session.scalars(select(Category.name).order_by(Category.position)))
    assert names[:3] == ["Thực phẩm", "Đồ uống", "Thảo dược"]
    assert len(names) == 6


def test_every_pre_2025_province_resolves(app):
    from catalog.platform.reference import legacy_provinces

    pairs = legacy_provinces()
    assert len(pairs) == 64
    for old, new in pairs:
        province = geo.resolve_province(old)
        assert province is not None, old
        assert province.name == new, (old, province.name)


def test_spellings_people_use(app):
    cases = {
        "Bắc Giang": "Bắc Ninh",
        "Bắc Kạn": "Thái Nguyên",
        "Hà Giang": "Tuyên Quang",
        "TP HCM": "Hồ Chí Minh",
        "TP. Hồ Chí Minh": "Hồ Chí Minh",
        "Thành phố Hồ Chí Minh": "Hồ Chí Minh",
        "Tỉnh Nghệ An": "Nghệ An",
        "Thanh Hoá": "Thanh Hóa",
        "thanh hoa": "Thanh Hóa",
        "Hoà Bình": "Phú Thọ",
        "KHÁNH HOÀ": "Khánh Hòa",
        "Thừa Thiên Huế": "Huế",
        "dak lak": "Đắk Lắk",
        "ha-noi": "Hà Nội",
        "24": "Bắc Ninh",
    }
    for name, expected in cases.items():
        province = geo.resolve_province(name)
        assert province is not None and province.name == expected, name


def test_unknown_and_empty_names_resolve_to_none(app):
    for name in ("", "   ", "Atlantis", "Tỉnh", "<script>"):
        assert geo.resolve_province(name) is None


def test_legacy_names_listed_on_province(app):
    bac_ninh = geo.resolve_province("Bắc Ninh")
    assert bac_ninh.legacy_names == ["Bắc Giang"]
    assert geo.is_legacy_name("Bắc Giang", bac_ninh)
    assert not geo.is_legacy_name("Bắc Ninh", bac_ninh)


@sqlite_only
def test_sqlite_pragmas_apply_on_every_connection(app):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


@sqlite_only
def test_write_transactions_begin_immediate(app):
    """A second connection cannot start a write while a write transaction is open."""
    import sqlite3

    from catalog.database import write_transaction

    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with write_transaction():
        db.session.execute(text("SELECT 1"))  # only a read so far...
        other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            raise AssertionError("write lock was not held")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
        finally:
            other.close()


@postgres_only
def test_postgres_write_transactions_hold_the_write_lock(app):
    """A second connection cannot take the write lock while a write transaction is open,
    and gets it once that transaction commits; reads never take it."""
    from catalog.database import WRITE_LOCK_KEY, mark_read_only, reset_read_only, write_transaction

    probe = f"SELECT pg_try_advisory_xact_lock({WRITE_LOCK_KEY})"
    # A plain engine: the app's own would take the lock itself on BEGIN and wait.
    plain = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    with plain.connect() as other:
        with write_transaction():
            db.session.execute(text("SELECT 1"))  # only a read so far...
            assert other.execute(text(probe)).scalar() is False
            other.rollback()
        assert other.execute(text(probe)).scalar() is True
        other.rollback()
        token = mark_read_only(True)
        try:
            db.session.execute(text("SELECT 1"))
            assert other.execute(text(probe)).scalar() is True
            other.rollback()
        finally:
            db.session.rollback()
            reset_read_only(token)


def test_reference_data_is_idempotent(app):
    assert geo.ensure_reference_data() is False
    assert db.session.scalar(select(func.count(Province.id))) == 34
