"""Consumers filter on trust signals a product has ("Đã xác minh", "Địa chỉ tin cậy",
"Chứng nhận OCOP còn hiệu lực"), never on what it lacks: a negative value is a 400 naming
it, on the search page, the open data download and the API alike."""

from __future__ import annotations

from datetime import date

import pytest

from catalog.catalogue.openapi import document as api_document
from catalog.trust import verification
from tests.listings.support import text
from tests.trust.support import certify, live_product, official

NEGATIVE = ["false", "0", "khong", "không", "FALSE", " no "]


@pytest.fixture
def curator(app):  # type: ignore[no-untyped-def]
    return official("Cao Bằng")


@pytest.mark.parametrize("value", NEGATIVE)
@pytest.mark.parametrize("page_name", ["xac-minh", "tin-cay", "chung-nhan"])
def test_a_negative_filter_on_the_page_is_a_400_naming_it(client, page_name, value):
    response = client.get("/tim-kiem", query_string={page_name: value})
    assert response.status_code == 400
    assert f"“{value.strip()}”" in text(response)


@pytest.mark.parametrize("name", ["verified", "trusted", "certified"])
@pytest.mark.parametrize("value", [*NEGATIVE, "maybe", "true\x00", "x" * 500])
def test_the_api_refuses_anything_but_true(client, name, value):
    response = client.get("/api/v1/products", query_string={name: value})
    assert response.status_code == 400, value
    if name != "certified":
        assert client.get("/api/v1/producers", query_string={name: value}).status_code == 400


def test_junk_on_the_page_is_ignored_like_other_yes_no_values(client):
    assert client.get("/tim-kiem?xac-minh=maybe").status_code == 200
    assert client.get("/tim-kiem?chung-nhan=maybe").status_code == 400  # names nothing


def test_positive_filters_find_what_they_say(client, curator):
    certified = live_product("Hạt dẻ Trùng Khánh", curator=curator)
    expired = live_product("Miến dong Nguyên Bình", curator=curator)
    plain = live_product("Trà Phìa Đén", curator=curator)
    certify(curator, certified)
    certify(curator, expired, decision_date=date(2020, 1, 10), expires_on=date(2023, 1, 10))
    verification.verify_producer(curator, plain.producer_id, "MST 0101234567 khớp giấy ĐKKD.")

    def api_ids(query: str) -> set[int]:
        return {item["id"] for item in client.get(f"/api/v1/products?{query}").get_json()["items"]}

    assert api_ids("certified=true") == {certified.id}
    assert api_ids("certified=true&stars=5") == set()  # stars named as well narrow it
    assert api_ids("verified=true") == {plain.id}
    assert api_ids("trusted=true") == set()
    facets = client.get("/api/v1/products").get_json()["facets"]
    assert [f["value"] for f in facets["verified"]] == ["true"]
    assert facets["trusted"] == [] and facets["certified"][0]["count"] == 1

    page = text(client.get("/tim-kiem?chung-nhan=true"))
    assert certified.name in page and expired.name not in page and plain.name not in page
    assert 'name="chung-nhan" value="true" checked' in page
    whole = text(client.get("/tim-kiem"))
    for negative in ("Chưa xác minh", "Chưa đánh dấu tin cậy", 'value="false"'):
        assert negative not in whole
    assert 'name="xac-minh" value="true"' in whole and "Chứng nhận OCOP còn hiệu lực" in whole
    download = client.get("/du-lieu/san-pham.csv?xac-minh=false")
    assert download.status_code == 400


def test_the_api_document_offers_positive_filters_only(app):
    with app.test_request_context():
        document = api_document()
    params = document["components"]["parameters"]
    for name in ("verified", "trusted", "certified"):
        assert params[name]["schema"]["enum"] == [True]
    assert "(un)verified" not in str(document)
