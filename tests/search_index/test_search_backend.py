"""The search backends on their own (no Flask, no app database): Vietnamese matching and
ranking, filters, facets, sorts, highlights, suggestions, autocomplete, hostile input, index
maintenance and concurrent writers.

Every behaviour test runs against both backends (the `backend` and `fresh` fixtures are
parametrised by name): Whoosh in a temporary directory, PostgreSQL in a database created for
this session on the server of tests/services.py (skipped without one, failed under
`make test`), one schema per test. Tests of Whoosh internals (segments, writers, generation
directories) use `whoosh_fresh` and run on Whoosh only.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
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


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """URL of a database made for this test session on the PostgreSQL test server."""
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


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    b = get_backend(settings_for(request.param, request, tmp_path_factory.mktemp("idx")))
    b.index(CORPUS)
    yield b
    drop_storage(b)


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path):
    b = get_backend(settings_for(request.param, request, tmp_path))
    yield b
    drop_storage(b)


@pytest.fixture
def pg_fresh(request: pytest.FixtureRequest, tmp_path: Path):
    b = get_backend(settings_for("postgres", request, tmp_path))
    yield b
    drop_storage(b)


@pytest.fixture
def whoosh_fresh(tmp_path: Path) -> Iterator[WhooshBackend]:
    b = WhooshBackend(str(tmp_path / "search"))
    yield b
    b.close()


def ids(b: SearchBackend, text: str = "", **kw) -> list[int]:
    return b.search(SearchQuery(text=text, per_page=100, **kw)).ids


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# (query, first id or None, ids that must be found, ids that must not be found)
CASES = [
    ("vai thieu", 1, {1}, set()),
    ("Vải thiều", 1, {1}, set()),
    ("vải thiều lục ngạn", 1, {1}, set()),
    ("VẢI THIỀU", 1, {1}, set()),
    ("VAI THIEU", 1, {1}, set()),
    (nfd("Vải thiều"), 1, {1}, set()),
    (nfd("Nước mắm"), 2, {2}, set()),
    ("nuoc mam", 2, {2}, set()),
    ("NƯỚC MẮM PHÚ QUỐC", 2, {2}, set()),
    ("dac san", 13, {13}, set()),
    ("đặc sản", 13, {13}, set()),
    ("Dac San Ha Long", 13, {13}, set()),
    ("ca phe", 14, {14}, set()),
    ("cà phê buôn ma thuột", 14, {14}, set()),
    ("thit bo kho", 3, {3}, set()),
    # old and new tone placement, both ways
    ("hòa lạc", 6, {6}, set()),
    ("hoà lạc", 6, {6}, set()),
    ("hoà bình", 7, {7}, set()),
    ("hòa bình", 7, {7}, set()),
    ("thủy nguyên", 9, {9}, set()),
    ("thuỷ sơn", 10, {10}, set()),
    ("khỏe", None, {11, 12}, set()),
    ("khoẻ", None, {11, 12}, set()),
    ("thanh hoá", 20, {20}, set()),
    # the exact accent ranks first, the others still match
    ("bò", 3, {3, 4, 5}, set()),
    ("bơ", 4, {3, 4, 5}, set()),
    ("bỏ", 5, {3, 4, 5}, set()),
    ("hòa", None, {6, 7, 8}, set()),
    ("hoa", 8, {6, 7, 8}, set()),
    # prefix of the word being typed
    ("vai thi", 1, {1}, set()),
    ("nuoc ma", 2, {2}, set()),
    ("khăn lụ", 16, {16}, set()),
    ("tam giac m", 15, {15}, set()),
    # producer, province, old province names, OCOP group, description
    ("Hưng Thịnh", 2, {2}, set()),
    ("lang lua van phuc", 16, {16}, set()),
    ("Lạng Sơn", 8, {8}, set()),
    ("Bắc Giang", 1, {1}, {18}),
    ("Hà Giang", 15, {15}, set()),
    ("Quảng Nam", 3, {3}, set()),
    ("Kiên Giang", 2, {2}, set()),
    ("ben tre", 5, {5}, set()),
    ("soc trang", 21, {21}, set()),
    ("đồ uống", None, {7, 11, 14}, {1, 2}),
    ("trai cay", None, {1, 4}, {2}),
    ("thủ công mỹ nghệ", None, {16, 19}, set()),
    ("hai luc sang som", 1, {1}, set()),
    ("chượp cá cơm", 2, {2}, set()),
    ("xay theo yeu cau", 14, {14}, set()),
    # words an English stop list or stemmer would drop or mangle
    ("An Giang", 2, {2}, set()),
    ("may", 16, {16}, set()),
    ("may tay", 16, {16}, set()),
    ("ớt cay", 17, {17}, {18}),
    ("ot cay", 17, {17}, {18}),
    ("ủ", 2, {2}, set()),
    # i / y spellings
    ("gốm mĩ thiện", 19, {19}, set()),
    ("my thien", 19, {19}, set()),
    # multi-word across fields
    ("vải bắc ninh", 1, {1}, {18}),
    ("cà phê đắk lắk", 14, {14}, {4}),
    ("ST25", 21, {21}, set()),
    ("mat ong son la", 12, {12}, set()),
]


@pytest.mark.parametrize(
    ("text", "first", "found", "absent"), CASES, ids=[c[0].replace(" ", "_") for c in CASES]
)
def test_query_table(backend, text, first, found, absent):
    result = ids(backend, text)
    if first is not None:
        assert result and result[0] == first, result
    assert found <= set(result), result
    assert not (absent & set(result)), result


def test_table_is_big_enough():
    assert len(CASES) >= 45


def test_exact_accent_outranks_folded_matches(backend):
    assert ids(backend, "hòa")[:2] in ([6, 7], [7, 6])
    assert ids(backend, "hoa")[0] == 8


# --- filters, facets -------------------------------------------------------------------


def test_filters_or_within_and_across(backend):
    assert set(ids(backend, provinces=("dak-lak",))) == {4, 14}
    assert set(ids(backend, provinces=("dak-lak", "an-giang"))) == {2, 4, 14}
    assert set(ids(backend, categories=("do-uong",))) == {7, 11, 14}
    assert set(ids(backend, provinces=("dak-lak",), categories=("do-uong",))) == {14}
    assert set(ids(backend, stars=(5,))) == {2, 12, 13, 21}
    assert set(ids(backend, stars=(5, 4), verified=True)) == {1, 2, 8, 13, 14, 21}
    assert set(ids(backend, verified=False)) == set(BY_ID) - {1, 2, 8, 13, 14, 21}
    assert ids(backend, "vai", provinces=("ha-noi",)) == []
    assert ids(backend, provinces=("no-such-province",)) == []


def counts(page, field: str) -> dict[str, int]:
    return {f.value: f.count for f in page.facets[field]}


def test_facet_counts_over_everything(backend):
    page = backend.search(SearchQuery())
    assert page.total == len(CORPUS)
    assert counts(page, "stars") == {"4": 8, "3": 7, "5": 4}
    assert counts(page, "verified") == {"true": 6, "false": 15}
    assert counts(page, "province")["dak-lak"] == 2
    assert sum(counts(page, "province").values()) == len(CORPUS)
    values = [f.count for f in page.facets["province"]]
    assert values == sorted(values, reverse=True)  # most frequent first


def test_facets_are_multi_select(backend):
    """A facet's counts ignore its own filter but apply the others."""
    page = backend.search(SearchQuery(provinces=("dak-lak",)))
    assert page.total == 2
    assert counts(page, "province")["ha-noi"] == 2  # other provinces stay selectable
    assert counts(page, "category") == {"trai-cay": 1, "do-uong": 1}
    assert counts(page, "stars") == {"4": 2}
    page = backend.search(SearchQuery(text="ca phe", stars=(5,)))
    assert page.total == 0
    assert counts(page, "stars") == {"4": 1}
    assert counts(page, "province") == {}


