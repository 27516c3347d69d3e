"""Numbers from URLs, query strings and forms (issue 13): one rule, what each answer is.

Ids outside the database's integers, or written in other digits than ASCII, name nothing:
the route does not match (404; JSON under /api/). A filter that names nothing is refused
with 400 and a message naming it. The route sweep (test_route_sweep.py) checks that no
request anywhere gets a 5xx; these tests check the exact answers.
"""

from __future__ import annotations

import pytest
from sqlalchemy import BigInteger, Integer
from werkzeug.datastructures import MultiDict
from wtforms.meta import DefaultMeta

from catalog.extensions import db
from catalog.platform.numbers import MAX_ID, kind_and_id, row_id, whole_number
from catalog.review import review_queue
from catalog.web import params
from catalog.web.converters import BoundedIntegerConverter
from catalog.web.fields import YearField, int_or_none, parse_price
from tests.factories import create_producer, create_published_product, create_user, province

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def arabic(number: int) -> str:
    return str(number).translate(ARABIC_INDIC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("0", 0),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (str(2**63), None),
        ("1" * 5000, None),
        ("-1", None),
        ("+1", None),
        ("1e309", None),
        ("1.0", None),
        ("1_000", None),
        ("²", None),
        ("١٢", None),
        ("１２", None),  # fullwidth
        ("", None),
        (None, None),
        (True, None),
        (7, 7),
        (-7, None),
    ],
)
def test_whole_numbers_are_ascii_digits_within_the_database_integers(text, expected):
    assert whole_number(text) == expected
    assert int_or_none(text) == expected


def test_ids_start_at_one_and_kinds_must_be_known():
    assert row_id("0") is None and row_id("1") == 1
    assert kind_and_id("producer:12", ("producer",)) == ("producer", 12)
    for value in ("producer:²", "producer:١٢", f"producer:{2**63}", "producer:", "x:1", "12"):
        assert kind_and_id(value, ("producer",)) is None, value


def test_max_id_fits_every_integer_id_column():
    """MAX_ID is PostgreSQL's INTEGER limit: right while every id column is an Integer (or
    wider); a smaller column type would need a smaller bound."""
    checked = 0
    for table in db.metadata.tables.values():
        for column in table.columns:
            if not (column.primary_key or column.foreign_keys):
                continue
            if isinstance(column.type, Integer):
                assert isinstance(column.type, BigInteger) or type(column.type) is Integer, (
                    f"{table.name}.{column.name} is {column.type!r}: is MAX_ID still right?"
                )
                checked += 1
    assert checked > 20
    assert MAX_ID == 2**31 - 1


def test_every_int_rule_uses_the_bounded_converter(app):
    rules = [r for r in app.url_map.iter_rules() if "<int" in r.rule]
    assert len(rules) > 40
    for rule in rules:
        for name, converter in rule._converters.items():
            if "int" in rule.rule.split(name)[0].rsplit("<", 1)[-1]:
                assert isinstance(converter, BoundedIntegerConverter), rule.rule
                assert converter.max is not None and converter.max <= MAX_ID, rule.rule


