"""Consumers' complaints ("phản ánh"): the form (folded on every product and producer page, a
full page of its own for errors and for people without the page open) and the private
tracking page.

No captcha: a honeypot field that people never see (a filled one gets the usual thank-you
page, and nothing is stored) and a per-IP rate limit (CHOVIET_COMPLAINT_RATE). Submissions
rejected by validation (422) do not count against the limit, so a typo costs nothing.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from wtforms import EmailField, RadioField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from catalog.catalogue import browse
from catalog.complaints import complaints
from catalog.extensions import db, limiter
from catalog.models import COMPLAINT_KINDS, COMPLAINT_STATES, Producer
from catalog.web.blueprints import public as bp
from catalog.web.error_pages import render_error
from catalog.web.forms_common import (
    Form,
    email,
    max_len,
    multiline_filter,
    optional,
    phone,
    strip_filter,
)
from catalog.web.i18n import current_locale
from catalog.web.private_pages import private_token_page
from catalog.web.templating import LOCAL_TZ

ENDPOINTS = ("public.complaint_product", "public.complaint_producer")


class ComplaintForm(Form):
    kind = RadioField(
        lazy_gettext("Vấn đề bạn gặp"),
        id="phan-anh-loai",
        # The kinds' labels are stored Vietnamese; their msgids come from babel.cfg.
        choices=[SelectChoice(key, lazy_gettext(label)) for key, label in COMPLAINT_KINDS.items()],
        validators=[InputRequired(message=lazy_gettext("Vui lòng chọn loại vấn đề."))],
    )
    message = TextAreaField(
        lazy_gettext("Nội dung phản ánh"),
        id="phan-anh-noi-dung",
        filters=[multiline_filter],
        validators=[
            InputRequired(message=lazy_gettext("Vui lòng mô tả vấn đề bạn gặp.")),
            Length(
                min=complaints.MESSAGE_MIN,
                max=complaints.MESSAGE_MAX,
                message=lazy_gettext(
                    "Cần từ %(low)s đến %(high)s ký tự.",
                    low=complaints.MESSAGE_MIN,
                    high=complaints.MESSAGE_MAX,
                ),
            ),
        ],
    )
    name = StringField(
        lazy_gettext("Họ và tên"),
        id="phan-anh-ho-ten",
        filters=[strip_filter],
        validators=[optional(), max_len(complaints.NAME_MAX)],
    )
    email = EmailField(
        "E-mail",
        id="phan-anh-email",
        filters=[strip_filter],
        validators=[optional(), max_len(complaints.EMAIL_MAX), email()],
    )
    phone = TelField(
        lazy_gettext("Số điện thoại"),
        id="phan-anh-dien-thoai",
        filters=[strip_filter],
        validators=[optional(), phone],
    )
    # The honeypot: hidden from people (and screen readers); bots fill every field.
    website = StringField(
        lazy_gettext("Trang web của bạn (để trống ô này)"), id="phan-anh-trang-web"
    )

    def report(self) -> complaints.Report:
        return complaints.Report(
            kind=self.kind.data or "",
            message=self.message.data or "",
            name=self.name.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            locale=current_locale(),
        )


@bp.app_context_processor
def _complaint_globals() -> dict[str, Any]:
    """`new_complaint_form()` for the form folded into product and producer pages."""
    return {"new_complaint_form": lambda: ComplaintForm(formdata=None)}


@bp.app_template_filter("complaint_time")
def complaint_time(value: Any) -> str:
    """23/11/2026 14:05, Vietnam time (the timeline needs the hour, not only the day)."""
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M") if value else ""


def _rate() -> str:
    return current_app.config["COMPLAINT_RATE"]


def _counted(response: Any) -> bool:
    return response.status_code != 422


def _form_page(form: ComplaintForm, subject: dict[str, Any], file: Any, entry_id: int):  # type: ignore[no-untyped-def]
    """GET: the form. POST: honeypot, validation (422 with values kept), then file."""
    status = 200
    if request.method == "POST":
        if request.form.get("website"):
            fake = secrets.token_urlsafe(complaints.TOKEN_BYTES)
            return _sent(subject, fake)
        status = 422
        if form.validate_on_submit():
            try:
                filed = file(entry_id, form.report())
            except complaints.ComplaintError as exc:
                target = getattr(form, exc.field or "", None) or form.message
                target.errors = [*target.errors, str(exc)]
            else:
                return _sent(subject, filed.token)
    html = render_template("public/complaint_form.html", complaint_form=form, **subject)
    return private_token_page(current_app.make_response((html, status)))


def _sent(subject: dict[str, Any], token: str):  # type: ignore[no-untyped-def]
    html = render_template("public/complaint_sent.html", token=token, **subject)
    return private_token_page(current_app.make_response(html))


@bp.route("/phan-anh/san-pham/<int:product_id>", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"], deduct_when=_counted)
def complaint_product(product_id: int) -> ResponseReturnValue:
    product = browse.get_public_product_by_id(product_id)
    if product is None:
        abort(404)
    subject = {"product": product, "producer": None}
    return _form_page(ComplaintForm(), subject, complaints.file_about_product, product_id)


@bp.route("/phan-anh/co-so/<int:producer_id>", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"], deduct_when=_counted)
def complaint_producer(producer_id: int) -> ResponseReturnValue:
    producer = db.session.get(Producer, producer_id)
    if producer is None or not producer.is_public:
        abort(404)
    subject = {"product": None, "producer": producer}
    return _form_page(ComplaintForm(), subject, complaints.file_about_producer, producer_id)


@bp.get("/phan-anh/theo-doi/<token>")
def complaint_status(token: str) -> ResponseReturnValue:
    complaint = complaints.find_by_token(token)
    if complaint is None:
        return private_token_page(current_app.make_response(render_error(404)))
    html = render_template(
        "public/complaint_status.html", complaint=complaint, states=COMPLAINT_STATES
    )
    return private_token_page(current_app.make_response(html))


@bp.errorhandler(429)
def too_many_page(exc: Any) -> ResponseReturnValue:
    """The complaint forms' own words; any other public page keeps the generic page."""
    if request.endpoint not in ENDPOINTS:
        return render_error(429)
    limit = getattr(exc, "limit", None)
    seconds = limit.limit.get_expiry() if limit is not None else 3600
    if seconds >= 3600:
        wait = _("%(n)s giờ", n=seconds // 3600)
    else:
        wait = _("%(n)s phút", n=max(1, seconds // 60))
    html = render_template(
        "errors/error.html",
        code=429,
        title=_("Bạn đã gửi nhiều phản ánh"),
        message=_(
            "Để chống thư rác, mỗi địa chỉ mạng chỉ gửi được một số phản ánh trong một "
            "khoảng thời gian. Vui lòng đợi khoảng %(wait)s rồi thử lại. "
            "Cảm ơn bạn đã thông cảm.",
            wait=wait,
        ),
    )
    return private_token_page(current_app.make_response((html, 429)))
