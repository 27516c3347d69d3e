"""Reports: every figure against counts worked out by hand from the catalogue described in
tests/reports/support.py, the province scope, the period filter, the exports (opened with
openpyxl and the csv module) and hostile parameters."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from catalog.errors import Forbidden
from catalog.extensions import db
from catalog.models import Producer, Product, User
from catalog.platform import svg_charts
from catalog.reports import report_exports, report_figures, report_periods, reports
from tests import databases
from tests.conftest import close_app, make_app
from tests.factories import create_user, province
from tests.reports.support import SCRIPT_TITLE, Catalogue, build_catalogue

PAGE = "/quan-ly/bao-cao"
EXPORT = "/quan-ly/bao-cao/xuat"


@pytest.fixture(scope="module")
def built(tmp_path_factory, migrated_db):  # type: ignore[no-untyped-def]
    """The catalogue is built once (a few seconds of image processing and decisions) and
    its database copied for each test, as conftest does with the migrated one."""
    instance = tmp_path_factory.mktemp("reports")
    databases.clone(migrated_db, instance)
    application = make_app(instance)
    with application.app_context():
        made = build_catalogue()
        ids = (
            made.curator.id,
            made.lang_son.id,
            {k: p.id for k, p in made.products.items()},
            {k: p.id for k, p in made.producers.items()},
            made.today,
        )
        close_app(application)
    yield instance, ids
    databases.drop(instance)


@pytest.fixture
def app(tmp_path, built):  # type: ignore[no-untyped-def]
    """Overrides conftest's app: every test here starts from a copy of the catalogue."""
    databases.clone(built[0], tmp_path)
    application = make_app(tmp_path)
    with application.app_context():
        yield application
        close_app(application)
    databases.drop(tmp_path)


@pytest.fixture
def catalogue(app, built):  # type: ignore[no-untyped-def]
    curator, lang_son, products, producers, today = built[1]
    return Catalogue(
        db.session.get(User, curator),
        db.session.get(User, lang_son),
        {k: db.session.get(Product, i) for k, i in products.items()},
        {k: db.session.get(Producer, i) for k, i in producers.items()},
        today,
    )


def rows(breakdown: report_figures.Breakdown) -> dict[str, int]:
    return {row.label: row.value for row in breakdown.rows}


def this_month(today: date) -> str:
    return f"{today.month:02d}/{today.year}"


# -- figures --------------------------------------------------------------------------------


def test_cao_bang_figures_match_hand_counts(catalogue):
    report = reports.build_report(catalogue.this_year, report_periods.scope_for(catalogue.curator))
    k = report.key
    # Public: a b c d (P1) and g (P4, last year); e's producer is suspended, f waits.
    assert k.public_products == 5
    assert rows(report.by_province) == {"Cao Bằng": 5}
    assert rows(report.by_group)["Thực phẩm"] == 4 and rows(report.by_group)["Đồ uống"] == 1
    assert report.by_group.total == 5
    # a 4★ valid, d 3★ expiring keep their stars; b expired, c revoked, g none.
    assert rows(report.by_stars) == {"5 sao": 0, "4 sao": 1, "3 sao": 1, reports.NO_STARS: 3}
    assert k.starred_products == 2
    assert rows(report.certificates) == {
        "Còn hiệu lực": 1,
        "Sắp hết hạn": 1,
        "Hết hạn": 1,
        "Đã thu hồi": 1,
    }
    assert rows(report.producers_by_type) == {
        "Doanh nghiệp": 0,
        "Hợp tác xã": 1,
        "Hộ kinh doanh": 1,
        "Tổ hợp tác": 0,
    }
    status = rows(report.producers_by_status)
    assert (status["Đang hoạt động"], status["Chờ duyệt"], status["Tạm ngừng"]) == (2, 1, 1)
    assert report.producers_by_status.total == 4
    assert (k.producers, k.trusted_producers) == (2, 1)
    # This year: P1 P2 P3 registered; a–f created and submitted; P1 P2 and a–e approved.
    assert (k.new_producers, k.new_products, k.approvals) == (3, 6, 7)
    month = this_month(catalogue.today)
    at = report.registrations.months.index(month)
    assert tuple(values[at] for _, values in report.registrations.series) == (3, 6, 6)
    assert report.registrations.totals() == (3, 6, 6)
    assert report.approvals.totals() == (2, 5)
    assert report.registrations.months[0] == "01/" + str(catalogue.today.year)
    # Complaints received this year: c1 c2 c3; closed this year: c2 c3 and last year's c5.
    assert rows(report.complaints_by_status) == {
        "Mới tiếp nhận": 1,
        "Đang xác minh": 0,
        "Đã xử lý": 1,
        "Không có cơ sở": 1,
    }
    assert rows(report.complaints_by_kind) == {
        "Hàng giả, hàng nhái": 1,
        "Chất lượng kém": 1,
        "Thông tin sai": 1,
        "Vấn đề khác": 0,
    }
    assert (k.complaints_received, k.complaints_closed) == (3, 3)
    # Campaigns: Cao Bằng's (a, b) and the nationwide one (only d is Cao Bằng's).
    assert [(c.title, c.products) for c in report.campaigns] == [
        ("Tháng hàng Việt", 2),
        (SCRIPT_TITLE, 1),
    ]
    assert (k.campaigns, k.campaign_products) == (2, 3)


