"""The officials' producers list filters on "Xác minh" like it does on "tin cậy": Tất cả /
Đã xác minh / Chưa xác minh (officials' words, never the public's)."""

from __future__ import annotations

import re

from catalog.trust import trust, verification
from tests.trust.support import live_product

URL = "/quan-ly/co-so-san-xuat"
PAPERS = "Mã số thuế 0101234567 khớp giấy chứng nhận đăng ký HTX số 12."


def names(page: str) -> set[str]:
    return set(re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', page))


def test_verified_filter(client, login_as, curator, product):
    verification.verify_producer(curator, product.producer_id, PAPERS)
    live_product("Miến dong", curator=curator)
    login_as(curator)
    everyone = client.get(URL).get_data(as_text=True)
    assert names(everyone) == {"HTX Hạt dẻ Trùng Khánh", "HTX Miến dong"}
    assert all(
        label in everyone
        for label in ('for="loc-xac-minh"', ">Đã xác minh</option>", ">Chưa xác minh</option>")
    )
    checked = client.get(f"{URL}?xac-minh=co").get_data(as_text=True)
    assert names(checked) == {"HTX Hạt dẻ Trùng Khánh"}
    assert '<option value="co" selected>Đã xác minh</option>' in checked
    unchecked = client.get(f"{URL}?xac-minh=khong").get_data(as_text=True)
    assert names(unchecked) == {"HTX Miến dong"}
    both = client.get(f"{URL}?xac-minh=co&tin-cay=co").get_data(as_text=True)
    assert names(both) == set()  # verified is not trusted: the filters combine
    listing = trust.list_producers(curator, trust.ProducerFilters(verified=False))
    assert [p.name for p in listing.items] == ["HTX Miến dong"]


def test_hostile_values_are_ignored_not_500(client, login_as, curator, product):
    login_as(curator)
    for value in ("<script>", "1", "%00", "x" * 5000, "co&xac-minh=khong"):
        response = client.get(URL, query_string={"xac-minh": value})
        assert response.status_code == 200
        assert "<script>" not in response.get_data(as_text=True).split("<main", 1)[-1]
