"""The six socio-economic regions as a filter (issue 14.2): `vung` on listings, search and
open data, `region` in the API, each standing for its provinces; unknown: 400."""

from __future__ import annotations

import re

import pytest

from catalog.catalogue import browse
from catalog.platform import geo, reference
from tests.factories import create_published_product, province

HIGHLANDS = "tay-nguyen"


def test_regions_come_from_the_reference_and_cover_every_province(app):
    regions = geo.all_regions()
    assert [r.name for r in regions] == list(reference.REGIONS)
    assert [r.slug for r in regions] == [
        "trung-du-va-mien-nui-phia-bac",
        "dong-bang-song-hong",
        "bac-trung-bo-va-duyen-hai-mien-trung",
        "tay-nguyen",
        "dong-nam-bo",
        "dong-bang-song-cuu-long",
    ]
    ids = [i for r in regions for i in r.province_ids]
    assert sorted(ids) == sorted(p.id for p in geo.all_provinces()) and len(ids) == 34
    highlands = geo.resolve_region("Tây Nguyên")
    assert highlands is not None and highlands.slug == HIGHLANDS
    assert {province(n).id for n in ("Gia Lai", "Đắk Lắk", "Lâm Đồng")} == set(
        highlands.province_ids
    )


@pytest.mark.parametrize("typed", ["tay-nguyen", "Tây Nguyên", "TAY NGUYEN", " tây  nguyên "])
def test_a_region_is_named_by_slug_or_name(app, typed):
    assert geo.resolve_region(typed).slug == HIGHLANDS


@pytest.fixture
def spread(app):  # type: ignore[no-untyped-def]
    create_published_product("Cà phê Buôn Ma Thuột", province_name="Đắk Lắk")
    create_published_product("Hồ tiêu Chư Sê", province_name="Gia Lai")
    create_published_product("Hạt dẻ Trùng Khánh", province_name="Cao Bằng")
    create_published_product("Nước mắm Phú Quốc", province_name="An Giang")


def test_listing_filters_by_region(client, spread):
    for value in (HIGHLANDS, "T%C3%A2y+Nguy%C3%AAn"):
        html = client.get(f"/san-pham?vung={value}").get_data(as_text=True)
        assert "Cà phê Buôn Ma Thuột" in html and "Hồ tiêu Chư Sê" in html, value
        assert "Hạt dẻ Trùng Khánh" not in html and "Nước mắm Phú Quốc" not in html, value


def test_regions_and_provinces_add_up(client, spread):
    html = client.get(f"/san-pham?vung={HIGHLANDS}&tinh=cao-bang").get_data(as_text=True)
    assert "Cà phê Buôn Ma Thuột" in html and "Hạt dẻ Trùng Khánh" in html
    assert "Nước mắm Phú Quốc" not in html
    html = client.get(f"/san-pham?vung={HIGHLANDS}&vung=dong-bang-song-cuu-long").get_data(
        as_text=True
    )
    assert "Nước mắm Phú Quốc" in html and "Hồ tiêu Chư Sê" in html
    assert "Hạt dẻ Trùng Khánh" not in html


def test_listing_shows_the_region_facet_with_counts(client, spread):
    html = client.get(f"/san-pham?vung={HIGHLANDS}").get_data(as_text=True)
    assert (
        f'name="vung" value="{HIGHLANDS}" checked> Tây Nguyên <span class="count">2</span>' in html
    )
    assert 'value="trung-du-va-mien-nui-phia-bac"> Trung du và miền núi phía Bắc' in html
    # The region's provinces are not ticked one by one: unticking the region undoes it.
    assert 'value="dak-lak" checked' not in html
    assert "Đông Nam Bộ" not in html.split("<legend>Vùng</legend>")[1].split("</fieldset>")[0]


def test_region_counts_sum_the_provinces(app, spread):
    counts = browse.region_counts(browse.facet_counts().provinces)
    assert counts[HIGHLANDS] == 2 and counts["dong-nam-bo"] == 0
    assert sum(counts.values()) == browse.totals()[0]


def test_region_facet_is_translated(client, spread):
    html = client.get("/san-pham?hl=en").get_data(as_text=True)
    assert "<legend>Region</legend>" in html and "Central Highlands" in html


