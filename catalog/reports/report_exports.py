"""The report as files an official sends upward: XLSX (every table and list) and CSV (one
table per file, UTF-8 with a BOM so Excel reads the Vietnamese correctly).

The lists behind the figures, for the period and scope:
products (all but private drafts, created before the end of the period, with their status),
producers (created before the end of the period), complaints received in the period and
campaigns overlapping it.

Names and titles come from users, and a spreadsheet runs a cell starting with = + - @ as a
formula ("CSV injection"): every such text is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import (
    CERTIFICATE_STATES,
    COMPLAINT_KINDS,
    COMPLAINT_STATES,
    PRODUCER_TYPES,
    Category,
    Complaint,
    Producer,
    Product,
    Province,
)
from catalog.models.statuses import ProductStatus
from catalog.reports.report_figures import Report
from catalog.reports.report_periods import LOCAL_TZ
from catalog.reports.report_queries import certificate_state_expr, judged_on, public_products_where
from catalog.review.moderation import PRODUCER_STATES

PRODUCT_STATES = {
    "draft": "Bản nháp",
    "submitted": "Chờ duyệt",
    "published": "Đang đăng",
    "rejected": "Không được duyệt",
    "changes_requested": "Cần chỉnh sửa",
    "hidden": "Đã ẩn",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TABLES = ("tong-hop", "san-pham", "co-so", "phan-anh", "chuong-trinh")
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Table:
    key: str  # the CSV name: san-pham
    title: str  # the sheet name: Sản phẩm
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _local_date(value: datetime | None) -> date | None:
    return value.astimezone(LOCAL_TZ).date() if value is not None else None


def _yes(flag: bool) -> str:
    return "Có" if flag else "Không"


# -- the lists ------------------------------------------------------------------------------


def product_table(report: Report) -> Table:
    _, stop = report.period.bounds()
    day = judged_on(report.period)
    stmt = (
        select(
            Product.name,
            Producer.name,
            Province.name,
            Category.name,
            Product.ocop_stars,
            Product.public_stars_expr(day),
            certificate_state_expr(day),
            Product.status,
            public_products_where(report.scope, stop),
            Product.published_at,
        )
        .select_from(Product)
        .join(Producer, Product.producer_id == Producer.id)
        .join(Province, Product.province_id == Province.id)
        .outerjoin(Category, Product.category_id == Category.id)
        .where(
            Product.created_at < stop,
            Product.status != ProductStatus.DRAFT,
            report.scope.where(Product.province_id),
        )
        .order_by(Province.name, Producer.name, Product.name)
    )
    rows = []
    for (
        name,
        producer,
        province,
        group,
        stars,
        public,
        state,
        status,
        shown,
        published,
    ) in db.session.execute(stmt):
        certificate = CERTIFICATE_STATES.get(state, "") if stars else "Chưa xếp hạng"
        rows.append(
            (
                name,
                producer,
                province,
                group or "",
                public if public else "",
                certificate,
                PRODUCT_STATES.get(status, status),
                _yes(bool(shown)),
                _local_date(published),
            )
        )
    headers = (
        "Tên sản phẩm",
        "Cơ sở sản xuất",
        "Tỉnh, thành phố",
        "Nhóm OCOP",
        "Hạng sao (còn hiệu lực)",
        "Chứng nhận OCOP",
        "Trạng thái",
        "Hiển thị công khai",
        "Ngày đăng",
    )
    return Table("san-pham", "Sản phẩm", headers, rows)


def producer_table(report: Report) -> Table:
    _, stop = report.period.bounds()
    stmt = (
        select(
            Producer.name,
            Producer.type,
            Producer.tax_code,
            Province.name,
            Producer.status,
            Producer.trusted,
            Producer.created_at,
        )
        .join(Province, Producer.province_id == Province.id)
        .where(Producer.created_at < stop, report.scope.where(Producer.province_id))
        .order_by(Province.name, Producer.name)
    )
    rows = [
        (
            name,
            PRODUCER_TYPES.get(kind or "", ""),
            tax_code or "",
            province,
            PRODUCER_STATES.get(status, status).capitalize(),
            _yes(trusted),
            _local_date(created),
        )
        for name, kind, tax_code, province, status, trusted, created in db.session.execute(stmt)
    ]
    headers = (
        "Tên cơ sở",
        "Loại hình",
        "Mã số thuế",
        "Tỉnh, thành phố",
        "Trạng thái",
        "Địa chỉ tin cậy",
        "Ngày đăng ký",
    )
    return Table("co-so", "Cơ sở", headers, rows)


def complaint_table(report: Report) -> Table:
    begin, stop = report.period.bounds()
    stmt = (
        select(
            Complaint.created_at,
            Complaint.kind,
            Complaint.subject,
            Province.name,
            Complaint.status,
            Complaint.closed_at,
        )
        .join(Province, Complaint.province_id == Province.id)
        .where(
            Complaint.created_at >= begin,
            Complaint.created_at < stop,
            report.scope.where(Complaint.province_id),
        )
        .order_by(Complaint.created_at, Complaint.id)
    )
    rows = [
        (
            _local_date(created),
            COMPLAINT_KINDS.get(kind, kind),
            subject,
            province,
            COMPLAINT_STATES.get(status, status),
            _local_date(closed),
        )
        for created, kind, subject, province, status, closed in db.session.execute(stmt)
    ]
    headers = ("Ngày nhận", "Loại", "Nội dung phản ánh về", "Tỉnh, thành phố", "Trạng thái")
    return Table("phan-anh", "Phản ánh", (*headers, "Ngày đóng"), rows)


def campaign_table(report: Report) -> Table:
    rows = [(c.title, c.starts_on, c.ends_on, c.province, c.products) for c in report.campaigns]
    headers = ("Tên chương trình", "Từ ngày", "Đến ngày", "Phạm vi", "Số sản phẩm")
    return Table("chuong-trinh", "Chương trình", headers, rows)


def summary_table(report: Report) -> Table:
    """Every figure in three columns (table, item, value): the CSV "tổng hợp"."""
    rows: list[tuple[Any, ...]] = [
        ("Thông tin", "Kỳ báo cáo", f"{report.period.label} ({report.period.text})"),
        ("Thông tin", "Tỉnh, thành phố", report.scope.label),
        ("Thông tin", "Lập lúc", report.generated_text),
    ]
    rows += [("Số liệu chính", label, value) for label, value in key_numbers(report)]
    for breakdown in report.breakdowns():
        rows += [(breakdown.title, row.label, row.value) for row in breakdown.rows]
    for timeline in (report.registrations, report.approvals):
        for name, values in timeline.series:
            rows += [
                (f"{timeline.title}: {name}", m, v)
                for m, v in zip(timeline.months, values, strict=False)
            ]
    rows += [("Sản phẩm trong chương trình", c.title, c.products) for c in report.campaigns]
    return Table("tong-hop", "Tổng hợp", ("Bảng số liệu", "Mục", "Số lượng"), rows)


def key_numbers(report: Report) -> list[tuple[str, int]]:
    k = report.key
    return [
        ("Sản phẩm đang hiển thị", k.public_products),
        ("Sản phẩm OCOP còn hiệu lực", k.starred_products),
        ("Cơ sở đang hoạt động", k.producers),
        ("Địa chỉ tin cậy", k.trusted_producers),
        ("Cơ sở đăng ký mới trong kỳ", k.new_producers),
        ("Sản phẩm tạo mới trong kỳ", k.new_products),
        ("Hồ sơ được duyệt trong kỳ", k.approvals),
        ("Phản ánh nhận trong kỳ", k.complaints_received),
        ("Phản ánh đã xử lý xong trong kỳ", k.complaints_closed),
        ("Chương trình trong kỳ", k.campaigns),
        ("Sản phẩm tham gia chương trình", k.campaign_products),
    ]


def table(report: Report, key: str) -> Table:
    builders = {
        "tong-hop": summary_table,
        "san-pham": product_table,
        "co-so": producer_table,
        "phan-anh": complaint_table,
        "chuong-trinh": campaign_table,
    }
    return builders[key](report)


# -- files ----------------------------------------------------------------------------------


def file_name(report: Report, extension: str, table_key: str | None = None) -> str:
    """bao-cao-ocop-bac-ninh-2026.xlsx, bao-cao-ocop-bac-ninh-2026-san-pham.csv."""
    parts = ["bao-cao-ocop", report.scope.slug, report.period.year_label]
    if table_key and table_key != "tong-hop":
        parts.append(table_key)
    return "-".join(parts) + "." + extension


def _csv_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else safe_cell(value)


def to_csv(report: Report, key: str) -> bytes:
    """One table, UTF-8 with a BOM (Excel otherwise guesses the wrong encoding)."""
    chosen = table(report, key)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(chosen.headers)
    writer.writerows([_csv_value(v) for v in row] for row in chosen.rows)
    return out.getvalue().encode("utf-8-sig")


def _append(sheet: Worksheet, values: tuple[Any, ...] | list[Any], bold: bool = False) -> None:
    sheet.append([safe_cell(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, date):
            cell.number_format = "DD/MM/YYYY"
        elif isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever the text
        if bold:
            cell.font = BOLD


def _summary_sheet(sheet: Worksheet, report: Report) -> None:
    _append(sheet, ["Báo cáo sản phẩm OCOP và đặc sản trên Chợ Việt"], bold=True)
    _append(sheet, ["Kỳ báo cáo", f"{report.period.label} ({report.period.text})"])
    _append(sheet, ["Tỉnh, thành phố", report.scope.label])
    _append(sheet, ["Lập lúc", report.generated_text])
    sheet.append([])
    _append(sheet, ["Số liệu chính", "Số lượng"], bold=True)
    for label, value in key_numbers(report):
        _append(sheet, [label, value])
    for breakdown in report.breakdowns():
        sheet.append([])
        _append(sheet, [breakdown.title], bold=True)
        _append(sheet, ["Mục", "Số lượng"], bold=True)
        for row in breakdown.rows:
            _append(sheet, [row.label, row.value])
        _append(sheet, ["Tổng", breakdown.total], bold=True)
    for timeline in (report.registrations, report.approvals):
        sheet.append([])
        _append(sheet, [timeline.title], bold=True)
        _append(sheet, ["Tháng", *(name for name, _ in timeline.series)], bold=True)
        for i, month in enumerate(timeline.months):
            _append(sheet, [month, *(values[i] for _, values in timeline.series)])
    sheet.append([])
    campaigns = campaign_table(report)
    _append(sheet, ["Sản phẩm trong các chương trình"], bold=True)
    _append(sheet, campaigns.headers, bold=True)
    for line in campaigns.rows:
        _append(sheet, line)
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 24


def to_xlsx(report: Report) -> bytes:
    """A "Tổng hợp" sheet with every figure, then one sheet per list."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    _summary_sheet(summary, report)
    for build in (product_table, producer_table, complaint_table, campaign_table):
        listing = build(report)
        sheet = workbook.create_sheet(listing.title)
        _append(sheet, listing.headers, bold=True)
        for row in listing.rows:
            _append(sheet, row)
        sheet.freeze_panes = "A2"
        for column in "ABCDEFGHI"[: len(listing.headers)]:
            sheet.column_dimensions[column].width = 22
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
