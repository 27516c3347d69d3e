"""JSON API v1: search with filters and facets, one product, provinces; hostile input."""

from __future__ import annotations

import pytest


def get(client, url: str):  # type: ignore[no-untyped-def]
    response = client.get(url)
    return response.status_code, response.get_json()


def test_products_search_shape(demo_client):
    status, data = get(demo_client, "/api/v1/products?q=vai%20thieu")
    assert status == 200
    assert set(data) == {"total", "page", "per_page", "pages", "items", "facets", "suggestion"}
    assert data["total"] >= 1 and data["items"]
    first = data["items"][0]
    assert set(first) == {
        "id", "slug", "name", "category", "province", "ocop_stars", "price_vnd", "unit",
        "availability", "harvest_months", "available_now", "producer", "url", "image",
    }  # fmt: skip
    assert set(first["producer"]) == {"id", "name", "verified", "verified_at", "trusted"}
    assert "vải thiều" in first["name"].lower()
    assert set(data["facets"]) >= {"province", "category", "stars"}
    assert data["facets"]["province"]
    for facet in data["facets"]["province"]:
        assert set(facet) == {"value", "label", "count"} and facet["count"] > 0


def test_old_province_name_filters_to_new_province(demo_client):
    _, by_old = get(demo_client, "/api/v1/products?province=B%E1%BA%AFc%20Giang&per_page=100")
    _, by_slug = get(demo_client, "/api/v1/products?province=bac-ninh&per_page=100")
    _, by_code = get(demo_client, "/api/v1/products?province=24&per_page=100")
    assert by_old["total"] == by_slug["total"] == by_code["total"] > 0
    assert {i["province"] for i in by_old["items"]} == {"Bắc Ninh"}


def test_filters_stars_category_verified_and_sort(demo_client):
    _, data = get(
        demo_client, "/api/v1/products?stars=4&stars=5&category=thuc-pham&sort=stars&per_page=50"
    )
    stars = [i["ocop_stars"] for i in data["items"]]
    assert stars and set(stars) <= {4, 5}
    assert stars == sorted(stars, reverse=True)
    assert {i["category"] for i in data["items"]} == {"Thực phẩm"}
    _, verified = get(demo_client, "/api/v1/products?verified=true&per_page=100")
    assert verified["items"] and all(i["producer"]["verified"] for i in verified["items"])


def test_pagination_and_price_sort(demo_client):
    _, one = get(demo_client, "/api/v1/products?sort=price_asc&per_page=5&page=1")
    _, two = get(demo_client, "/api/v1/products?sort=price_asc&per_page=5&page=2")
    assert one["total"] == two["total"] >= 150
    assert not {i["id"] for i in one["items"]} & {i["id"] for i in two["items"]}
    prices = [i["price_vnd"] for i in one["items"] + two["items"] if i["price_vnd"] is not None]
    assert prices == sorted(prices)


def test_single_product_and_provinces(demo_client):
    _, data = get(demo_client, "/api/v1/products?q=vai%20thieu")
    product_id = data["items"][0]["id"]
    status, product = get(demo_client, f"/api/v1/products/{product_id}")
    assert status == 200 and product["id"] == product_id and product["images"]
    assert demo_client.get("/api/v1/products/999999").status_code == 404
    _, provinces = get(demo_client, "/api/v1/provinces")
    assert len(provinces["items"]) == 34
    bac_ninh = next(p for p in provinces["items"] if p["slug"] == "bac-ninh")
    assert bac_ninh["old_names"] == ["Bắc Giang"]


# What a hostile query finds: the whole catalogue when nothing in it is a word (as if no
# query were given), nothing, some real products, or products whose best match holds a word.
EVERYTHING, NOTHING, SOME = "everything", "nothing", "some"


@pytest.mark.parametrize(
    ("q", "expected"),
    [("((", EVERYTHING), ("AND OR NOT", "thốt nốt"), ("*", EVERYTHING), ("a" * 500, NOTHING),
     ("\x00\x01\x1f", EVERYTHING), ("<script>alert(1)</script>", SOME), ('"', EVERYTHING),
     ("'\"", EVERYTHING), ("-", EVERYTHING), ("vải*", "vải"), ("~", EVERYTHING),
     ("name:x", NOTHING), ("OR", NOTHING), ("\u202e", EVERYTHING), ("%", EVERYTHING),
     ("🙂", EVERYTHING)],
)  # fmt: skip
def test_hostile_queries_give_200(demo_client, q, expected):
    response = demo_client.get("/api/v1/products", query_string={"q": q})
    assert response.status_code == 200
    data = response.get_json()
    names = [item["name"] for item in data["items"]]
    if expected == EVERYTHING:
        _, unfiltered = get(demo_client, "/api/v1/products")
        assert data["total"] == unfiltered["total"] > 0
        assert names == [item["name"] for item in unfiltered["items"]]
    elif expected == NOTHING:
        assert (data["total"], names) == (0, [])
    else:
        assert data["total"] > 0 and names and all(name.strip() for name in names)
        assert not any("<" in name for name in names)
        if expected != SOME:
            assert expected in names[0].lower(), names


@pytest.mark.parametrize(
    "query",
    [
        "page=0", "page=-1", "page=abc", "per_page=101", "per_page=0", "stars=6", "stars=abc",
        "verified=maybe", "sort=random", "province=Atlantis", "category=xyz",
    ],
)  # fmt: skip
def test_invalid_parameters_give_400_json(demo_client, query):
    response = demo_client.get(f"/api/v1/products?{query}")
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"]["message"]


def test_autocomplete(demo_client):
    data = demo_client.get("/api/v1/autocomplete?q=vai%20th").get_json()
    assert any("Vải thiều" in s for s in data["suggestions"])
    empty = {"suggestions": [], "items": []}
    assert demo_client.get("/api/v1/autocomplete?q=").get_json() == empty
