"""Producers in search (issue 14.3): the search page lists matching producers above the
products, /api/v1/producers takes `q`, and autocomplete suggestions say what they open.

Matching follows the Vietnamese rules of the product search: accents optional, đ typed as d,
NFD input and the old tone placement ("Hoà") accepted; only public producers ever show."""

from __future__ import annotations

import re
import unicodedata

import pytest

from catalog.catalogue import producer_search
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Producer
from catalog.platform import search_sync
from tests.factories import create_producer, create_published_product

HONG_PHUC = "HTX Nông nghiệp Hồng Phúc"
SECTION = re.compile(r'<section class="producer-matches".*?</section>', re.S)


def producers_section(client, query: str, **extra: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/tim-kiem", query_string={"q": query, **extra})
    assert response.status_code == 200
    found = SECTION.search(response.get_data(as_text=True))
    return found.group(0) if found else ""


def api_names(client, **query: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/producers", query_string=query)
    assert response.status_code == 200, response.get_json()
    return [item["name"] for item in response.get_json()["items"]]


# -- the search page, on the demo catalogue -------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["hong phuc", "Hồng Phúc", unicodedata.normalize("NFD", "Hồng Phúc"), "HỒNG PHÚC", "hong ph"],
)
def test_search_page_lists_the_producer_typed_any_way(demo_client, query):
    section = producers_section(demo_client, query)
    assert HONG_PHUC in section
    assert 'href="/co-so/' in section
    assert re.search(r"\d+ sản phẩm", section)


def test_producer_section_comes_before_the_products(demo_client):
    html = demo_client.get("/tim-kiem?q=hong+phuc").get_data(as_text=True)
    assert html.index('class="producer-matches"') < html.index('class="results"')


def test_d_typed_for_dj_finds_dac_san_producers(demo_client):
    section = producers_section(demo_client, "dac san")
    assert "Công ty TNHH Đặc sản" in section
    assert "Gốm sứ" not in section


def test_at_most_five_producers_with_the_count_of_all(demo_client):
    section = producers_section(demo_client, "cong ty")
    assert section.count('class="producer-match"') == 5
    total = int(re.search(r"Đang hiện 5 trong (\d+) cơ sở", section).group(1))  # type: ignore[union-attr]
    assert total > 5


def test_words_must_all_be_in_the_name(demo_client):
    assert producers_section(demo_client, "hong phuc gom") == ""
    assert producers_section(demo_client, "xyzzyqwerty") == ""


def test_province_filter_narrows_the_producers_too(demo_client):
    assert "Đặc sản" in producers_section(demo_client, "dac san")
    assert producers_section(demo_client, "dac san", tinh="cao-bang") == ""


@pytest.mark.parametrize(
    "query",
    ["", "   ", "\x00\x01", "' OR 1=1 --", "%_%", "<script>alert(1)</script>", "đ" * 5000],
)
def test_hostile_or_empty_text_is_answered_calmly(demo_client, query):
    response = demo_client.get("/tim-kiem", query_string={"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_second_page_of_products_does_not_repeat_the_producers(demo_client):
    assert producers_section(demo_client, "hong phuc", page="2") == ""


# -- visibility and freshness, on a small catalogue of our own ----------------------------


def test_suspended_or_pending_producer_never_shows(app, client):
    shown = create_producer("HTX Mây tre Phú Vinh")
    create_producer("HTX Mây tre Phú Vinh Hai", status="pending")
    suspended_id = create_producer("HTX Mây tre Phú Vinh Ba").id
    create_published_product("Giỏ mây", producer=shown)
    search_sync.rebuild()  # else the first search rebuilds it in the background
    assert "Phú Vinh Ba" in producers_section(client, "phu vinh")
    with write_transaction():
        db.session.get(Producer, suspended_id).status = "suspended"
    section = producers_section(client, "phu vinh")
    assert "HTX Mây tre Phú Vinh<" in section and "1 sản phẩm" in section
    assert "Hai" not in section and "Ba" not in section
    assert api_names(client, q="phu vinh") == ["HTX Mây tre Phú Vinh"]


def test_renamed_producer_is_found_by_its_new_name_even_without_a_commit_hook(app, client):
    producer_id = create_producer("HTX Chè Tân Cương").id
    assert producer_search.ranked_ids("tan cuong") == [producer_id]
    row = db.session.get(Producer, producer_id)
    row.name = "HTX Chè Shan Tuyết Hoà Bình"  # a plain commit, no write_transaction
    db.session.commit()
    assert producer_search.ranked_ids("tan cuong") == []
    # the old tone placement "Hoà" and the new "Hòa" are the same word
    assert producer_search.ranked_ids("shan tuyet hòa binh") == [producer_id]


def test_typed_accents_rank_first(app, client):
    other = create_producer("HTX Hông Phục").id
    exact = create_producer("HTX Hồng Phúc Thử").id
    assert producer_search.ranked_ids("Hồng Phúc") == [exact, other]
    assert set(producer_search.ranked_ids("hong phuc")) == {exact, other}


# -- the API --------------------------------------------------------------------------------


def test_api_q_matches_like_the_page_and_pages(demo_client):
    assert HONG_PHUC in api_names(demo_client, q="hong phuc")
    assert api_names(demo_client, q="Hồng Phúc")[0] == HONG_PHUC
    nfd = unicodedata.normalize("NFD", "hồng phúc")
    assert HONG_PHUC in api_names(demo_client, q=nfd)
    dac_san = api_names(demo_client, q="dac san", per_page="2")
    assert len(dac_san) == 2 and all("Đặc sản" in n for n in dac_san)
    body = demo_client.get("/api/v1/producers?q=dac+san&per_page=2&page=2").get_json()
    assert body["total"] >= 4 and body["page"] == 2
    assert {i["name"] for i in body["items"]}.isdisjoint(dac_san)


def test_api_q_combines_with_filters(demo_client):
    assert api_names(demo_client, q="dac san", province="cao-bang") == []
    everything = demo_client.get("/api/v1/producers?per_page=100").get_json()
    assert everything["total"] > len(api_names(demo_client, q="dac san", per_page="100"))


def test_api_q_too_long_is_a_clear_400(demo_client):
    response = demo_client.get("/api/v1/producers", query_string={"q": "a" * 201})
    assert response.status_code == 400
    assert "200 ký tự" in response.get_json()["error"]["message"]
    assert demo_client.get("/api/v1/producers", query_string={"q": "a" * 200}).status_code == 200


@pytest.mark.parametrize("query", ["\x00", "' OR 1=1 --", "%", "   "])
def test_api_q_hostile_text(demo_client, query):
    response = demo_client.get("/api/v1/producers", query_string={"q": query})
    assert response.status_code == 200
    assert isinstance(response.get_json()["items"], list)


def test_openapi_documents_q_on_producers(demo_client):
    document = demo_client.get("/api/v1/openapi.json").get_json()
    refs = [p["$ref"] for p in document["paths"]["/producers"]["get"]["parameters"]]
    assert "#/components/parameters/producer_q" in refs
    q = document["components"]["parameters"]["producer_q"]
    assert q["name"] == "q" and q["schema"]["maxLength"] == 200


# -- autocomplete -----------------------------------------------------------------------------


def test_autocomplete_suggestions_carry_the_page_they_open(demo_client):
    body = demo_client.get("/api/v1/autocomplete?q=vai+thi").get_json()
    assert body["suggestions"]
    products = [i for i in body["items"] if i["kind"] == "product"]
    assert products and products[0]["text"] in body["suggestions"]
    page = demo_client.get(products[0]["url"])
    assert page.status_code == 200 and products[0]["text"] in page.get_data(as_text=True)


def test_autocomplete_offers_producers_with_their_page(demo_client):
    items = demo_client.get("/api/v1/autocomplete?q=hong+phuc").get_json()["items"]
    producers = [i for i in items if i["kind"] == "producer"]
    assert [i["text"] for i in producers] == [HONG_PHUC]
    assert "/co-so/" in producers[0]["url"]
    assert demo_client.get(producers[0]["url"]).status_code == 200


def test_english_page_names_the_producers_in_english(demo_client):
    html = demo_client.get("/tim-kiem?q=cong+ty&hl=en").get_data(as_text=True)
    section = SECTION.search(html).group(0)  # type: ignore[union-attr]
    assert re.search(r"\d+ producers", section) and "matching producers" in section
    assert "cơ sở" not in section
    assert 'data-producer-label="producer"' in html
