"""Printable QR labels: the producer picks published products, a size and a number of copies,
and downloads an A4 sheet (SVG, one page) or a PDF (as many A4 pages as needed).

A GET form: making a sheet changes nothing, so it needs no CSRF token, and a sheet can be
bookmarked for the next print run. Bad values come back to the form with a 422.
"""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import IntegerField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import TextInput

from catalog.labels import qr_labels, qr_labels_pdf
from catalog.listings import profiles
from catalog.platform.links import public_base_url
from catalog.web.blueprints import producer as bp
from catalog.web.forms_common import Form
from catalog.web.producer_access import producer_required

FORMATS = {"pdf": "PDF (in nhiều trang)", "svg": "SVG (một tờ A4)"}
MIMETYPES = {"pdf": "application/pdf", "svg": "image/svg+xml"}


class LabelForm(Form):
    class Meta:
        csrf = False

    # Ownership is the service's rule (a clear message instead of "not a valid choice").
    san_pham = SelectMultipleField("Sản phẩm", coerce=int, validate_choice=False)
    co = RadioField(
        "Cỡ tem",
        choices=[
            SelectChoice(s.key, f"{s.label}: rộng {s.width_mm:g} mm, {s.per_page} tem mỗi tờ A4")
            for s in qr_labels.SIZES.values()
        ],
        validators=[InputRequired(message="Vui lòng chọn cỡ tem.")],
        default="vua",
    )
    so_ban = IntegerField(
        "Số tem cho mỗi sản phẩm",
        validators=[
            InputRequired(message="Vui lòng nhập số tem."),
            NumberRange(1, qr_labels.MAX_COPIES, message="Số tem cần từ 1 đến %(max)s."),
        ],
        default=1,
        # A text box: type=number would echo "abc" back as an invalid value attribute.
        widget=TextInput(),
    )
    dinh_dang = RadioField(
        "Định dạng tệp",
        choices=[SelectChoice(k, v) for k, v in FORMATS.items()],
        validators=[InputRequired(message="Vui lòng chọn định dạng tệp.")],
        default="pdf",
    )


def _page(form: LabelForm, products: list[Any], status: int = 200) -> tuple[str, int]:
    producer = profiles.own_producer(current_user)
    chosen = set(form.san_pham.data or [])
    return render_template(
        "producer/labels.html",
        form=form,
        producer=producer,
        products=products,
        chosen=chosen,
        sizes=qr_labels.SIZES.values(),
    ), status


@bp.get("/tem-nhan")
@producer_required
def labels() -> ResponseReturnValue:
    return _page(LabelForm(formdata=None), qr_labels.printable_products(current_user.producer_id))


@bp.get("/tem-nhan/tai-ve")
@producer_required
def labels_download() -> ResponseReturnValue:
    form = LabelForm(formdata=request.args)
    products = qr_labels.printable_products(current_user.producer_id)
    if not form.validate():
        return _page(form, products, 422)
    producer = profiles.own_producer(current_user)
    fmt = form.dinh_dang.data
    try:
        labels = qr_labels.build_labels(
            producer,
            form.san_pham.data or [],
            form.co.data,
            form.so_ban.data,
            public_base_url(),
            one_page=fmt == "svg",
        )
    except qr_labels.LabelError as exc:
        field = getattr(form, exc.field or "san_pham")
        field.errors = [*field.errors, str(exc)]
        return _page(form, products, 422)
    size = qr_labels.SIZES[form.co.data]
    title = f"Tem nhãn QR — {producer.name}"
    if fmt == "svg":
        body: str | bytes = qr_labels.sheet_svg(labels, size, title)
    else:
        body = qr_labels_pdf.sheet_pdf(labels, size, title)
    response = Response(body, mimetype=MIMETYPES[fmt])
    filename = f"tem-nhan-{producer.slug}-{size.key}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
