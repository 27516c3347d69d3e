"""Shared by the search backend tests (test_search_backend_*.py): the corpus, the
`backend`/`fresh` fixtures parametrised by backend name, and small helpers.

Every behaviour test runs against both backends: Whoosh in a temporary directory,
PostgreSQL in a database created for this session on the server of tests/services.py
(skipped without one, failed under `make test`), one schema per test. Tests of Whoosh
internals (segments, writers, generation directories) use `whoosh_fresh` and run on Whoosh
only. Test modules import the fixtures they use from here.
"""

from __future__ import annotations

import itertools
import os
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from search_index import ProductDoc, SearchBackend, SearchQuery, get_backend
from search_index.whoosh_backend import WhooshBackend
from tests import services

T0 = datetime(2025, 1, 1, 8, 0)


def doc(
    pid: int,
    name: str,
    producer: str = "Hợp tác xã Mẫu",
    province: tuple[str, str] = ("ha-noi", "Hà Nội"),
    aliases: tuple[str, ...] = (),
    category: tuple[str, str] | None = ("thuc-pham", "Thực phẩm"),
    stars: int | None = 3,
    verified: bool = False,
    price: int | None = 50_000,
    description: str = "",
) -> ProductDoc:
    return ProductDoc(
        id=pid,
        slug=f"p-{pid}",
        name=name,
        producer_name=producer,
        description=description,
        category_slug=category[0] if category else None,
        category_name=category[1] if category else None,
        province_slug=province[0],
        province_name=province[1],
        province_aliases=aliases,
        ocop_stars=stars,
        verified=verified,
        price_vnd=price,
        created_at=T0 + timedelta(days=pid),
    )


FRUIT = ("trai-cay", "Trái cây")
DRINK = ("do-uong", "Đồ uống")
CRAFT = ("thu-cong", "Thủ công mỹ nghệ")

CORPUS = [
    doc(
        1,
        "Vải thiều Lục Ngạn",
        "HTX Nông sản Lục Ngạn",
        ("bac-ninh", "Bắc Ninh"),
        ("Bắc Giang",),
        FRUIT,
        4,
        True,
        60_000,
        "Vải chín cây, ngọt thanh, hái lúc sáng sớm.",
    ),
    doc(
        2,
        "Nước mắm Phú Quốc",
        "Công ty Nước mắm Hưng Thịnh",
        ("an-giang", "An Giang"),
        ("Kiên Giang",),
        stars=5,
        verified=True,
        price=120_000,
        description="Ủ chượp cá cơm trong thùng gỗ 12 tháng.",
    ),
    doc(3, "Thịt bò khô", "Cơ sở Ba Miền", ("da-nang", "Đà Nẵng"), ("Quảng Nam",), price=90_000),
    doc(4, "Bơ sáp Krông Pắc", "HTX Krông Pắc", ("dak-lak", "Đắk Lắk"), (), FRUIT, 4, price=40_000),
    doc(
        5,
        "Kẹo dừa bỏ túi",
        "Cơ sở Thanh Long",
        ("vinh-long", "Vĩnh Long"),
        ("Bến Tre",),
        stars=None,
        price=None,
    ),
    doc(6, "Bánh chè lam Hoà Lạc", "Lò bánh Thạch Thất", stars=4, price=35_000),  # old placement
    doc(
        7,
        "Rượu cần Hòa Bình",
        "HTX Mường Bi",
        ("phu-tho", "Phú Thọ"),
        ("Hòa Bình",),
        DRINK,
        3,
        price=150_000,
    ),
    doc(
        8,
        "Hoa hồi Lạng Sơn",
        "HTX Hồi Văn Quan",
        ("lang-son", "Lạng Sơn"),
        stars=4,
        verified=True,
        price=80_000,
    ),
    doc(9, "Miến dong Thuỷ Nguyên", "Cơ sở Miến Thành", ("hai-phong", "Hải Phòng"), stars=3),
    doc(10, "Rau mầm Thủy Sơn", "HTX Rau sạch", ("hai-phong", "Hải Phòng"), stars=None),
    doc(11, "Trà dưỡng khoẻ Tâm An", "Trà Tâm An", ("thai-nguyen", "Thái Nguyên"), (), DRINK, 4),
    doc(12, "Mật ong Sức Khỏe", "Trại ong Sơn La", ("son-la", "Sơn La"), stars=5, price=200_000),
    doc(
        13,
        "Đặc sản chả mực Hạ Long",
        "Cơ sở Hạ Long Xanh",
        ("quang-ninh", "Quảng Ninh"),
        stars=5,
        verified=True,
        price=300_000,
    ),
    doc(
        14,
        "Cà phê Robusta Buôn Ma Thuột",
        "HTX Cà phê Ea Tu",
        ("dak-lak", "Đắk Lắk"),
        (),
        DRINK,
        4,
        True,
        180_000,
        "Rang mộc, xay theo yêu cầu.",
    ),
    doc(
        15,
        "Tam giác mạch Đồng Văn",
        "HTX Cao nguyên đá",
        ("tuyen-quang", "Tuyên Quang"),
        ("Hà Giang",),
        stars=3,
    ),
    doc(
        16, "Khăn lụa may tay Vạn Phúc", "Làng lụa Vạn Phúc", category=CRAFT, stars=4, price=250_000
    ),
    doc(17, "Tương ớt cay Mường Khương", "HTX Ớt Lào Cai", ("lao-cai", "Lào Cai"), stars=3),
    doc(18, "Dưa cải muối", "Bếp Quê", ("bac-ninh", "Bắc Ninh"), stars=3, price=25_000),
    doc(19, "Gốm Mỹ Thiện", "Làng gốm Mỹ Thiện", ("quang-ngai", "Quảng Ngãi"), (), CRAFT, 3),
    doc(
        20,
        "Nem chua Thanh Hóa",
        "Cơ sở Nem Bà Hồng",
        ("thanh-hoa", "Thanh Hóa"),
        stars=4,
        description="Gói lá chuối, lên men tự nhiên. <script>alert('x')</script> & ngon.",
    ),
    doc(
        21,
        "Gạo ST25 Sóc Trăng",
        "HTX Gạo Ông Cua",
        ("can-tho", "Cần Thơ"),
        ("Sóc Trăng",),
        stars=5,
        verified=True,
        price=35_000,
    ),
]
BY_ID = {d.id: d for d in CORPUS}


