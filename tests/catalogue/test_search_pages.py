"""The search page: accent-free queries, highlights that cannot carry script, the spelling
suggestion, facets with counts, old province names and a helpful empty state."""

from __future__ import annotations

from catalog.imports.imports import import_csv
from tests.helpers import csv_bytes, row


def page(client, query: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/tim-kiem", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_accent_free_query_finds_and_highlights(demo_client):
    html = page(demo_client, "vai thieu")
    assert "Vải thiều Lục Ngạn" in html
    assert "<mark>Vải</mark>" in html and "<mark>thiều</mark>" in html
    assert 'class="product-card' in html


def test_old_province_name_finds_products_now_in_the_new_province(demo_client):
    html = page(demo_client, "Bắc Giang")
    assert "Lục Ngạn" in html and "Bắc Ninh" in html


def test_facets_show_counts_and_filter(demo_client):
    html = page(demo_client, "ca phe")
    assert 'name="tinh"' in html and 'class="count"' in html
    filtered = demo_client.get("/tim-kiem?q=ca+phe&tinh=dak-lak").get_data(as_text=True)
    assert filtered.count('class="product-card') < html.count('class="product-card')
    assert filtered.count('class="product-card') >= 1


def test_spelling_suggestion_is_offered(demo_client):
    html = page(demo_client, "vai thieeu")
    assert "Có phải bạn muốn tìm" in html


def test_nothing_found_says_what_to_try(demo_client):
    html = page(demo_client, "xyzzyqwerty")
    assert "Không tìm thấy sản phẩm phù hợp" in html and "bỏ dấu" in html


def test_highlighted_snippets_cannot_carry_markup(app, client):
    report = import_csv(
        csv_bytes(
            row(
                product_name="Trà <img src=x onerror=alert(1)> sen",
                description='Trà sen <script>alert("x")</script> thơm & ngon',
            )
        )
    )
    assert report.ok
    html = page(client, "tra sen")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html
    assert "<mark>" in html


def test_search_box_works_without_javascript(demo_client):
    html = demo_client.get("/").get_data(as_text=True)
    assert 'action="/tim-kiem"' in html and 'name="q"' in html and 'role="search"' in html