def test_ids_in_other_digits_or_too_large_are_not_found(client, login_as):
    product = create_published_product("Mật ong bạc hà")
    ok = client.get(f"/api/v1/products/{product.id}")
    assert ok.status_code == 200
    for odd in (arabic(product.id), str(MAX_ID + 1), str(2**63), "1e309", "²"):
        response = client.get(f"/api/v1/products/{odd}")
        assert response.status_code == 404, odd
        assert response.get_json()["error"]["code"] == 404
    assert client.get(f"/phan-anh/san-pham/{product.id}").status_code == 200
    assert client.get(f"/phan-anh/san-pham/{arabic(product.id)}").status_code == 404
    assert client.get(f"/phan-anh/san-pham/{2**63}").status_code == 404
    login_as(create_user("official", provinces=("Cao Bằng",)))
    response = client.get(f"/quan-ly/san-pham/{MAX_ID + 1}")
    assert response.status_code == 404 and "Không tìm thấy" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/san-pham?tinh=atlantis", "Không có tỉnh/thành phố “atlantis”"),
        (f"/san-pham?tinh={2**63}", "Không có tỉnh/thành phố"),
        ("/san-pham?tinh=²", "Không có tỉnh/thành phố “²”"),
        ("/san-pham?nhom=khong-co", "Không có nhóm OCOP “khong-co”"),
        ("/san-pham?sao=9", "Số sao OCOP (sao) phải là 3, 4 hoặc 5"),
        ("/tinh/cao-bang?sao=١٢", "Số sao OCOP (sao) phải là 3, 4 hoặc 5"),
        ("/tim-kiem?q=mat+ong&tinh=99999999999", "Không có tỉnh/thành phố"),
        ("/du-lieu/san-pham.csv?tinh=atlantis", "Không có tỉnh/thành phố"),
        ("/du-lieu/san-pham.json?q=mat&sao=2", "Số sao OCOP"),
    ],
)
def test_page_filters_that_name_nothing_are_refused(client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "Yêu cầu không hợp lệ" in page


def test_page_filters_take_codes_and_old_names(client):
    """The listing's province filter reads what search and the API read: slug, official
    code, or a name from before the 2025 merger (Bắc Giang is now part of Bắc Ninh)."""
    create_published_product("Hạt dẻ Trùng Khánh", province_name="Cao Bằng")
    create_published_product("Vải thiều Lục Ngạn", province_name="Bắc Ninh")
    for value in (str(province("Cao Bằng").id), "cao-bang", "Cao Bằng"):
        page = client.get(f"/san-pham?tinh={value}").get_data(as_text=True)
        assert "Hạt dẻ Trùng Khánh" in page and "Vải thiều Lục Ngạn" not in page, value
    page = client.get("/san-pham?tinh=bac-giang").get_data(as_text=True)
    assert "Vải thiều Lục Ngạn" in page and "Hạt dẻ Trùng Khánh" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/products?province=99999999999",
        f"/api/v1/products?province={2**63}",
        "/api/v1/products?stars=²",
        "/api/v1/products?page=١٢",
        f"/api/v1/products?per_page={2**63}",
        "/api/v1/campaigns?province=²",
        f"/api/v1/producers?province={2**63}",
    ],
)
def test_api_parameters_that_name_nothing_are_400_json(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == 400


def test_lenient_navigation_on_pages(client):
    for url in ("/san-pham?page=²", f"/san-pham?page={2**63}", "/tin-tuc?page=١٢", "/?page=-1"):
        assert client.get(url).status_code == 200, url


def test_params_parser():
    args = MultiDict({"tinh": "4", "x": "١٢", "big": str(2**63), "page": "0", "neg": "-3"})
    assert params.id_param(args, "tinh") == 4
    assert params.id_param(args, "x") is None and params.id_param(args, "missing") is None
    with pytest.raises(params.ParamError):
        params.id_param(args, "big", strict=True)
    assert params.page_number(args) == 1
    with pytest.raises(params.ParamError):
        params.page_number(args, strict=True)
    assert params.number(args, "neg", default=7) == 7
    assert params.star_values(["3,5", "4"]) == (3, 4, 5)
    assert params.star_values(["²", "9"]) == ()
    with pytest.raises(params.ParamError):
        params.star_values(["²"], strict=True)


def test_bulk_approve_refuses_ids_that_are_not_plain_numbers(app):
    curator = create_user("official", provinces=("Cao Bằng",))
    pending = create_producer(status="pending")
    keys = [
        "producer:²",
        f"producer:{arabic(pending.id)}",
        f"producer:{2**63}",
        f"producer:{MAX_ID + 1}",
        f"producer:{pending.id}",
    ]
    result = review_queue.bulk_approve(curator, keys)
    assert result.approved == [pending.name]
    assert [label for label, _ in result.refused] == keys[:4]


def test_typed_form_numbers_take_ascii_digits_only():
    """A price or a year in other digits is a form error in Vietnamese, not a value (nor
    Python's "invalid literal for int()")."""
    assert parse_price("150.000 đ") == 150_000
    for typed in ("١٥٠٠٠٠", "150.٠٠٠", "²"):
        with pytest.raises(ValueError, match="chỉ gồm chữ số"):
            parse_price(typed)
    year = YearField().bind(form=None, name="nam", _meta=DefaultMeta())
    assert year.parse("2024") == 2024
    for typed in ("²⁰²⁴", "٢٠٢٤", "20.4", "-202"):
        with pytest.raises(ValueError, match="4 chữ số"):
            year.parse(typed)


def test_nul_bytes_name_nothing(client):
    """PostgreSQL cannot compare text holding NUL: such a slug does not match (404); a
    filter holding one names no province (400); free text just loses it."""
    assert client.get("/san-pham/a%00b").status_code == 404
    assert client.get("/tinh/%00").status_code == 404
    assert client.get("/api/v1/categories/%00").get_json()["error"]["code"] == 404
    assert client.get("/san-pham?tinh=%00").status_code == 400
    assert client.get("/api/v1/products?province=cao-bang%00").status_code == 400
    assert client.get("/tim-kiem?q=mat%00ong").status_code == 200
