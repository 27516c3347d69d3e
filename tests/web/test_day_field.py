"""Dates typed and shown as dd/mm/yyyy (issue 14.7): the one parser (also d/m/yyyy and ISO
for old bookmarks), impossible days refused politely, and the forms of each kind showing
their dates back as dd/mm/yyyy in a text box with a numeric keypad."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from catalog.platform.dates import parse_day
from catalog.web.fields import DayField
from catalog.web.forms_common import Form
from tests.factories import create_user, province
from tests.forms import post_form
from tests.listings.support import create, edit_url, only_product, owner, text
from tests.promotion.support import official, product_in

CAMPAIGNS = "/quan-ly/chuong-trinh"


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("01/05/2028", date(2028, 5, 1)),
        ("1/5/2028", date(2028, 5, 1)),
        (" 29/02/2028 ", date(2028, 2, 29)),
        ("01.05.2028", date(2028, 5, 1)),
        ("01-05-2028", date(2028, 5, 1)),
        ("01052028", date(2028, 5, 1)),
        ("2028-05-01", date(2028, 5, 1)),  # ISO: old bookmarks, tests, date inputs
        ("2028-5-1", date(2028, 5, 1)),
    ],
)
def test_dates_are_read_day_first_or_iso(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "không có ngày 31/02/2026 (tháng 2 năm 2026 có 28 ngày)"),
        ("29/02/2027", "không có ngày 29/02/2027"),
        ("31/04/2026", "tháng 4 năm 2026 có 30 ngày"),
        ("00/05/2026", "không có ngày 00/05/2026"),
        ("12/13/2026", "không có tháng 13"),
        ("2026-13-45", "không có tháng 13"),
        ("01/05/0001", "năm cần từ 1900 đến 2100"),
        ("01/05/26", "ví dụ 01/05/2028"),
        ("05/2026", "ví dụ 01/05/2028"),
        ("١٢/٠٥/٢٠٢٨", "ví dụ 01/05/2028"),  # not ASCII digits
        ("<script>alert(1)</script>", "ví dụ 01/05/2028"),
        ("1" * 3000, "ví dụ 01/05/2028"),
        ("01/05/2028\x00", "ví dụ 01/05/2028"),
        ("", "ví dụ 01/05/2028"),
    ],
)
def test_impossible_or_garbled_dates_are_refused_politely(typed, message):
    with pytest.raises(ValueError, match="^Ngày không hợp lệ") as refused:
        parse_day(typed)
    assert message in str(refused.value)


class _OneDate(Form):
    class Meta:
        csrf = False

    day = DayField("Ngày")


def test_the_field_renders_a_numeric_text_box_and_shows_dd_mm_yyyy(app):
    with app.test_request_context():
        form = _OneDate(MultiDict({"day": "2028-05-01"}))
        assert form.validate() and form.day.data == date(2028, 5, 1)
        html = str(form.day())
        assert 'type="text"' in html and 'inputmode="numeric"' in html
        assert 'placeholder="dd/mm/yyyy"' in html and 'value="01/05/2028"' in html
        assert form.day.description == "Ngày/tháng/năm, ví dụ 01/05/2028."
        bad = _OneDate(MultiDict({"day": '31/02/2026"><script>'}))
        assert not bad.validate() and "Ngày không hợp lệ" in bad.day.errors[0]
        shown = str(bad.day())
        assert "<script>" not in shown and "31/02/2026&#34;&gt;&lt;script&gt;" in shown
        assert str(_OneDate(data={"day": date(2026, 11, 1)}).day()).count('value="01/11/2026"')


def test_an_officials_campaign_form_takes_and_shows_dd_mm_yyyy(app, client, login_as):
    login_as(official())
    product_in("Cao Bằng", "Hạt dẻ Trùng Khánh")
    page = text(client.get(f"{CAMPAIGNS}/moi"))
    assert 'id="starts_on"' in page and 'type="date"' not in page
    assert 'placeholder="dd/mm/yyyy"' in page and "Ngày/tháng/năm, ví dụ 01/11/2026." in page
    values = {
        "title": "Hội chợ OCOP Cao Bằng",
        "starts_on": "1/11/2026",
        "ends_on": "30/11/2026",
        "province_id": str(province("Cao Bằng").id),
        "summary": "",
        "description": "",
        "banner_alt": "",
    }
    refused = post_form(client, f"{CAMPAIGNS}/moi", {**values, "starts_on": "31/02/2026"})
    page = text(refused)
    assert refused.status_code == 422 and "không có ngày 31/02/2026" in page
    assert 'value="31/02/2026"' in page and 'value="Hội chợ OCOP Cao Bằng"' in page
    saved = post_form(client, f"{CAMPAIGNS}/moi", values)
    assert saved.status_code == 302
    page = text(client.get(saved.headers["Location"]))
    assert 'value="01/11/2026"' in page and 'value="30/11/2026"' in page


def test_a_certificate_is_recorded_with_a_day_first_decision_date(app, client, login_as):
    curator = login_as(official())
    product = product_in("Cao Bằng", "Hạt dẻ Trùng Khánh", curator)
    url = f"/quan-ly/san-pham/{product.id}/chung-nhan/moi"
    assert 'placeholder="dd/mm/yyyy"' in text(client.get(url))
    values = {
        "decision_no": "88/QĐ-UBND",
        "decision_date": "4/3/2025",
        "issuing_council": "UBND tỉnh Cao Bằng",
        "stars": "4",
        "evaluation_type": "new",
        "expires_on": "30/02/2028",
        "certificate_no": "",
    }
    refused = post_form(client, url, values)
    assert refused.status_code == 422 and "tháng 2 năm 2028 có 29 ngày" in text(refused)
    assert 'value="04/03/2025"' in text(refused)  # the good date, shown day first
    assert post_form(client, url, {**values, "expires_on": ""}).status_code == 302
    page = text(client.get("/quan-ly/chung-nhan"))
    assert "04/03/2025" in page and "04/03/2028" in page


def test_a_producers_listing_form_shows_its_expiry_day_first(app, client, login_as):
    login_as(owner())
    assert create(client, certificate_expires_on="12/10/2027").status_code == 302
    page = text(client.get(edit_url(only_product())))
    assert 'value="12/10/2027"' in page and 'type="date"' not in page
    assert 'inputmode="numeric"' in page


def test_report_and_audit_filters_read_and_show_dd_mm_yyyy(app, client, login_as):
    login_as(create_user("admin"))
    page = text(client.get("/quan-ly/bao-cao?tu=01/05/2026&den=2026-05-31"))
    assert 'value="01/05/2026"' in page and 'value="31/05/2026"' in page
    assert "Từ 01/05/2026 đến 31/05/2026" in page
    page = text(client.get("/quan-ly/nhat-ky?tu_ngay=1/5/2026&den_ngay=31/02/2026"))
    assert 'value="01/05/2026"' in page and 'placeholder="dd/mm/yyyy"' in page
    assert 'type="date"' not in page