def test_admin_sees_every_province_and_any_one(catalogue):
    admin = create_user("admin")
    report = reports.build_report(catalogue.this_year, report_periods.scope_for(admin))
    assert rows(report.by_province) == {"Cao Bằng": 5, "Lạng Sơn": 1}
    assert report.key.starred_products == 3  # a, d and h
    assert (report.key.complaints_received, report.key.approvals) == (4, 8)
    assert [(c.title, c.products) for c in report.campaigns][1] == (SCRIPT_TITLE, 2)
    lang_son = report_periods.scope_for(admin, province("Lạng Sơn").id)
    only = reports.build_report(catalogue.this_year, lang_son)
    assert rows(only.by_province) == {"Lạng Sơn": 1}
    assert (only.key.complaints_received, only.key.approvals, only.key.new_producers) == (1, 1, 1)
    assert [c.title for c in only.campaigns] == [SCRIPT_TITLE]


def test_period_filter_leaves_out_entries_outside_it(catalogue):
    report = reports.build_report(catalogue.last_year, report_periods.scope_for(catalogue.curator))
    k = report.key
    # Only P4 and its product g existed by the end of last year.
    assert (k.public_products, k.producers, k.new_producers, k.new_products) == (1, 1, 1, 1)
    assert k.approvals == 1  # g's approval (dated last year)
    assert (k.complaints_received, k.complaints_closed) == (2, 0)  # c4, c5; c5 closed this year
    assert [c.title for c in report.campaigns] == ["Hội chợ năm trước"]
    assert report.registrations.months == tuple(
        f"{m:02d}/{catalogue.today.year - 1}" for m in range(1, 13)
    )
    assert dict(report.registrations.series)["Cơ sở đăng ký"][5] == 1  # June


def test_scope_rules(catalogue):
    curator = catalogue.curator
    with pytest.raises(Forbidden):
        report_periods.scope_for(curator, province("Lạng Sơn").id)
    with pytest.raises(LookupError):
        report_periods.scope_for(curator, 999)
    assert report_periods.scope_for(curator).province_ids == (province("Cao Bằng").id,)
    nobody = report_periods.scope_for(create_user("official"))
    report = reports.build_report(catalogue.this_year, nobody)
    assert report.key.public_products == 0 and report.campaigns == ()