BACKENDS = ["whoosh", "postgres"]
_schemas = itertools.count(1)


@pytest.fixture(scope="session", name="pg_database")
def pg_database_fixture() -> Iterator[str]:
    """URL of a database on the PostgreSQL test server, made once per session for each
    test module that imports this fixture (each import is a fixture of its own)."""
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.pool import NullPool

    server = services.postgres_server_url()
    name = f"choviet_search_{os.getpid()}_{next(_schemas)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def settings_for(name: str, request: pytest.FixtureRequest, path: Path) -> dict[str, Any]:
    """get_backend settings for a new, empty index of backend `name`."""
    if name == "whoosh":
        return {"backend": "whoosh", "path": str(path / "search")}
    url = request.getfixturevalue("pg_database")
    return {"backend": "postgres", "url": url, "schema": f"search_t{next(_schemas)}"}


def settings_of(b: Any) -> dict[str, Any]:
    """get_backend settings reaching the same index as `b` (another instance, as if from
    another process)."""
    if isinstance(b, WhooshBackend):
        return {"backend": "whoosh", "path": str(b.path)}
    url = b.engine.url.render_as_string(hide_password=False)
    return {"backend": "postgres", "url": url, "schema": b.schema}


def drop_storage(b: Any) -> None:
    b.close()
    if not isinstance(b, WhooshBackend):
        from sqlalchemy import text

        with b.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{b.schema}" CASCADE'))
        b.close()


@pytest.fixture(scope="module", params=BACKENDS, name="backend")
def backend_fixture(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    b = get_backend(settings_for(request.param, request, tmp_path_factory.mktemp("idx")))
    b.index(CORPUS)
    yield b
    drop_storage(b)


@pytest.fixture(params=BACKENDS, name="fresh")
def fresh_fixture(request: pytest.FixtureRequest, tmp_path: Path):
    b = get_backend(settings_for(request.param, request, tmp_path))
    yield b
    drop_storage(b)


@pytest.fixture(name="pg_fresh")
def pg_fresh_fixture(request: pytest.FixtureRequest, tmp_path: Path):
    b = get_backend(settings_for("postgres", request, tmp_path))
    yield b
    drop_storage(b)


@pytest.fixture(name="whoosh_fresh")
def whoosh_fresh_fixture(tmp_path: Path) -> Iterator[WhooshBackend]:
    b = WhooshBackend(str(tmp_path / "search"))
    yield b
    b.close()


def ids(b: SearchBackend, text: str = "", **kw) -> list[int]:
    return b.search(SearchQuery(text=text, per_page=100, **kw)).ids


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def counts(page, field: str) -> dict[str, int]:
    return {f.value: f.count for f in page.facets[field]}


def segment_sizes(b: WhooshBackend) -> list[tuple[str, int]]:
    from whoosh import index

    generation = (b.path / "CURRENT").read_text().strip()
    segments = index.open_dir(str(b.path / generation))._segments()
    return [(s.segment_id(), s.doc_count_all()) for s in segments]


def generations(path: Path) -> set[str]:
    return {p.name for p in path.iterdir() if p.name.startswith("gen-")}