def test_facets_follow_the_text_query(backend):
    page = backend.search(SearchQuery(text="trai cay"))
    assert counts(page, "category") == {"trai-cay": 2}


# --- sorting and paging ----------------------------------------------------------------


def test_sort_by_stars_then_relevance(backend):
    result = ids(backend, sort="stars")
    stars = [BY_ID[i].ocop_stars or 0 for i in result]
    assert stars == sorted(stars, reverse=True)
    assert set(result) == set(BY_ID)
    hoa = ids(backend, "hoa", sort="stars")
    assert hoa[0] == 8  # 4 stars and the exact word, before the other 4-star "hòa"/"hóa"
    assert set(hoa[1:3]) == {6, 20} and hoa[-1] == 7


def test_sort_newest(backend):
    assert ids(backend, sort="newest") == sorted(BY_ID, reverse=True)
    assert ids(backend) == sorted(BY_ID, reverse=True)  # browsing: newest first


def test_sort_by_price_puts_unpriced_last(backend):
    up = ids(backend, sort="price_asc")
    down = ids(backend, sort="price_desc")
    assert up[-1] == 5 and down[-1] == 5
    prices = [BY_ID[i].price_vnd for i in up[:-1]]
    assert prices == sorted(prices)
    prices = [BY_ID[i].price_vnd for i in down[:-1]]
    assert prices == sorted(prices, reverse=True)