def test_periods():
    today = date(2026, 11, 23)
    assert report_periods.preset_period("nam-nay", today).start == date(2026, 1, 1)
    half = report_periods.preset_period("6-thang-dau", today, 2025)
    assert (half.start, half.end) == (date(2025, 1, 1), date(2025, 6, 30))
    year = report_periods.preset_period("12-thang", today)
    assert (year.start, year.end, len(year.months())) == (date(2025, 12, 1), today, 12)
    december = report_periods.preset_period("12-thang", date(2026, 12, 5))
    assert december.start == date(2026, 1, 1)
    assert report_figures.month_label("2026-01") == "01/2026"
    with pytest.raises(report_periods.ReportError) as error:
        report_periods.custom_period(date(2026, 5, 1), date(2026, 4, 1), today)
    assert error.value.field == "den"
    with pytest.raises(report_periods.ReportError):
        report_periods.custom_period(date(2001, 1, 1), date(2026, 4, 1), today)


def test_charts_escape_labels_and_show_values():
    chart = svg_charts.bar_chart("c1", "Theo tỉnh", [("<b>Cao & Bằng</b>", 1234), ("X", 0)])
    assert 'role="img"' in chart and '<title id="c1-t">Theo tỉnh</title>' in chart
    assert "<b>" not in chart and "&lt;b&gt;Cao &amp; Bằng&lt;/b&gt;" in chart
    assert "1.234" in chart
    columns = svg_charts.column_chart("c2", "Tháng", ["01/2026"], [("<i>", [7])])
    assert "<i>" not in columns and ">7</text>" in columns and "01/2026" in columns


# -- pages ----------------------------------------------------------------------------------


def test_page_shows_figures_and_escapes_names(client, login_as, catalogue):
    login_as(catalogue.curator)
    response = client.get(PAGE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert page.count('role="img"') == 11
    assert "Tháng hàng Việt" in page and "Lạng Sơn" not in page.split("<h1>")[1]
    assert "dinh-dang=xlsx" in page and "bang=san-pham" in page


def test_out_of_scope_province_is_forbidden(client, login_as, catalogue):
    login_as(catalogue.curator)
    lang_son = province("Lạng Sơn").id
    assert client.get(f"{PAGE}?tinh={lang_son}").status_code == 403
    assert client.get(f"{EXPORT}?tinh={lang_son}&dinh-dang=csv").status_code == 403
    assert client.get(f"{PAGE}?tinh={province('Cao Bằng').id}").status_code == 200
    login_as(create_user("admin"))
    page = client.get(f"{PAGE}?tinh={lang_son}").get_data(as_text=True)
    assert "Na Chi Lăng" not in page and "Lạng Sơn" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("tu=2026-13-45", "Ngày không hợp lệ"),
        ("tu=2026-05-01&den=2026-04-01", "Ngày kết thúc phải sau"),
        ("tu=1990-01-01&den=2026-04-01", "từ 01/01/2000"),
        ("ky=<script>", "Vui lòng chọn một mục"),
        ("tinh=abc", "Vui lòng chọn một mục"),
        ("tinh=99999999999999999999999", "Vui lòng chọn một mục"),
        ("nam=99999", "Năm phải trong khoảng"),
    ],
)
def test_bad_filters_are_422_next_to_the_field(client, login_as, query, message):
    login_as(create_user("official", provinces=("Cao Bằng",)))
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'class="error-message"' in page
    assert "<script>" not in page


def test_custom_dates_in_either_format(client, login_as):
    login_as(create_user("official", provinces=("Cao Bằng",)))
    page = client.get(f"{PAGE}?tu=01/03/2026&den=2026-03-31").get_data(as_text=True)
    assert "01/03/2026 – 31/03/2026" in page


@pytest.mark.parametrize(
    "query",
    ["dinh-dang=pdf", "dinh-dang=csv&bang=mat-khau", "tu=hom-qua", "tinh=abc", "ky=x"],
)
def test_bad_export_parameters_are_400(client, login_as, query):
    login_as(create_user("official", provinces=("Cao Bằng",)))
    assert client.get(f"{EXPORT}?{query}").status_code == 400


def test_reports_are_for_officials_only(client, login_as):
    assert client.get(PAGE).status_code == 302
    login_as("producer")
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403


