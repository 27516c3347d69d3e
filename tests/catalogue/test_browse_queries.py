"""The listing queries rewritten for speed (one grouped pass for the facet counts, ids first
and rows second for a page) must give exactly what the straightforward queries give."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from catalog.catalogue import browse
from catalog.extensions import db
from catalog.models import Product, Province


@pytest.fixture(autouse=True)
def _context(demo_app: Flask):  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        yield


def _straight_page(filters: browse.BrowseFilters) -> list[int]:
    """The page's ids as the plain ORM query over whole rows returns them."""
    stmt = (
        browse._ordered(browse._filtered(filters), filters.sort)
        .offset((filters.page - 1) * filters.per_page)
        .limit(filters.per_page)
    )
    return [p.id for p in db.session.scalars(stmt).unique()]


def test_facet_counts_equal_the_separate_counts(demo_app: Flask) -> None:
    scopes = [None, browse.BrowseFilters(category_ids=(1,))]
    province = db.session.scalar(
        select(Province).join(Product, Product.province_id == Province.id).limit(1)
    )
    scopes.append(browse.BrowseFilters(province_ids=(province.id,)))
    for scope in scopes:
        counts = browse.facet_counts(scope)
        assert counts.provinces == browse.province_counts(scope)
        assert counts.categories == browse.category_counts(scope)
        assert counts.stars == browse.star_counts(scope)
    assert sum(browse.facet_counts().provinces.values()) == browse.totals()[0] > 100


def test_list_products_pages_match_the_plain_query(demo_app: Flask) -> None:
    for sort in browse.SORTS:
        for page in (1, 2, 5):
            filters = browse.BrowseFilters(sort=sort, page=page, per_page=24)
            listed = browse.list_products(filters)
            assert [p.id for p in listed.items] == _straight_page(filters)
            assert listed.total == browse.totals()[0]


def test_related_products_are_the_best_rated_of_the_province(demo_app: Flask) -> None:
    product = db.session.scalars(browse._filtered(browse.BrowseFilters())).first()
    related = browse.related_products(product, limit=4)
    expected = (
        browse._filtered(browse.BrowseFilters(province_ids=(product.province_id,)))
        .where(Product.id != product.id)
        .order_by(Product.public_stars_expr().desc().nulls_last(), Product.id)
        .limit(4)
    )
    assert [p.id for p in related] == [p.id for p in db.session.scalars(expected).unique()]
    assert product.id not in [p.id for p in related]


def test_home_lists_every_province_with_its_former_names(demo_app: Flask) -> None:
    provinces = browse.provinces_with_other_names()
    assert len(provinces) == 34
    bac_ninh = next(p for p in provinces if p.name == "Bắc Ninh")
    assert "Bắc Giang" in bac_ninh.legacy_names
    html = demo_app.test_client().get("/").get_data(as_text=True)
    assert "Bắc Giang" in html
