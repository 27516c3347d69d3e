"""The officials' product pickers (featured products, campaigns, stories) search like the
public search: without accents ("hat de" finds "Hạt dẻ"), through the search backend and its
database fallback while the index is unavailable, limited to the official's provinces and
to products that are public."""

from __future__ import annotations

from catalog.platform import search_sync
from catalog.promotion.product_picker import pickable_products
from search_index import IndexUnavailable
from tests.listings.support import draft, owner
from tests.promotion.support import index_public, official, product_in


def test_hat_de_finds_hat_de_in_own_provinces_only(app):
    mine_id = product_in("Cao Bằng", "Hạt dẻ Trùng Khánh").id
    product_in("Lạng Sơn", "Hạt dẻ Lạng Sơn")
    draft(owner(), "Hạt dẻ chưa duyệt")
    index_public()
    curator = official("Cao Bằng")
    for typed in ("hat de", "HAT DE", "hạt dẻ", "  hat   de "):
        assert [p.id for p in pickable_products(curator, typed)] == [mine_id], typed
    assert pickable_products(curator, "hat de", {mine_id}) == []
    admin_found = {p.name for p in pickable_products(official("Cao Bằng", "Lạng Sơn"), "hat de")}
    assert admin_found == {"Hạt dẻ Trùng Khánh", "Hạt dẻ Lạng Sơn"}


def test_hostile_queries_and_no_provinces(app):
    product_in("Cao Bằng", "Hạt dẻ Trùng Khánh")
    index_public()
    curator = official("Cao Bằng")
    for typed in ("", "   ", "*", "hat de" * 100, "' OR 1=1 --", "\x00hat", "<script>"):
        found = pickable_products(curator, typed)
        assert len(found) <= 20
    nobody = official("Cao Bằng")
    nobody.provinces = []
    assert pickable_products(nobody, "hat de") == []


def test_database_fallback_when_index_is_unavailable(app, monkeypatch):
    curator = official("Cao Bằng")
    mine = product_in("Cao Bằng", "Hạt dẻ Trùng Khánh")

    def broken(query):  # type: ignore[no-untyped-def]
        raise IndexUnavailable("lost")

    monkeypatch.setattr(search_sync.backend(), "search", broken)
    monkeypatch.setattr(search_sync, "index_unavailable", lambda exc: None)
    assert [p.id for p in pickable_products(curator, "hat de")] == [mine.id]


def test_featured_page_finds_without_accents(client, login_as):
    mine_id = product_in("Cao Bằng", "Hạt dẻ Trùng Khánh").id
    index_public()
    login_as(official("Cao Bằng"))
    page = client.get("/quan-ly/noi-bat?q=hat de").get_data(as_text=True)
    assert "Hạt dẻ Trùng Khánh" in page
    assert f"/quan-ly/noi-bat/{mine_id}/them" in page