def test_hostile_region_values_are_refused_not_crashing(client):
    for value in ("%00", "%C2%B2", "x" * 3000, "%E2%80%AE"):
        for url in (f"/san-pham?vung={value}", f"/api/v1/products?region={value}"):
            assert client.get(url).status_code == 400, url


def test_open_data_listing_takes_regions(client, spread):
    text = client.get(f"/du-lieu/san-pham.csv?vung={HIGHLANDS}").get_data(as_text=True)
    assert "Cà phê Buôn Ma Thuột" in text and "Hạt dẻ Trùng Khánh" not in text


# -- search and API, on the indexed demo catalogue -------------------------------------------


def _region_provinces(slug: str) -> set[str]:
    region = geo.resolve_region(slug)
    return {p.name for p in geo.all_provinces() if p.id in region.province_ids}


def test_api_products_filter_by_region_with_a_region_facet(demo_client, demo_app):
    data = demo_client.get(f"/api/v1/products?region={HIGHLANDS}&per_page=100").get_json()
    with demo_app.app_context():
        allowed = _region_provinces(HIGHLANDS)
    assert data["total"] > 0
    assert {item["province"] for item in data["items"]} <= allowed
    regions = {f["value"]: f["count"] for f in data["facets"]["region"]}
    provinces = {f["label"]: f["count"] for f in data["facets"]["province"]}
    assert regions[HIGHLANDS] == sum(provinces.get(name, 0) for name in allowed)
    everything = demo_client.get("/api/v1/products").get_json()
    assert sum(f["count"] for f in everything["facets"]["region"]) == everything["total"]


def test_search_page_filters_by_region(demo_client, demo_app):
    html = demo_client.get(f"/tim-kiem?q=ca+phe&vung={HIGHLANDS}").get_data(as_text=True)
    assert f'name="vung" value="{HIGHLANDS}" checked' in html
    assert 'value="dak-lak" checked' not in html
    with demo_app.app_context():
        allowed = _region_provinces(HIGHLANDS)
    data = demo_client.get(f"/api/v1/products?q=ca+phe&region={HIGHLANDS}").get_json()
    assert data["total"] > 0 and {i["province"] for i in data["items"]} <= allowed


def test_region_filter_facet_and_province_redirect_match_the_openapi_document(demo_client):
    """`region`, the region facet, `region_slug` and the 301 of an old province name are in
    the document, and the real answers validate against it (closed schemas)."""
    from openapi_core import OpenAPI
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse

    document = demo_client.get("/api/v1/openapi.json").get_json()
    openapi = OpenAPI.from_dict(document)
    for url, status in (
        (f"/api/v1/products?region={HIGHLANDS}&region=dong-nam-bo&province=cao-bang", 200),
        ("/api/v1/provinces/bac-ninh", 200),
        ("/api/v1/provinces/bac-giang", 301),
    ):
        response = demo_client.get(url)
        assert response.status_code == status, url
        request = WerkzeugOpenAPIRequest(response.request)
        openapi.validate_request(request)
        openapi.validate_response(request, WerkzeugOpenAPIResponse(response))
    moved = document["paths"]["/provinces/{province}"]["get"]["responses"]["301"]
    assert "Location" in moved["headers"]


def test_home_region_headings_open_the_listing_of_that_region(client, spread):
    home = client.get("/").get_data(as_text=True)
    links = re.findall(r'<h3><a href="(/san-pham\?vung=[a-z-]+)">', home)
    assert sorted(links) == sorted(f"/san-pham?vung={r.slug}" for r in geo.all_regions())
    north = {"Hạt dẻ Trùng Khánh"}
    expected = {
        "trung-du-va-mien-nui-phia-bac": north,
        HIGHLANDS: {"Cà phê Buôn Ma Thuột", "Hồ tiêu Chư Sê"},
        "dong-bang-song-cuu-long": {"Nước mắm Phú Quốc"},
    }
    everything = set().union(*expected.values())
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        wanted = expected.get(url.rsplit("=", 1)[1], set())
        assert {name for name in everything if name in html} == wanted, url
