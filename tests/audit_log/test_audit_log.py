"""The audit log: province scope, filters, paging, CSV/XLSX export and immutability."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import AuditEntry
from catalog.models.curation import AuditEntryImmutable
from catalog.platform import audit
from catalog.review import moderation
from tests.factories import create_user, province
from tests.forms import post_form
from tests.listings.support import owner
from tests.review.support import official

LOG = "/quan-ly/nhat-ky"
EXPORT = "/quan-ly/nhat-ky/xuat"


@pytest.fixture
def history(app):  # type: ignore[no-untyped-def]
    """Decisions in Cao Bằng and Hà Nội by their officials."""
    cao_bang, ha_noi = official(), official("Hà Nội")
    here = owner(status="pending", name="HTX Hạt dẻ Trùng Khánh")
    there = owner(status="pending", name="HTX Cốm Làng Vòng", province_name="Hà Nội")
    moderation.reject_producer(here.producer_id, official=cao_bang, note="Thiếu giấy phép <b>")
    moderation.approve_producer(there.producer_id, official=ha_noi, note="Đủ hồ sơ")
    return {"cao_bang": cao_bang, "ha_noi": ha_noi, "here": here, "there": there}


def test_province_is_recorded_from_the_entity(history):
    entries = {e.action: e for e in db.session.scalars(select(AuditEntry))}
    assert entries["producer.reject"].province_id == history["here"].producer.province_id
    assert entries["producer.approve"].province_id == history["there"].producer.province_id
    with write_transaction():
        explicit = audit.record(
            None, "x.test", "user", 1, province_id=history["here"].producer.province_id
        )
        unknown = audit.record(None, "x.test", "nothing", 5)
    assert explicit.province_id == history["here"].producer.province_id
    assert unknown.province_id is None


def test_officials_see_only_their_provinces(client, login_as, history):
    login_as(history["cao_bang"])
    page = client.get(LOG).get_data(as_text=True)
    assert "Từ chối cơ sở" in page and "Thiếu giấy phép &lt;b&gt;" in page
    assert "Đủ hồ sơ" not in page and "Duyệt cơ sở" not in page
    assert f"/quan-ly/co-so/{history['here'].producer_id}" in page
    assert "Trạng thái" in page and "chờ duyệt" in page and "bị từ chối" in page
    assert "status" not in page.split("<main", 1)[-1].split("</main>")[0]


def test_admins_see_everything(app, client, login_as, history):
    registered = post_form(
        app.test_client(),
        "/tai-khoan/dang-ky",
        {
            "business_name": "HTX Miến dong Bảo Lạc",
            "province_id": str(province("Cao Bằng").id),
            "email": "mien.dong@example.vn",
            "password": "Mien-dong-Bao-Lac-2026",
            "confirm": "Mien-dong-Bao-Lac-2026",
        },
    )
    assert registered.status_code == 302
    login_as(create_user("admin"))
    page = client.get(LOG).get_data(as_text=True)
    assert "Từ chối cơ sở" in page and "Duyệt cơ sở" in page
    # The account-level entry is listed under its Vietnamese name, never its code.
    assert '<th scope="row" data-label="Hành động">Đăng ký tài khoản</th>' in page
    assert ">account.register<" not in page


def test_times_are_shown_in_vietnam_time(client, login_as, history):
    with write_transaction():
        entry = audit.record(
            history["cao_bang"], "odd.action", "producer", history["here"].producer_id
        )
        entry.created_at = datetime(2026, 3, 1, 20, 5, tzinfo=UTC)
    login_as(history["cao_bang"])
    page = client.get(LOG + "?hanh_dong=odd.action").get_data(as_text=True)
    assert "02/03/2026 03:05" in page and "odd.action" in page  # raw name for unknown actions


def test_filters(client, login_as, history):
    login_as(create_user("admin"))
    page = client.get(LOG + "?q=giấy phép").get_data(as_text=True)
    assert "Thiếu giấy phép" in page and "Đủ hồ sơ" not in page
    page = client.get(LOG + "?hanh_dong=producer.approve").get_data(as_text=True)
    assert "Đủ hồ sơ" in page and "Thiếu giấy phép" not in page
    page = client.get(LOG + f"?nguoi={history['ha_noi'].email}").get_data(as_text=True)
    assert "Đủ hồ sơ" in page and "Thiếu giấy phép" not in page
    page = client.get(LOG + "?doi_tuong=user").get_data(as_text=True)
    assert "Đủ hồ sơ" not in page
    page = client.get(LOG + "?tu_ngay=2000-01-01&den_ngay=2000-01-02").get_data(as_text=True)
    assert "Không có mục nào trong nhật ký khớp bộ lọc" in page
    for junk in (
        "?tu_ngay=hôm qua",
        "?q=%25_%5C",
        "?page=abc",
        "?nguoi=<script>",
        "?q=" + "x" * 3000,
    ):
        assert client.get(LOG + junk).status_code == 200, junk


def test_export_csv_and_xlsx_have_the_expected_rows(client, login_as, history):
    login_as(history["cao_bang"])
    response = client.get(EXPORT + "?dinh_dang=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not twice
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["Mã", "Thời gian", "Người thực hiện", "Hành động"]
    actions = [row[4] for row in rows[1:]]
    assert "producer.reject" in actions and "producer.approve" not in actions
    response = client.get(EXPORT + "?dinh_dang=xlsx&hanh_dong=producer.reject")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][3] == "Hành động" and len(values) == 2
    assert values[1][3] == "Từ chối cơ sở" and values[1][8] == "Thiếu giấy phép <b>"
    assert values[1][2] == history["cao_bang"].email
    assert client.get(EXPORT + "?dinh_dang=pdf").status_code == 400


def test_export_neutralises_spreadsheet_formulas(client, login_as, history):
    moderation.suspend_producer(
        history["there"].producer_id, official=history["ha_noi"], note='=HYPERLINK("x")'
    )
    login_as(history["ha_noi"])
    sheet = load_workbook(io.BytesIO(client.get(EXPORT + "?dinh_dang=xlsx").data)).active
    reasons = [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in reasons


def test_entries_cannot_be_changed_or_deleted(history):
    entry = db.session.scalars(select(AuditEntry)).first()
    with pytest.raises(AuditEntryImmutable), write_transaction():
        entry.reason = "sửa lén"
    db.session.rollback()
    entry = db.session.scalars(select(AuditEntry)).first()
    with pytest.raises(AuditEntryImmutable), write_transaction():
        db.session.delete(entry)
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).reason == entry.reason


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_log_urls_accept_no_writes(client, login_as, history, method):
    login_as(create_user("admin"))
    for url in (LOG, EXPORT):
        assert getattr(client, method)(url).status_code == 405


def test_producers_and_anonymous_cannot_read_the_log(client, login_as, history):
    response = client.get(LOG)
    assert response.status_code == 302 and "dang-nhap" in response.location
    login_as(owner())
    assert client.get(LOG).status_code == 403
    assert client.get(EXPORT).status_code == 403
