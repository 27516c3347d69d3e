"""Friendly error pages (HTML) and JSON errors for the API, registered once for the whole
app: HTTP errors, domain errors no view handled (catalog.errors), storage refusals and the
unexpected."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from catalog.errors import DomainError
from catalog.extensions import db
from catalog.storage import StorageError, refused_status
from catalog.web.params import ParamError

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Yêu cầu không hợp lệ", "Dữ liệu gửi lên không đúng. Vui lòng kiểm tra và thử lại."),
    403: ("Không có quyền truy cập", "Bạn không có quyền xem trang này."),
    404: (
        "Không tìm thấy trang",
        "Trang bạn tìm không tồn tại hoặc đã được gỡ xuống. Hãy thử tìm kiếm sản phẩm "
        "hoặc quay về trang chủ.",
    ),
    405: ("Phương thức không được hỗ trợ", "Không thể thực hiện thao tác này trên trang này."),
    409: ("Dữ liệu vừa thay đổi", "Mục này vừa được thay đổi. Vui lòng tải lại trang và thử lại."),
    413: ("Tệp quá lớn", "Dữ liệu gửi lên vượt quá giới hạn cho phép."),
    429: ("Quá nhiều yêu cầu", "Bạn đã thao tác quá nhanh. Vui lòng đợi một lát rồi thử lại."),
    500: ("Đã có lỗi xảy ra", "Hệ thống gặp sự cố. Chúng tôi đã ghi nhận; vui lòng thử lại sau."),
    503: (
        "Tạm thời chưa lưu được tệp",
        "Hệ thống lưu tệp đang tạm thời gặp sự cố nên thay đổi của bạn chưa được lưu. "
        "Vui lòng quay lại trang trước và thử lại sau ít phút.",
    ),
    507: (
        "Máy chủ hết chỗ lưu tệp",
        "Máy chủ tạm thời hết chỗ lưu tệp nên thay đổi của bạn chưa được lưu. Vui lòng quay "
        "lại trang trước và thử lại sau, hoặc báo cho quản trị viên nếu lỗi còn lặp lại.",
    ),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(
    code: int, detail: str | None = None, *, show_detail: bool = False
) -> ResponseReturnValue:
    """The error page, or JSON under /api/ (with `detail` when given); `show_detail` puts
    the detail on the page too, in place of the standard sentence."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    if wants_json():
        return jsonify({"error": {"code": code, "message": detail or message}}), code
    if show_detail and detail:
        message = detail
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> ResponseReturnValue:
        if exc.code is None or exc.code < 400:
            return exc
        detail = exc.description if wants_json() and exc.code == 400 else None
        return render_error(exc.code, detail)

    @app.errorhandler(ParamError)
    def _bad_parameter(exc: ParamError) -> ResponseReturnValue:
        """A query parameter that names nothing (a province that does not exist, stars 9)
        or, in the API, a wrong page: 400 saying which, on a page as in JSON."""
        return render_error(400, exc.message, show_detail=True)

    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError) -> ResponseReturnValue:
        """A service refused and no view showed the refusal beside a form: the status the
        error names (404, 403, 400, 409), the standard page, nothing half-written."""
        db.session.rollback()
        return render_error(exc.status, exc.message)

    @app.errorhandler(StaleDataError)
    def _stale_write(exc: StaleDataError) -> ResponseReturnValue:
        """A write that raced another on a versioned record (version_id_col) and that no
        edit form caught (catalog.web.edit_conflicts): 409, nothing overwritten."""
        log.info("stale write refused on %s: %s", request.path, exc)
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(StorageError)
    def _storage_refused(exc: StorageError) -> ResponseReturnValue:
        """A full or unreachable upload storage that no form reported: a polite page, and
        nothing half-done in the database."""
        log.error("upload storage refused on %s: %s", request.path, exc.detail or exc)
        db.session.rollback()
        return render_error(exc.status)

    @app.after_request
    def _storage_status(response: Response) -> Response:
        """A form shown again because the storage refused its file (storage.refusal_message)
        answers 507/503, not the 422 of a typing mistake."""
        status = refused_status()
        if status is not None and response.status_code == 422:
            response.status_code = status
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> ResponseReturnValue:
        log.exception("unhandled error on %s", request.path)
        db.session.rollback()
        return render_error(InternalServerError.code)
