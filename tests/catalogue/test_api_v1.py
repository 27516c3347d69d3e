"""API v1 behaviour beyond the shapes (those are in test_openapi.py): pagination with Link
headers, ETag / 304 and cache headers, CORS and preflight, the per-IP rate limit, and that
only public producers, products and published campaigns ever show."""

from __future__ import annotations

import re

import pytest

from catalog.database import write_transaction
from catalog.promotion import campaigns
from tests.factories import create_producer, create_published_product
from tests.promotion.support import make_campaign, official

API = "/api/v1"


@pytest.fixture
def roomy(demo_app, monkeypatch):
    """Many requests in a row from one test IP: the limit is tested on its own app below."""
    monkeypatch.setitem(demo_app.config, "API_RATE", "10000 per minute")


def links(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["Link"])
    }


def test_pages_follow_the_link_header_to_every_producer(demo_client, roomy):
    response = demo_client.get(f"{API}/producers?per_page=7&verified=true")
    first = response.get_json()
    assert first["pages"] == -(-first["total"] // 7) and first["pages"] > 2
    seen = [p["id"] for p in first["items"]]
    assert "prev" not in links(response)
    while "next" in links(response):
        url = links(response)["next"]
        assert "verified=true" in url and "per_page=7" in url
        response = demo_client.get(url)
        seen += [p["id"] for p in response.get_json()["items"]]
    assert len(seen) == len(set(seen)) == first["total"]
    assert links(response)["prev"].endswith(f"page={first['pages'] - 1}")
    assert links(response)["last"] == links(response)["first"].replace(
        "page=1", f"page={first['pages']}"
    )


def test_products_keep_their_shape_and_gain_pages(demo_client, roomy):
    response = demo_client.get(f"{API}/products?sort=price_asc&per_page=10&page=2")
    data = response.get_json()
    assert set(data) == {"total", "page", "per_page", "pages", "items", "facets", "suggestion"}
    assert data["pages"] == -(-data["total"] // 10)
    assert links(response)["next"].endswith("sort=price_asc&per_page=10&page=3")
    assert links(response)["prev"].endswith("page=1")


def test_strange_query_keys_never_break_the_links(demo_client, roomy):
    response = demo_client.get(f"{API}/campaigns?endpoint=x&_external=1&page=1&%00=%E2%80%AE")
    assert response.status_code == 200 and "first" in links(response)


def test_etag_and_304(demo_client, roomy):
    response = demo_client.get(f"{API}/producers?per_page=3")
    etag = response.headers["ETag"]
    assert response.headers["Cache-Control"] in ("public, max-age=60", "max-age=60, public")
    again = demo_client.get(f"{API}/producers?per_page=3", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    other = demo_client.get(f"{API}/producers?per_page=4", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    error = demo_client.get(f"{API}/producers/999999")
    assert "ETag" not in error.headers and "no-store" in error.headers["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/products", "/producers/999999", "/products?page=0", "/khong-co", "/openapi.json"]
)
def test_cors_on_every_api_answer(demo_client, roomy, path):
    response = demo_client.get(API + path, headers={"Origin": "https://cong-thong-tin.gov.vn"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    if response.status_code >= 400:
        assert response.is_json and response.get_json()["error"]["message"]


def test_preflight_is_answered(demo_client, roomy):
    response = demo_client.options(
        f"{API}/products",
        headers={
            "Origin": "https://cong-thong-tin.gov.vn",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]
    assert demo_client.post(f"{API}/products").status_code in (400, 405)  # read-only


def test_the_rate_limit_is_per_ip_across_the_api(app, client):
    app.config["API_RATE"] = "3 per minute"
    ip = {"REMOTE_ADDR": "203.0.113.50"}
    for path in ("/provinces", "/categories", "/producers"):
        assert client.get(API + path, environ_base=ip).status_code == 200
    for _ in range(3):  # preflights are free
        assert client.options(API + "/producers", environ_base=ip).status_code == 200
    blocked = client.get(API + "/campaigns", environ_base=ip)
    assert blocked.status_code == 429
    assert blocked.is_json and "quá nhanh" in blocked.get_json()["error"]["message"]
    assert blocked.headers["Retry-After"] and blocked.headers["Access-Control-Allow-Origin"] == "*"
    other = client.get(API + "/campaigns", environ_base={"REMOTE_ADDR": "203.0.113.51"})
    assert other.status_code == 200


def test_only_public_producers_products_and_campaigns(app, client):
    shown = create_producer("HTX Chè Công Khai", tax_code="0101234567", phone="0912345678")
    create_published_product("Chè xanh công khai", producer=shown)
    hidden = create_published_product("Chè nháp")
    with write_transaction():
        hidden.status = "draft"
    pending = create_producer("HTX Chờ Duyệt", status="pending")
    create_published_product("Chè của cơ sở chờ duyệt", producer=pending)
    suspended = create_producer("HTX Tạm Ngưng", status="suspended")

    data = client.get(f"{API}/producers?per_page=100").get_json()
    names = {p["name"]: p for p in data["items"]}
    assert "HTX Chè Công Khai" in names and not {"HTX Chờ Duyệt", "HTX Tạm Ngưng"} & set(names)
    assert names["HTX Chè Công Khai"]["products"] == 1
    assert names["HTX Chè Công Khai"]["phone"] == "0912345678"
    assert names[hidden.producer.name]["products"] == 0
    for producer in (pending, suspended):
        assert client.get(f"{API}/producers/{producer.id}").status_code == 404
    detail = client.get(f"{API}/producers/{shown.id}").get_json()
    assert len(detail["product_ids"]) == 1 and detail["tax_code"] == "0101234567"

    user = official("Cao Bằng")
    public = create_published_product("Hạt dẻ Trùng Khánh")
    draft_only = create_published_product("Miến dong")
    published = make_campaign(user, title="Phiên chợ hạt dẻ")
    draft = make_campaign(user, publish=False, title="Bản nháp")
    for product in (public, draft_only):
        campaigns.add_product(user, published.id, product.id)
    with write_transaction():
        draft_only.status = "hidden"
    listed = client.get(f"{API}/campaigns").get_json()
    assert [c["title"] for c in listed["items"]] == ["Phiên chợ hạt dẻ"]
    assert listed["items"][0]["products"] == 1
    one = client.get(f"{API}/campaigns/{published.id}").get_json()
    assert one["product_ids"] == [public.id] and one["province_slug"] == "cao-bang"
    assert client.get(f"{API}/campaigns/{draft.id}").status_code == 404


def test_provinces_and_ocop_groups(demo_client, roomy):
    provinces = demo_client.get(f"{API}/provinces").get_json()["items"]
    assert len(provinces) == 34 and sum(p["products"] for p in provinces) > 0
    by_code = demo_client.get(f"{API}/provinces/24").get_json()
    assert by_code == demo_client.get(f"{API}/provinces/bac-ninh").get_json()
    assert by_code["old_names"] == ["Bắc Giang"]
    groups = demo_client.get(f"{API}/categories").get_json()["items"]
    assert len(groups) == 6 and groups[0]["slug"] == "thuc-pham"
    total = demo_client.get(f"{API}/products?per_page=1").get_json()["total"]
    assert sum(g["products"] for g in groups) <= total
    food = demo_client.get(f"{API}/products?category=thuc-pham&per_page=1").get_json()["total"]
    assert groups[0]["products"] == food


@pytest.mark.parametrize("kind", ["products", "producers", "campaigns"])
def test_ids_past_64_bits_are_not_found_not_a_crash(demo_client, roomy, kind):
    for raw in ("99999999999999999999999", "9223372036854775808", "-1", "1.5"):
        response = demo_client.get(f"{API}/{kind}/{raw}")
        assert response.status_code == 404 and response.is_json


def test_writing_methods_are_refused_with_allow(demo_client, roomy):
    response = demo_client.delete(f"{API}/products")
    assert response.status_code == 405 and response.is_json
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
