"""A province or region filter that names nothing is answered as such (400 with the value),
on every page and API that takes one; never ignored (which would show everything)."""

from __future__ import annotations

import pytest

PROVINCE_URLS = [
    "/san-pham?tinh=atlantis",
    "/tim-kiem?tinh=atlantis",
    "/tim-kiem?q=vai&tinh=atlantis",
    "/du-lieu/san-pham.json?tinh=atlantis",
    "/du-lieu/san-pham.json?q=vai&tinh=atlantis",
    "/api/v1/products?province=atlantis",
    "/api/v1/producers?province=atlantis",
    "/api/v1/campaigns?province=atlantis",
    "/nhom/thuc-pham?tinh=atlantis",
]
REGION_URLS = [
    "/san-pham?vung=atlantis",
    "/nhom/thuc-pham?vung=atlantis",
    "/tim-kiem?vung=atlantis",
    "/tim-kiem?q=ca+phe&vung=atlantis",
    "/du-lieu/san-pham.csv?vung=atlantis",
    "/du-lieu/san-pham.csv?q=ca&vung=atlantis",
    "/api/v1/products?region=atlantis",
]


def _message(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_json()["error"]["message"] if response.is_json else response.text


@pytest.mark.parametrize("url", PROVINCE_URLS)
def test_province_filters_that_name_nothing_are_refused(client, url):
    response = client.get(url)
    assert response.status_code == 400, url
    assert "atlantis" in _message(response), url


@pytest.mark.parametrize("url", REGION_URLS)
def test_unknown_region_is_refused(client, url):
    response = client.get(url)
    assert response.status_code == 400, url
    assert "Không có vùng “atlantis”" in _message(response), url
