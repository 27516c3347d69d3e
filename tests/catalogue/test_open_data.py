"""Open data: /du-lieu/san-pham.csv and .json export the published catalogue, a listing or a
search with the importer's columns; the CSV goes back through the importer into an empty
database without a rejected row and exports the same again; only public data; no formulas."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from catalog.database import write_transaction
from catalog.imports.import_rows import COLUMNS
from catalog.imports.imports import import_csv
from tests.factories import create_producer, create_published_product
from tests.page_checks import html_problems

CSV_URL = "/du-lieu/san-pham.csv"
JSON_URL = "/du-lieu/san-pham.json"


def rows_of(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents right
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    assert tuple(next(reader)) == COLUMNS
    return [dict(zip(COLUMNS, row, strict=True)) for row in reader]


def api_total(client, query: str = "") -> int:  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/products?per_page=1{query}").get_json()["total"]


@pytest.fixture(scope="module")
def catalogue(demo_app) -> bytes:
    with demo_app.app_context():
        response = demo_app.test_client().get(CSV_URL)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="cho-viet-san-pham.csv"' in response.headers["Content-Disposition"]
    return response.get_data()


def test_the_whole_catalogue_as_csv(demo_client, catalogue):
    rows = rows_of(demo_client.get(CSV_URL))
    assert len(rows) == api_total(demo_client) >= 150
    assert len({(r["producer_name"], r["product_name"]) for r in rows}) == len(rows)
    assert all(r["product_name"] and r["producer_name"] and r["province"] for r in rows)
    assert {r["ocop_stars"] for r in rows} <= {"", "3", "4", "5"}
    assert any(r["phone"] for r in rows) and any(r["tax_code"] for r in rows)


def test_the_csv_round_trips_through_the_importer(catalogue, app, client):
    """Exported from the demo, imported into an empty database: nothing rejected, and the
    new site exports exactly the same rows."""
    report = import_csv(catalogue)
    assert report.errors == [] and report.rows == len(rows_of_bytes(catalogue))
    again = client.get(CSV_URL).get_data()
    # Same rows; the order may differ (newest first, and the import gave one timestamp).
    assert sorted(rows_of_bytes(again)) == sorted(rows_of_bytes(catalogue))
    assert len(report.product_ids) == len(rows_of_bytes(catalogue))


def rows_of_bytes(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))[1:]


def test_json_has_the_same_rows_with_types(demo_client, catalogue):
    response = demo_client.get(JSON_URL)
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    assert data["columns"] == list(COLUMNS) and data["truncated"] is False
    assert data["total"] == len(data["items"]) == len(rows_of_bytes(catalogue))
    first = data["items"][0]
    assert list(first) == list(COLUMNS)
    assert first["ocop_stars"] in (None, 3, 4, 5)
    assert all(isinstance(i["price_vnd"], int | None) for i in data["items"])


def test_a_listing_and_a_search_export_every_page_of_what_they_show(demo_client):
    listing = rows_of(demo_client.get(f"{CSV_URL}?tinh=cao-bang&sao=4&sao=5&page=3"))
    assert len(listing) == api_total(demo_client, "&province=cao-bang&stars=4&stars=5") > 0
    assert {r["province"] for r in listing} == {"Cao Bằng"}
    assert {r["ocop_stars"] for r in listing} <= {"4", "5"}
    found = rows_of(demo_client.get(f"{CSV_URL}?q=v%E1%BA%A3i+thi%E1%BB%81u&page=2"))
    assert len(found) == api_total(demo_client, "&q=vai%20thieu") > 0
    assert "Vải thiều" in found[0]["product_name"]
    as_json = demo_client.get(f"{JSON_URL}?q=v%E1%BA%A3i+thi%E1%BB%81u").get_json()
    assert [i["product_name"] for i in as_json["items"]] == [r["product_name"] for r in found]
    # More than one page of the index (100): the export pages through all of it.
    verified = rows_of(demo_client.get(f"{CSV_URL}?xac-minh=true&sap-xep=price_asc"))
    assert len(verified) == api_total(demo_client, "&verified=true") > 100
    prices = [int(r["price_vnd"]) for r in verified if r["price_vnd"]]
    assert prices == sorted(prices)


@pytest.mark.parametrize(
    "query",
    ["q=((", "sap-xep=random&page=-1", "q=%00%01", "tin-cay=co"],
)
def test_hostile_parameters_still_give_a_file(demo_client, query):
    assert demo_client.get(f"{CSV_URL}?{query}").status_code == 200
    assert demo_client.get(f"{JSON_URL}?{query}").get_json()["columns"] == list(COLUMNS)


@pytest.mark.parametrize("query", ["sao=abc", "tinh=Atlantis", "nhom=xyz", "q=che&tinh=²"])
def test_filters_that_name_nothing_are_refused_not_dropped(demo_client, query):
    """Dropping the filter would export the whole catalogue as if it were the selection."""
    for url in (CSV_URL, JSON_URL):
        response = demo_client.get(f"{url}?{query}")
        assert response.status_code == 400, (url, query)
        page = response.get_data(as_text=True)
        assert "Không có" in page or "Số sao OCOP" in page


def test_other_formats_are_not_found(demo_client):
    assert demo_client.get("/du-lieu/san-pham.xml").status_code == 404


def test_only_public_data_and_no_formulas(app, client):
    evil = create_producer(
        '=HYPERLINK("http://x")', phone="0912345678", address="+cmd|' /C calc'!A0"
    )
    product = create_published_product("@SUM(1+1)", producer=evil)
    expired = create_published_product("Chè hết hạn chứng nhận")
    draft = create_published_product("Chè nháp")
    hidden_producer = create_producer("HTX Chờ Duyệt", status="pending")
    create_published_product("Chè cơ sở chờ duyệt", producer=hidden_producer)
    with write_transaction():
        product.description = "-2+3 là công thức"
        product.ocop_stars, product.certificate_no = 4, "\tQĐ-1"
        product.certificate_expires_on = date(2099, 1, 1)
        expired.ocop_stars, expired.certificate_no, expired.certificate_year = 5, "QĐ-9", 2015
        draft.status = "draft"
    rows = {r["product_name"]: r for r in rows_of(client.get(CSV_URL))}
    assert set(rows) == {"'@SUM(1+1)", "Chè hết hạn chứng nhận"}
    cells = rows["'@SUM(1+1)"]
    assert cells["producer_name"] == '\'=HYPERLINK("http://x")'
    assert cells["description"] == "'-2+3 là công thức" and cells["address"].startswith("'+")
    assert cells["certificate_no"] == "'\tQĐ-1" and cells["ocop_stars"] == "4"
    stale = rows["Chè hết hạn chứng nhận"]
    assert stale["ocop_stars"] == stale["certificate_no"] == stale["certificate_year"] == ""
    items = client.get(JSON_URL).get_json()["items"]
    assert {i["product_name"] for i in items} == {"@SUM(1+1)", "Chè hết hạn chứng nhận"}


def test_the_pages_link_to_their_download(demo_client, tmp_path):
    listing = demo_client.get("/san-pham?tinh=cao-bang&sao=5&page=2").get_data(as_text=True)
    assert 'href="/du-lieu/san-pham.csv?tinh=cao-bang&amp;sao=5"' in listing
    search = demo_client.get("/tim-kiem?q=ca+phe").get_data(as_text=True)
    assert 'href="/du-lieu/san-pham.json?q=ca+phe"' in search
    assert html_problems({"listing": listing, "search": search}, tmp_path) == []
