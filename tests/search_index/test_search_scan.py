"""search_index.scan: the stand-in search over ProductDocs while an index is rebuilt.

It must find what the engines find for ordinary questions (folded words, đ→d, old province
names, filters, facets, sorts, pages), never raise on hostile text, and escape what it marks.
"""

from __future__ import annotations

import pytest

from search_index import SearchQuery
from search_index.scan import Corpus
from tests.search_index.support import FRUIT, doc

DAK_LAK = ("dak-lak", "Đắk Lắk")
BAC_NINH = ("bac-ninh", "Bắc Ninh")


@pytest.fixture
def corpus() -> Corpus:
    return Corpus(
        [
            doc(1, "Cà phê Buôn Ma Thuột", province=DAK_LAK, stars=4, price=120_000),
            doc(2, "Bò một nắng", stars=5, verified=True, price=300_000),
            doc(3, "Bơ sáp", province=DAK_LAK, category=FRUIT, stars=None, price=None),
            doc(
                4,
                "Vải thiều Lục Ngạn",
                province=BAC_NINH,
                aliases=("Bắc Giang",),
                category=FRUIT,
                description="Quả <b>vải</b> đỏ, ngọt",
                price=45_000,
            ),
            doc(5, "Đặc sản đậu phụ", producer="HTX Đồng Tâm", price=20_000),
        ]
    )


def ids(corpus: Corpus, **query) -> list[int]:
    return corpus.search(SearchQuery(**query)).ids


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ca phe", [1]),
        ("Cà phê", [1]),
        ("dak lak", [1, 3]),  # province field
        ("bac giang", [4]),  # an old province name
        ("dau phu", [5]),  # đ typed as d
        ("dong tam", [5]),  # producer field
        ("trai cay", [4, 3]),  # OCOP group field
        ("ngot", [4]),  # description
        ("buon ma th", [1]),  # the last word as a prefix
        ("ca xyz", [1]),  # no product has every word: any word
        ("xyz", []),
    ],
)
def test_folded_words_find_the_engines_matches(corpus, text, expected):
    assert sorted(ids(corpus, text=text)) == sorted(expected)


def test_a_name_match_ranks_above_a_group_match(corpus):
    more = Corpus([*corpus_docs(corpus), doc(6, "Trái cây sấy", category=None)])
    assert ids(more, text="trai cay")[0] == 6


def corpus_docs(corpus: Corpus):
    return [entry.doc for entry in corpus.entries]


@pytest.mark.parametrize(
    ("text", "total"),
    [("((", 5), ("AND OR", 0), ("*", 5), ("<script>", 0), ("a" * 5000, 0), ("\x00", 5)],
)
def test_hostile_text_never_raises(corpus, text, total):
    """Text without words browses everything; anything else is plain words."""
    assert corpus.search(SearchQuery(text=text)).total == total


def test_empty_text_browses_everything_newest_first(corpus):
    assert ids(corpus) == [5, 4, 3, 2, 1]


def test_filters_and_multi_select_facets(corpus):
    page = corpus.search(SearchQuery(provinces=("dak-lak",)))
    assert sorted(page.ids) == [1, 3]
    provinces = {f.value: f.count for f in page.facets["province"]}
    # The province facet ignores its own filter, so the other provinces stay selectable.
    assert provinces == {"ha-noi": 2, "dak-lak": 2, "bac-ninh": 1}
    categories = {f.value: f.count for f in page.facets["category"]}
    assert categories == {"thuc-pham": 1, "trai-cay": 1}
    assert ids(corpus, stars=(5,)) == [2]
    assert ids(corpus, verified=True) == [2]
    assert ids(corpus, categories=("trai-cay",), provinces=("bac-ninh",)) == [4]


def test_sorts_and_pages(corpus):
    assert ids(corpus, sort="price_asc") == [5, 4, 1, 2, 3]  # unpriced last
    assert ids(corpus, sort="price_desc") == [2, 1, 4, 5, 3]
    assert ids(corpus, sort="stars") == [2, 1, 5, 4, 3]  # equal stars: newer first
    page = corpus.search(SearchQuery(sort="price_asc", page=2, per_page=2))
    assert page.ids == [1, 2] and page.total == 5 and page.page == 2
    assert ids(corpus, page=9) == []


def test_highlights_are_marked_and_escaped(corpus):
    hit = corpus.search(SearchQuery(text="vai")).hits[0]
    assert hit.highlights["name"] == "<mark>Vải</mark> thiều Lục Ngạn"
    assert hit.highlights["description"] == "Quả &lt;b&gt;<mark>vải</mark>&lt;/b&gt; đỏ, ngọt"
    assert corpus.search(SearchQuery()).hits[0].highlights == {}


def test_autocomplete_matches_names_only(corpus):
    assert corpus.autocomplete("bo") == ["Bơ sáp", "Bò một nắng"]  # equal: shorter first
    assert corpus.autocomplete("ca ph") == ["Cà phê Buôn Ma Thuột"]
    assert corpus.autocomplete("dak") == []  # a province, not a name
    assert corpus.autocomplete("  ") == [] and corpus.autocomplete("bo", 0) == []
