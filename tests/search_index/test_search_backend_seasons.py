"""The filter "Đang có hàng" (issue 14.6), answered alike by Whoosh, PostgreSQL and the
database scan:
in stock all year, or seasonal with the asked month among its harvest months; the month is
a query parameter, so the same index answers differently in May and in December."""

from __future__ import annotations

from dataclasses import replace

import pytest

from search_index import SearchQuery
from search_index.scan import Corpus
from tests.search_index.support import (  # noqa: F401 (fixtures)
    FRUIT,
    doc,
    fresh_fixture,
    pg_database_fixture,
)

DOCS = [
    doc(1, "Vải thiều Lục Ngạn", category=FRUIT),  # seasonal, May–July
    doc(2, "Nước mắm cá cơm"),  # in stock all year
    doc(3, "Vải sấy khô"),  # sold out
    doc(4, "Cam sành Hàm Yên", category=FRUIT),  # seasonal, November–February
]
DOCS = [
    replace(DOCS[0], always_available=False, harvest_months=(5, 6, 7)),
    DOCS[1],
    replace(DOCS[2], always_available=False, harvest_months=()),
    replace(DOCS[3], always_available=False, harvest_months=(11, 12, 1, 2)),
]
EXPECTED = {None: [1, 2, 3, 4], 1: [2, 4], 5: [1, 2], 8: [2], 12: [2, 4]}


def _ids(searcher, month: int | None, text: str = "", **kw) -> list[int]:
    page = searcher.search(SearchQuery(text=text, available_month=month, per_page=50, **kw))
    return sorted(page.ids)


@pytest.mark.parametrize("month", list(EXPECTED))
def test_available_month_filters_in_every_backend(fresh, month):
    fresh.index(DOCS)
    assert _ids(fresh, month) == EXPECTED[month]
    assert _ids(Corpus(DOCS), month) == EXPECTED[month]


def test_totals_and_facets_count_only_available_products(fresh):
    fresh.index(DOCS)
    for searcher in (fresh, Corpus(DOCS)):
        page = searcher.search(SearchQuery(available_month=8, per_page=50))
        assert page.total == 1
        categories = {f.value: f.count for f in page.facets["category"]}
        assert "trai-cay" not in categories


def test_text_match_and_month_together(fresh):
    fresh.index(DOCS)
    for searcher in (fresh, Corpus(DOCS)):
        assert _ids(searcher, 6, "vai") == [1]
        assert _ids(searcher, 9, "vai") == []
        assert _ids(searcher, None, "vai") == [1, 3]


def test_reindexed_months_replace_the_old_ones(fresh):
    fresh.index(DOCS)
    fresh.index([replace(DOCS[0], harvest_months=(8,))])
    assert _ids(fresh, 8) == [1, 2]
    assert _ids(fresh, 5) == [2]
