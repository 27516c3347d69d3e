"""The OpenAPI document (/api/v1/openapi.json) is a valid OpenAPI 3.1 document
(openapi-spec-validator) and the real responses match it (openapi-core): list and detail of
every resource, filters, errors. Closed schemas (additionalProperties: false, every key
required) make any drift between a view and the document fail here."""

from __future__ import annotations

import re

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate

API = "/api/v1"


@pytest.fixture(autouse=True)
def _roomy_rate_limit(demo_app, monkeypatch):
    """Many requests in a row from one test IP: the limit itself is tested in test_api_v1."""
    monkeypatch.setitem(demo_app.config, "API_RATE", "10000 per minute")


@pytest.fixture(scope="module")
def document(demo_app) -> dict:
    with demo_app.app_context():
        response = demo_app.test_client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture(scope="module")
def openapi(document) -> OpenAPI:
    return OpenAPI.from_dict(document)


def check(openapi: OpenAPI, client, url: str, status: int = 200):  # type: ignore[no-untyped-def]
    """Fetch url, assert the status, validate the request and response against the document."""
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    request = WerkzeugOpenAPIRequest(response.request)
    if status != 400:  # a 400 is the answer to a request the document does not allow
        openapi.validate_request(request)
    openapi.validate_response(request, WerkzeugOpenAPIResponse(response))
    return response.get_json()


def test_the_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_every_api_route_is_documented_and_nothing_else(document, demo_app):
    routes = set()
    for rule in demo_app.url_map.iter_rules():
        if rule.rule.startswith(API + "/"):
            routes.add(re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule.removeprefix(API)))
    assert routes == set(document["paths"])


def ids(client, url: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [item["id"] for item in client.get(url).get_json()["items"]]


def test_lists_and_details_match_the_document(openapi, demo_client):
    for url in (
        "/products", "/products?per_page=100&page=2", "/producers?per_page=100",
        "/producers?verified=true&type=hop_tac_xa", "/producers?province=bac-ninh",
        "/provinces", "/provinces/bac-ninh", "/provinces/24", "/categories",
        "/categories/thuc-pham", "/campaigns", "/campaigns?province=cao-bang",
        "/autocomplete?q=vai", "/autocomplete", "/autocomplete?q=hong%20phuc",
        "/producers?q=hong%20phuc", "/producers?q=dac%20san&per_page=2&page=2",
    ):  # fmt: skip
        check(openapi, demo_client, API + url)
    for product_id in ids(demo_client, f"{API}/products?per_page=100")[:40]:
        check(openapi, demo_client, f"{API}/products/{product_id}")
    for producer_id in ids(demo_client, f"{API}/producers?per_page=40"):
        check(openapi, demo_client, f"{API}/producers/{producer_id}")
    campaigns = ids(demo_client, f"{API}/campaigns?per_page=100")
    assert campaigns, "the demo has published campaigns"
    for campaign_id in campaigns:
        check(openapi, demo_client, f"{API}/campaigns/{campaign_id}")


def test_search_with_every_filter_matches_the_document(openapi, demo_client):
    data = check(
        openapi,
        demo_client,
        f"{API}/products?q=mat%20ong&province=cao-bang&province=24&category=thuc-pham"
        "&stars=4&stars=5&verified=true&trusted=true&sort=price_desc&per_page=5",
    )
    assert data["per_page"] == 5
    check(openapi, demo_client, f"{API}/products?q=vai%20thieeu")  # with a suggestion


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/products?page=0", 400), ("/products?per_page=101", 400), ("/products?stars=6", 400),
        ("/producers?type=cong_ty", 400), ("/producers?verified=maybe", 400),
        ("/campaigns?province=Atlantis", 400), ("/campaigns?page=abc", 400),
        ("/producers?province=", 400), ("/producers?q=" + "a" * 201, 400),
        ("/products/999999", 404), ("/producers/999999", 404), ("/campaigns/999999", 404),
        ("/provinces/atlantis", 404), ("/categories/xyz", 404),
    ],
)  # fmt: skip
def test_errors_match_the_document(openapi, demo_client, url, status):
    data = check(openapi, demo_client, API + url, status)
    assert data["error"]["code"] == status and data["error"]["message"]


def test_a_rate_limited_answer_matches_the_document(openapi, demo_client, demo_app, monkeypatch):
    monkeypatch.setitem(demo_app.config, "API_RATE", "1 per hour")
    environ = {"REMOTE_ADDR": "198.51.100.61"}
    assert demo_client.get(f"{API}/categories", environ_base=environ).status_code == 200
    response = demo_client.get(f"{API}/categories", environ_base=environ)
    assert response.status_code == 429
    request = WerkzeugOpenAPIRequest(response.request)
    openapi.validate_response(request, WerkzeugOpenAPIResponse(response))


def test_a_drifted_response_is_caught(openapi, demo_client):
    """The validator is not toothless: an extra key or a wrong type fails."""
    from openapi_core.templating.responses.exceptions import ResponseFinderError
    from openapi_core.validation.response.exceptions import DataValidationError

    response = demo_client.get(f"{API}/provinces/24")
    request = WerkzeugOpenAPIRequest(response.request)
    data = response.get_json()
    for changed in ({**data, "extra": 1}, {**data, "code": "24"}):
        response.set_data(__import__("json").dumps(changed))
        with pytest.raises((DataValidationError, ResponseFinderError)):
            openapi.validate_response(request, WerkzeugOpenAPIResponse(response))
