"""Consumers' complaints ("phản ánh"): the form (folded on every product and producer page, a
full page of its own for errors and for people without the page open) and the private
tracking page.

No captcha: a honeypot field that people never see (a filled one gets the usual thank-you
page, and nothing is stored) and a per-IP rate limit (CHOVIET_COMPLAINT_RATE). Submissions
rejected by validation (422) do not count against the limit, so a typo costs nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from wtforms import EmailField, StringField, TelField
from wtforms.validators import InputRequired, Length

from catalog.catalogue import browse
from catalog.complaints import complaints
from catalog.extensions import db, limiter
from catalog.models import COMPLAINT_KINDS, COMPLAINT_STATES, Producer
from catalog.web import too_many
from catalog.web.blueprints import public as bp
from catalog.web.error_pages import render_error
from catalog.web.fields import radio_choice
from catalog.web.forms_common import Form, email_field, paragraph_field, phone_field, text_field
from catalog.web.forms_errors import show_refusal
from catalog.web.i18n import current_locale
from catalog.web.private_pages import private_token_page
from catalog.web.templating import LOCAL_TZ

ENDPOINTS = ("public.complaint_product", "public.complaint_producer")


class ComplaintForm(Form):
    kind = radio_choice(
        lazy_gettext("Vấn đề bạn gặp"),
        # The kinds' labels are stored Vietnamese; their msgids come from babel.cfg.
        ((key, lazy_gettext(label)) for key, label in COMPLAINT_KINDS.items()),
        lazy_gettext("Vui lòng chọn loại vấn đề."),
        id="phan-anh-loai",
    )
    message = paragraph_field(
        lazy_gettext("Nội dung phản ánh"),
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
        id="phan-anh-noi-dung",
    )
    name = text_field(
        lazy_gettext("Họ và tên"),
        optional=True,
        max_length=complaints.NAME_MAX,
        id="phan-anh-ho-ten",
    )
    email = email_field("E-mail", complaints.EMAIL_MAX, kind=EmailField, id="phan-anh-email")
    phone = phone_field(lazy_gettext("Số điện thoại"), kind=TelField, id="phan-anh-dien-thoai")
    # The honeypot: hidden from people (and screen readers); bots fill every field.
    website = StringField(
        lazy_gettext("Trang web của bạn (để trống ô này)"), id="phan-anh-trang-web"
    )

    def report(self) -> complaints.Report:
        texts = self.texts("kind", "message", "name", "email", "phone")
        return complaints.Report(**texts, locale=current_locale())


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


def _form_page(
    form: ComplaintForm,
    subject: dict[str, Any],
    file: Callable[[int, complaints.Report], complaints.Filed],
    entry_id: int,
) -> ResponseReturnValue:
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
                show_refusal(form, exc, fallback=form.message)
            else:
                return _sent(subject, filed.token)
    html = render_template("public/complaint_form.html", complaint_form=form, **subject)
    return private_token_page(current_app.make_response((html, status)))


def _sent(subject: dict[str, Any], token: str) -> ResponseReturnValue:
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


def _too_many_words(wait: str) -> tuple[str, str]:
    """The complaint forms' own words on their 429 page."""
    return _("Bạn đã gửi nhiều phản ánh"), _(
        "Để chống thư rác, mỗi địa chỉ mạng chỉ gửi được một số phản ánh trong một "
        "khoảng thời gian. Vui lòng đợi khoảng %(wait)s rồi thử lại. "
        "Cảm ơn bạn đã thông cảm.",
        wait=wait,
    )


too_many.explain(ENDPOINTS, _too_many_words)
