"""Reports: the dashboard of figures with charts for a period and province, and the same
figures (plus the lists behind them) as XLSX or CSV: the periodic report an official sends
upward.

Views stay thin: parse the filter, check the province is the official's (403 otherwise),
ask services/reports.py for the figures, render or hand them to report_exports.py. An invalid
filter on the page is 422 with the message next to the field; on the export it is 400 (a file
download has nowhere to show a form).
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from flask import Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from catalog.models import User
from catalog.platform import svg_charts
from catalog.reports import report_exports, report_figures, report_periods, reports
from catalog.reports.forms import ReportFilterForm
from catalog.web.blueprints import official as bp
from catalog.web.forms_errors import show_refusal
from catalog.web.official_access import official_required
from catalog.web.params import id_param

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
CSV_LABELS = {
    "tong-hop": "Tổng hợp số liệu",
    "san-pham": "Danh sách sản phẩm",
    "co-so": "Danh sách cơ sở",
    "phan-anh": "Danh sách phản ánh",
    "chuong-trinh": "Danh sách chương trình",
}
FILTER_PARAMS = ("ky", "nam", "tu", "den", "tinh")


def _everyone(user: User) -> str:
    return "Tất cả tỉnh, thành phố" if user.role == "admin" else "Tất cả tỉnh, thành phố phụ trách"


def _check_province(user: User) -> None:
    """A province the official does not cover is forbidden (403), not a form error."""
    province_id = id_param(request.args, "tinh")
    if province_id is not None:
        # Not covered: 403 (catalog.errors.Forbidden); unknown: the form says "choose one".
        with suppress(LookupError):
            report_periods.scope_for(user, province_id)


def _parse(user: User) -> tuple[ReportFilterForm, report_figures.Report | None]:
    """The filter form and, when it is valid, the report it asks for."""
    _check_province(user)
    form = ReportFilterForm(
        request.args, provinces=report_periods.provinces_for(user), everyone=_everyone(user)
    )
    if not form.validate():
        return form, None
    try:
        if form.custom:
            period = report_periods.custom_period(form.tu.data, form.den.data)
        else:
            period = report_periods.preset_period(form.ky.data or "nam-nay", year=form.nam.data)
    except report_periods.ReportError as exc:
        show_refusal(form, exc)
        return form, None
    return form, reports.build_report(period, report_periods.scope_for(user, form.province_id))


def _charts(report: report_figures.Report) -> dict[str, Markup]:
    charts = {
        name: svg_charts.bar_chart(
            f"bieu-do-{name}", breakdown.title, [(r.label, r.value) for r in breakdown.rows]
        )
        for name, breakdown in (
            ("tinh", report.by_province),
            ("nhom", report.by_group),
            ("sao", report.by_stars),
            ("loai-hinh", report.producers_by_type),
            ("trang-thai-co-so", report.producers_by_status),
            ("chung-nhan", report.certificates),
            ("phan-anh-trang-thai", report.complaints_by_status),
            ("phan-anh-loai", report.complaints_by_kind),
        )
    }
    for name, timeline in (("dang-ky", report.registrations), ("duyet", report.approvals)):
        charts[name] = svg_charts.column_chart(
            f"bieu-do-{name}", timeline.title, timeline.months, timeline.series[:2]
        )
    charts["chuong-trinh"] = svg_charts.bar_chart(
        "bieu-do-chuong-trinh",
        "Số sản phẩm trong các chương trình",
        [(c.title, c.products) for c in report.campaigns],
    )
    return charts


def _export_url(args: dict[str, Any]) -> str:
    return url_for("official.report_export", **args)


def _filter_args() -> dict[str, str]:
    return {k: v for k in FILTER_PARAMS if (v := request.args.get(k, "")) and len(v) <= 20}


@bp.get("/bao-cao", endpoint="reports")
@official_required
def reports_page() -> ResponseReturnValue:
    form, report = _parse(current_user)
    context: dict[str, Any] = {"form": form, "report": report, "csv_labels": CSV_LABELS}
    if report is None:
        return render_template("official/reports.html", **context), 422
    args = _filter_args()
    context["charts"] = _charts(report)
    context["xlsx_url"] = _export_url({**args, "dinh-dang": "xlsx"})
    context["csv_urls"] = {
        key: _export_url({**args, "dinh-dang": "csv", "bang": key}) for key in CSV_LABELS
    }
    return render_template("official/reports.html", **context)


@bp.get("/bao-cao/xuat", endpoint="report_export")
@official_required
def report_export() -> ResponseReturnValue:
    kind = request.args.get("dinh-dang", "xlsx")
    table = request.args.get("bang", "tong-hop")
    if kind not in FORMATS or table not in report_exports.CSV_TABLES:
        abort(400)
    _, report = _parse(current_user)
    if report is None:
        abort(400)
    if kind == "xlsx":
        body = report_exports.to_xlsx(report)
        name = report_exports.file_name(report, "xlsx")
    else:
        body = report_exports.to_csv(report, table)
        name = report_exports.file_name(report, "csv", table)
    response = Response(body, content_type=FORMATS[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