def test_unknown_sort_falls_back_to_relevance(backend):
    assert ids(backend, "vai thieu", sort="cheapest'; DROP")[0] == 1


def test_pagination(backend):
    seen: list[int] = []
    for page in range(1, 5):
        result = backend.search(SearchQuery(page=page, per_page=6, sort="price_asc"))
        assert result.total == len(CORPUS) and result.page == page and result.per_page == 6
        seen += result.ids
    assert seen == ids(backend, sort="price_asc")
    beyond = backend.search(SearchQuery(page=99, per_page=6))
    assert beyond.ids == [] and beyond.total == len(CORPUS)
    odd = backend.search(SearchQuery(page=-3, per_page=0))
    assert odd.page == 1 and len(odd.ids) == 1


# --- highlights, suggestions, autocomplete ---------------------------------------------


def hit(page, pid: int):
    return next(h for h in page.hits if h.id == pid)


def test_highlights_mark_matches_for_accent_free_queries(backend):
    page = backend.search(SearchQuery(text="vai thieu"))
    highlights = hit(page, 1).highlights
    assert highlights["name"] == "<mark>Vải</mark> <mark>thiều</mark> Lục Ngạn"
    assert highlights["description"].startswith("<mark>Vải</mark> chín cây")


def test_highlights_escape_everything_else(backend):
    page = backend.search(SearchQuery(text="len men"))
    snippet = hit(page, 20).highlights["description"]
    assert "<script>" not in snippet
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; ngon." in snippet
    assert "<mark>lên</mark> <mark>men</mark>" in snippet
    page = backend.search(SearchQuery(text="script"))
    assert hit(page, 20).highlights["description"].count("<mark>script</mark>") == 2


def test_highlight_marks_prefix_and_snippet_is_short(fresh):
    long_text = ("Mô tả dài dòng về vùng trồng. " * 20) + "Hương vị thơm ngon. " + "Kết. " * 50
    fresh.index([doc(1, "Chè Shan tuyết", description=long_text)])
    page = fresh.search(SearchQuery(text="huong vi th"))
    h = page.hits[0].highlights
    assert len(h["description"]) <= 260
    assert h["description"].startswith("…") and h["description"].endswith("…")
    assert "<mark>Hương</mark> <mark>vị</mark> <mark>thơm</mark>" in h["description"]
    assert h["name"] == "Chè Shan tuyết"  # nothing matched there: escaped, unmarked


def test_spelling_suggestion(backend):
    page = backend.search(SearchQuery(text="vai thieeu"))
    assert page.suggestion == "vai thiều"
    assert backend.search(SearchQuery(text="nuoc mamm")).suggestion == "nuoc mắm"
    assert backend.search(SearchQuery(text="vai thieu")).suggestion is None
    assert backend.search(SearchQuery(text="")).suggestion is None
    assert backend.search(SearchQuery(text="zzzzqqq")).suggestion is None


def test_autocomplete(backend):
    assert backend.autocomplete("vai th") == ["Vải thiều Lục Ngạn"]
    assert backend.autocomplete("nuoc m") == ["Nước mắm Phú Quốc"]
    assert backend.autocomplete(nfd("Nước")) == ["Nước mắm Phú Quốc"]
    assert set(backend.autocomplete("b", limit=10)) >= {"Bơ sáp Krông Pắc", "Thịt bò khô"}
    assert len(backend.autocomplete("b", limit=2)) == 2
    assert backend.autocomplete("") == []
    assert backend.autocomplete("((") == []
    assert backend.autocomplete("lục ngạn xyz") == []


