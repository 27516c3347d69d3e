"""Officials' web import: upload a list, read the dry-run preview, confirm or discard.

Thin views: the rules (file checks, scope, confirm once, audit) live in
services/web_imports.py; a refused upload is shown next to the file field (422).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.imports import web_imports
from catalog.imports.forms import ButtonForm, ImportUploadForm
from catalog.models import ImportBatch, User
from catalog.web.blueprints import official as bp
from catalog.web.official_access import official_required

ACTION_LABELS = {"created": "Tạo mới", "updated": "Cập nhật", "unchanged": "Không đổi"}
STATUS_LABELS = {
    "previewed": ("Chờ xác nhận", "warning"),
    "confirmed": ("Đã nhập", "ok"),
    "discarded": ("Đã hủy", "same"),
}
COLUMN_LABELS = {
    "*": "Cả dòng",
    "product_name": "product_name (tên sản phẩm)",
    "producer_name": "producer_name (tên cơ sở)",
    "province": "province (tỉnh, thành phố)",
}


def _page(form: ImportUploadForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "official/imports.html",
        form=form,
        batches=web_imports.history(current_user),
        status_labels=STATUS_LABELS,
        max_rows=web_imports.MAX_ROWS,
    ), status


@bp.get("/nhap-danh-sach")
@official_required
def imports() -> ResponseReturnValue:
    return _page(ImportUploadForm())


@bp.post("/nhap-danh-sach")
@official_required
def import_upload() -> ResponseReturnValue:
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors = ["Vui lòng chọn tệp danh sách (.csv hoặc .xlsx)."]
        else:
            try:
                batch = web_imports.upload(current_user, upload.stream, upload.filename)
            except web_imports.UploadRejected as exc:
                form.file.errors = [str(exc)]
            else:
                return redirect(url_for("official.import_preview", batch_id=batch.id))
    return _page(form, 422)


@bp.get("/nhap-danh-sach/mau.csv")
@official_required
def import_template_csv() -> ResponseReturnValue:
    return _download(web_imports.template_csv(), "mau-danh-sach-ocop.csv", "text/csv")


@bp.get("/nhap-danh-sach/mau.xlsx")
@official_required
def import_template_xlsx() -> ResponseReturnValue:
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(web_imports.template_xlsx(), "mau-danh-sach-ocop.xlsx", mimetype)


def _download(data: bytes, name: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _batch(batch_id: int) -> ImportBatch:
    return web_imports.get_batch(current_user, batch_id)


@bp.get("/nhap-danh-sach/<int:batch_id>")
@official_required
def import_preview(batch_id: int) -> ResponseReturnValue:
    batch = _batch(batch_id)
    return _preview(batch, ButtonForm())


def _preview(batch: ImportBatch, form: ButtonForm, status: int = 200) -> ResponseReturnValue:
    summary = batch.result if batch.status == "confirmed" and batch.result else batch.preview
    return render_template(
        "official/import_preview.html",
        batch=batch,
        summary=summary or {},
        form=form,
        may_confirm=web_imports.may_confirm(current_user, batch),
        action_labels=ACTION_LABELS,
        status_labels=STATUS_LABELS,
        column_labels=COLUMN_LABELS,
        listed_limit=web_imports.MAX_LISTED,
    ), status


def _act(
    batch_id: int, action: Callable[[User, int], ImportBatch], done: str
) -> ResponseReturnValue:
    batch = _batch(batch_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(current_user, batch_id)
    except web_imports.BatchError as exc:
        form.form_errors.append(str(exc))
        return _preview(batch, form, 409)
    flash(done, "success")
    return redirect(url_for("official.import_preview", batch_id=batch_id))


@bp.post("/nhap-danh-sach/<int:batch_id>/xac-nhan")
@official_required
def import_confirm(batch_id: int) -> ResponseReturnValue:
    return _act(batch_id, web_imports.confirm, "Đã nhập danh sách vào danh mục.")


@bp.post("/nhap-danh-sach/<int:batch_id>/huy")
@official_required
def import_discard(batch_id: int) -> ResponseReturnValue:
    return _act(batch_id, web_imports.discard, "Đã hủy danh sách; không có gì được nhập.")
