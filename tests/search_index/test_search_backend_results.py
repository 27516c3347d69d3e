"""Both search backends on their own: filters, facets, sorts, paging, highlights, spelling
suggestions and autocomplete."""

from __future__ import annotations

from search_index import SearchQuery
from tests.search_index.support import (
    BY_ID,
    CORPUS,
    backend_fixture,  # noqa: F401 (a fixture)
    counts,
    doc,
    fresh_fixture,  # noqa: F401 (a fixture)
    ids,
    nfd,
    pg_database_fixture,  # noqa: F401 (a fixture)
)

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