# -- exports --------------------------------------------------------------------------------


def test_xlsx_export_holds_the_figures_and_lists(client, login_as, catalogue):
    login_as(catalogue.curator)
    year = catalogue.today.year
    response = client.get(f"{EXPORT}?dinh-dang=xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="bao-cao-ocop-cao-bang-{year}.xlsx"'
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Tổng hợp", "Sản phẩm", "Cơ sở", "Phản ánh", "Chương trình"]
    summary = [tuple(r[:2]) for r in book["Tổng hợp"].iter_rows(values_only=True)]
    assert ("Tỉnh, thành phố", "Cao Bằng") in summary
    assert ("Sản phẩm đang hiển thị", 5) in summary and ("Hết hạn", 1) in summary
    assert ("Phản ánh đã xử lý xong trong kỳ", 3) in summary
    products = list(book["Sản phẩm"].iter_rows(values_only=True))
    assert products[0][:3] == ("Tên sản phẩm", "Cơ sở sản xuất", "Tỉnh, thành phố")
    by_name = {r[0]: r for r in products[1:]}
    assert sorted(by_name) == sorted(p.name for k, p in catalogue.products.items() if k != "h")
    assert by_name["Hạt dẻ Trùng Khánh"][4:8] == (4, "Còn hiệu lực", "Đang đăng", "Có")
    assert by_name["Lạp sườn Cao Bằng"][4:6] == (None, "Đã thu hồi")
    assert by_name["Rượu ngô Bảo Lạc"][7] == "Không"
    producers = list(book["Cơ sở"].iter_rows(values_only=True))
    assert len(producers) == 5 and ("'=1+2 HTX Thử" in [r[0] for r in producers])
    complaints = list(book["Phản ánh"].iter_rows(values_only=True))
    assert len(complaints) == 4
    injected = next(c for c in book["Phản ánh"]["C"] if "HYPERLINK" in str(c.value))
    assert injected.data_type == "s" and injected.value.startswith("'=")
    campaigns = list(book["Chương trình"].iter_rows(values_only=True))
    assert [r[0] for r in campaigns[1:]] == ["Tháng hàng Việt", SCRIPT_TITLE]


def test_csv_exports_one_table_with_bom(client, login_as, catalogue):
    login_as(catalogue.curator)
    year = catalogue.today.year
    response = client.get(f"{EXPORT}?dinh-dang=csv&bang=phan-anh")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].endswith(
        f'filename="bao-cao-ocop-cao-bang-{year}-phan-anh.csv"'
    )
    assert response.data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[0][:3] == ["Ngày nhận", "Loại", "Nội dung phản ánh về"]
    assert len(table) == 4
    assert all(not row[2].startswith(("=", "+", "-", "@")) for row in table)
    assert '\'=HYPERLINK("http://x.vn","bấm")' in [row[2] for row in table]
    summary = client.get(f"{EXPORT}?dinh-dang=csv&bang=tong-hop")
    lines = list(csv.reader(io.StringIO(summary.data.decode("utf-8-sig"))))
    assert lines[0] == ["Bảng số liệu", "Mục", "Số lượng"]
    assert ["Số liệu chính", "Sản phẩm đang hiển thị", "5"] in lines
    assert ["Phản ánh nhận trong kỳ theo loại", "Hàng giả, hàng nhái", "1"] in lines
    last_year = client.get(f"{EXPORT}?dinh-dang=csv&bang=san-pham&ky=ca-nam&nam={year - 1}")
    names = [r[0] for r in csv.reader(io.StringIO(last_year.data.decode("utf-8-sig")))]
    assert names == ["Tên sản phẩm", "Mật ong bạc hà"]


def test_safe_cell_neutralises_formula_starts():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert report_exports.safe_cell(text) == "'" + text
    assert report_exports.safe_cell("Hạt dẻ") == "Hạt dẻ"
    assert report_exports.safe_cell(-3) == -3