def test_autocomplete_deduplicates_names(fresh):
    fresh.index([doc(1, "Vải thiều"), doc(2, "Vải thiều", "Hộ Ông Ba"), doc(3, "Vải Thiều ")])
    names = fresh.autocomplete("vai")
    assert len(names) == 1 and names[0].strip().lower() == "vải thiều"


# --- hostile input -----------------------------------------------------------------------


HOSTILE = [
    "((",
    "))",
    "AND OR NOT",
    "NOT",
    "*",
    "?",
    '"',
    '"vai',
    "vai*",
    "name:vai",
    "a" * 500,
    "vải " * 125,
    "\x00\x01\x1b[2J\x7f",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u0301\u0300",
    "𝕍ả𝕚 🍑",
    "",
    "   ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises(backend, text):
    for sort in ("relevance", "stars", "price_desc"):
        page = backend.search(SearchQuery(text=text, sort=sort, provinces=("x",)))
        assert page.total == 0
        page = backend.search(SearchQuery(text=text, sort=sort))
        assert page.total >= 0
    assert isinstance(backend.autocomplete(text), list)


def test_query_syntax_is_plain_words(backend):
    # "name" is just a word (found nowhere), so the OR fallback finds vải alone
    assert ids(backend, "name:vai") == [1]
    assert ids(backend, "vai*")[0] == 1
    assert ids(backend, '"nuoc mam"')[0] == 2
    assert backend.search(SearchQuery(text="*")).total == len(CORPUS)  # no words: browse


def test_or_fallback_when_all_words_find_nothing(backend):
    result = ids(backend, "vải xyzzy")
    assert result == [1]


# --- index maintenance -------------------------------------------------------------------


def test_get_backend():
    with pytest.raises(ValueError, match="unknown search backend"):
        get_backend({"backend": "elastic", "path": "/tmp/x"})
    with pytest.raises(ValueError, match="needs a database 'url'"):
        get_backend({"backend": "postgres"})
    with pytest.raises(ValueError, match="needs a PostgreSQL URL"):
        get_backend({"backend": "postgres", "url": "sqlite:////tmp/x.db"})
    with pytest.raises(ValueError, match="needs a 'path'"):
        get_backend({"backend": "whoosh"})


def test_lazy_creation_and_empty_index(fresh):
    assert fresh.search(SearchQuery(text="vai")).total == 0
    page = fresh.search(SearchQuery())
    assert page.total == 0 and page.ids == [] and page.suggestion is None
    assert page.facets["province"] == () and set(page.facets) >= {"stars", "verified"}
    assert fresh.autocomplete("vai") == []
    assert fresh.indexed_ids() == set()
    assert fresh.check([]).clean


def test_whoosh_lazy_creation_in_nested_directory(tmp_path):
    path = tmp_path / "nested" / "search"
    b = get_backend({"backend": "whoosh", "path": str(path)})
    assert b.search(SearchQuery(text="vai")).total == 0
    assert b.search(SearchQuery()).facets["province"] == ()
    assert b.indexed_ids() == set()
    assert (path / "CURRENT").exists()


def test_index_replaces_by_id_and_remove(fresh):
    fresh.index([doc(1, "Vải thiều"), doc(2, "Nhãn lồng")])
    fresh.index([doc(1, "Xoài cát Hòa Lộc"), doc(3, "Na dai"), doc(3, "Na bở")])
    assert ids(fresh, "vai") == []
    assert ids(fresh, "na") == [3] and ids(fresh, "bo") == [3]
    assert ids(fresh, "xoai") == [1]
    fresh.remove([2, 999])
    assert fresh.indexed_ids() == {1, 3}
    fresh.remove([])
    fresh.index([])
    assert fresh.search(SearchQuery()).total == 2


def test_deleted_and_replaced_documents_never_come_back(fresh):
    """Many small commits make Whoosh merge segments; deletions and replacements must hold
    across merges (Whoosh-Reloaded's Searcher.refresh() got this wrong)."""
    for i in range(1, 13):
        fresh.index([doc(i, f"Vải đợt {i}", verified=i % 2 == 0)])
        assert fresh.search(SearchQuery(text="vai")).total == i
    fresh.index([doc(i, f"Nhãn lồng {i}") for i in range(1, 7)])
    fresh.remove([7, 8])
    assert sorted(ids(fresh, "vai")) == [9, 10, 11, 12]
    assert sorted(ids(fresh, "nhan long")) == [1, 2, 3, 4, 5, 6]
    assert fresh.indexed_ids() == {1, 2, 3, 4, 5, 6, 9, 10, 11, 12}
    page = fresh.search(SearchQuery(text="vai"))
    assert counts(page, "verified") == {"true": 2, "false": 2}
    assert [h.id for h in page.hits] == ids(fresh, "vai")
    other = get_backend(settings_of(fresh))
    assert other.indexed_ids() == fresh.indexed_ids()
    assert sorted(ids(other, "vai", sort="price_asc")) == [9, 10, 11, 12]
    other.close()


def segment_sizes(b: WhooshBackend) -> list[tuple[str, int]]:
    from whoosh import index

    generation = (b.path / "CURRENT").read_text().strip()
    segments = index.open_dir(str(b.path / generation))._segments()
    return [(s.segment_id(), s.doc_count_all()) for s in segments]


def test_single_edits_merge_only_small_segments(whoosh_fresh):
    """Edits commit without Whoosh's default merging (slow every few commits): small
    segments are merged in tiers, the rebuild's big segment is never rewritten, and the
    number of segments stays bounded."""
    from search_index.whoosh_backend import MERGE_FANOUT

    fresh = whoosh_fresh

    fresh.rebuild(doc(i, f"Gạo tám {i}") for i in range(1, 61))
    [(big, size)] = segment_sizes(fresh)
    assert size == 60
    for n in range(80):
        pid = 1 + (n * 7) % 60
        fresh.index([doc(pid, f"Gạo tám {pid} sửa{n}")])
        assert ids(fresh, f"sua{n}") == [pid]
        sizes = segment_sizes(fresh)
        assert sizes[0] == (big, 60)
        assert len(sizes) <= 1 + 3 * (MERGE_FANOUT - 1)
    assert fresh.search(SearchQuery(text="gao tam")).total == 60
    assert fresh.indexed_ids() == set(range(1, 61))
    other = WhooshBackend(str(fresh.path))
    assert other.search(SearchQuery(text="gao tam")).total == 60
    other.close()


def test_suggestion_accents_count_across_segments(fresh):
    """The accented form of a corrected word is the most frequent over the whole index
    (Whoosh: computed per segment and summed; PostgreSQL: counted over all documents)."""
    for pid in (1, 2, 3):
        fresh.index([doc(pid, f"Mật ong rừng {pid}")])
    fresh.index([doc(4, "Mắt kính tre"), doc(5, "Mắt lưới tre")])
    if isinstance(fresh, WhooshBackend):
        assert len(segment_sizes(fresh)) == 4
    assert fresh.search(SearchQuery(text="maat ong")).suggestion == "mật ong"


def test_fast_text_indexing_matches_whoosh_pipeline():
    """WordsText.index skips Whoosh's token pipeline; it must give the same postings."""
    from whoosh import fields

    from search_index.whoosh_schema import TEXT_FIELDS, make_schema

    schema = make_schema()
    samples = ["Vải thiều Lục Ngạn, hoà thuỷ kỹ-thuật Hoà", nfd("Cà phê ĐẮK LẮK 2024 ủ"), "", "(("]
    for accented, folded, _boost in TEXT_FIELDS:
        for name in (accented, folded):
            field = schema[name]
            for text in samples:
                assert sorted(field.index(text)) == sorted(fields.TEXT.index(field, text))


def test_bulk_posting_writer_matches_whoosh_writer(tmp_path):
    """PoolWriter (our posting pool, block-wise posting writer, no length statistics)
    writes the same postings as Whoosh's own writer, including lists longer than a block."""
    from whoosh import index

    from search_index.whoosh_backend import PoolWriter
    from search_index.whoosh_schema import doc_fields, make_schema

    docs = [doc(i, f"Gạo {'tám' if i % 3 else 'nàng hương'} {i}") for i in range(1, 301)]
    postings = []
    for name, make in (("ours", PoolWriter), ("whoosh", None)):
        (tmp_path / name).mkdir()
        ix = index.create_in(str(tmp_path / name), make_schema())
        writer = make(ix) if make else ix.writer()
        for d in docs:
            writer.add_document(**doc_fields(d))
        writer.commit()
        with ix.reader() as reader:
            postings.append(
                {
                    (field, text): list(reader.postings(field, text).all_ids())
                    for field, text in reader.all_terms()
                }
            )
    assert postings[0] == postings[1]
    assert len(postings[0][("name_f", b"gao")]) == 300


def test_fast_segment_readers_agree_with_whoosh(whoosh_fresh):
    """whoosh_segments reads columns and postings through Whoosh internals; compare with
    the public API on an index with several segments and deletions."""
    from whoosh import index

    from search_index.whoosh_segments import read_column, read_postings

    fresh = whoosh_fresh

    for i in range(1, 8):
        fresh.index([doc(i * 10 + n, f"Vải thiều {n}", price=None if n else i) for n in range(3)])
    fresh.remove([11, 42, 70])
    generation = (fresh.path / "CURRENT").read_text().strip()
    reader = index.open_dir(str(fresh.path / generation)).reader()
    try:
        leaves = list(reader.leaf_readers())
        assert len(leaves) > 1 and reader.has_deletions()
        for leaf, _offset in leaves:
            deleted = set(leaf.deleted_docs_set)
            for column in ("pid", "price_n", "created_n", "stars_n"):
                assert read_column(leaf, column) == list(leaf.column_reader(column)), column
            for field, term in [("name_f", "vai"), ("name", "thiều"), ("province", "ha-noi")]:
                public = set(leaf.postings(field, term).all_ids())
                assert set(read_postings(leaf, field, term)) - deleted == public
            assert read_postings(leaf, "name_f", "khong-co") == frozenset()
    finally:
        reader.close()


def test_check_reports_drift(fresh):
    fresh.index([doc(1, "A"), doc(2, "B"), doc(3, "C")])
    drift = fresh.check([2, 3, 4])
    assert drift.missing == {4} and drift.extra == {1} and not drift.clean
    assert fresh.check([1, 2, 3]).clean


def generations(path: Path) -> set[str]:
    return {p.name for p in path.iterdir() if p.name.startswith("gen-")}


def test_rebuild_swaps_in_a_new_directory(tmp_path):
    path = tmp_path / "search"
    writer, reader = WhooshBackend(str(path)), WhooshBackend(str(path))
    writer.index([doc(1, "Vải thiều"), doc(2, "Nhãn lồng")])
    before = generations(path)
    writer.rebuild(iter([doc(2, "Nhãn lồng"), doc(3, "Bưởi Diễn")]))
    after = generations(path)
    assert len(after) == 1 and not (after & before)  # old generation deleted
    assert (path / "CURRENT").read_text().strip() == after.pop()
    assert reader.indexed_ids() == {2, 3}
    writer.close()
    reader.close()


def test_rebuild_swaps_atomically(fresh):
    """Another instance sees the old index while a rebuild runs, never an empty or half
    one, and the new one as soon as it is swapped in; later writes go to the new one."""
    reader = get_backend(settings_of(fresh))
    fresh.index([doc(1, "Vải thiều"), doc(2, "Nhãn lồng")])
    assert ids(reader, "nhan") == [2]
    seen_during: list[set[int]] = []

    def docs() -> Iterator[ProductDoc]:
        yield doc(2, "Nhãn lồng")
        seen_during.append(reader.indexed_ids())
        yield doc(3, "Bưởi Diễn")
        yield doc(3, "dup")
        seen_during.append(reader.indexed_ids())

    assert fresh.rebuild(docs()) == 2
    assert seen_during == [{1, 2}, {1, 2}]
    assert reader.indexed_ids() == {2, 3}
    assert ids(reader, "buoi dien") == [3] and ids(reader, "dup") == []
    assert fresh.check([2, 3]).clean
    fresh.index([doc(4, "Cam Vinh")])
    assert ids(reader, "cam vinh") == [4]
    assert fresh.rebuild([]) == 0
    assert reader.indexed_ids() == set() and ids(reader) == []
    reader.close()


def waiting_for_locks(b: Any) -> int:
    """How many sessions of b's database wait for a lock right now."""
    from sqlalchemy import text

    with b.engine.connect() as conn:
        sql = (
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(conn.execute(text(sql)).scalar())


def test_postgres_edit_during_rebuild_lands_in_the_new_index(pg_fresh):
    """PostgreSQL only: a write from another host while a rebuild runs waits for the swap
    and is applied to the new tables (Whoosh writes to the old generation meanwhile and the
    app re-applies its outbox after a rebuild, see search_sync.rebuild)."""
    fresh = pg_fresh
    writer = get_backend(settings_of(fresh))
    fresh.index([doc(1, "Vải thiều")])
    started, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def edit() -> None:
        started.wait(timeout=30)
        try:
            writer.index([doc(5, "Xoài cát Hòa Lộc")])
        except BaseException as exc:  # reported below
            errors.append(exc)
        done.set()

    thread = threading.Thread(target=edit)
    thread.start()

    def docs() -> Iterator[ProductDoc]:
        yield doc(1, "Vải thiều")
        started.set()
        for _ in range(600):  # the writer comes to wait for the rebuild's lock
            if waiting_for_locks(fresh) or done.is_set():
                break
            done.wait(timeout=0.05)
        assert not done.is_set() and errors == []
        yield doc(2, "Nhãn lồng")

    assert fresh.rebuild(docs()) == 2
    thread.join(timeout=30)
    assert errors == []
    assert fresh.indexed_ids() == {1, 2, 5}
    assert ids(fresh, "xoai") == [5]
    writer.close()


def test_postgres_document_counter_follows_writes(pg_fresh):
    """Relevance reads the number of documents from a counter that every write keeps in
    its own transaction; replacing, removing unknown ids and rebuilding keep it exact."""
    from sqlalchemy import text

    def counter() -> tuple[int, int]:
        with pg_fresh.engine.connect() as conn:
            kept = conn.execute(
                text(
                    f'SELECT value::int FROM "{pg_fresh.schema}".search_meta '
                    "WHERE key = 'documents'"
                )
            ).scalar()
        return kept, len(pg_fresh.indexed_ids())

    pg_fresh.index([doc(1, "Vải thiều"), doc(2, "Nhãn lồng")])
    assert counter() == (2, 2)
    pg_fresh.index([doc(2, "Nhãn lồng Hưng Yên"), doc(3, "Na dai"), doc(3, "Na bở")])
    assert counter() == (3, 3)
    pg_fresh.remove([1, 1, 99])
    assert counter() == (2, 2)
    pg_fresh.rebuild(doc(i, f"Gạo {i}") for i in range(10, 15))
    assert counter() == (5, 5)
    other = get_backend(settings_of(pg_fresh))
    other.index([doc(10, "Gạo tám"), doc(20, "Gạo nếp")])
    assert counter() == (6, 6)
    other.close()


def test_two_instances_share_one_index(fresh):
    first, second = fresh, get_backend(settings_of(fresh))
    assert second.indexed_ids() == set()
    first.index([doc(1, "Vải thiều")])
    assert ids(second, "vai thieu") == [1]
    second.index([replace(doc(1, "Vải thiều"), name="Vải thiều Thanh Hà")])
    assert ids(first, "thanh ha") == [1]
    second.remove([1])
    assert first.indexed_ids() == set()
    second.close()


def _write_in_process(settings: dict[str, Any], worker: int, count: int, start: Any) -> None:
    start.wait(timeout=30)  # all writers begin together, so their commits collide
    backend = get_backend(settings)
    for n in range(count):
        backend.index([doc(worker * 1000 + n, f"Sản phẩm {worker} số {n}")])
    backend.close()


@pytest.mark.slow
def test_concurrent_writer_processes_lose_nothing(fresh):
    """Three processes commit one document at a time, all at once, on an index none of
    them has created yet: every writer waits for the lock instead of failing (Whoosh's
    LockError, PostgreSQL's concurrent schema creation), and nothing is lost."""
    settings = settings_of(fresh)
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    workers = [
        ctx.Process(target=_write_in_process, args=(settings, w, 15, start)) for w in range(1, 4)
    ]
    for process in workers:
        process.start()
    start.set()
    for process in workers:
        process.join(timeout=60)
    assert [p.exitcode for p in workers] == [0, 0, 0]  # an exception exits with 1
    expected = {w * 1000 + n for w in range(1, 4) for n in range(15)}
    assert fresh.indexed_ids() == expected
    assert ids(fresh, "san pham 2 so 7")[0] == 2007
    if isinstance(fresh, WhooshBackend):
        assert len([p for p in os.listdir(fresh.path) if p.startswith("gen-")]) == 1
