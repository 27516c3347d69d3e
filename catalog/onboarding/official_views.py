"""Assisted onboarding: register a producer on its behalf, add its products, hand it over.

Thin views over services/onboarding.py. The handover token exists only in the response
that issues it: for printing it is kept in the official's session until the printable page
is shown, never in the database.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from catalog.extensions import db
from catalog.imports.forms import HandoverForm, OnboardProducerForm, OnboardProductForm
from catalog.listings import profiles
from catalog.listings.listing_uploads import upload_of
from catalog.models import Producer, ProducerHandover, Province
from catalog.onboarding import onboarding
from catalog.platform import geo
from catalog.platform.clock import utcnow
from catalog.web.blueprints import official as bp
from catalog.web.fields import int_or_none, options
from catalog.web.forms_common import Form
from catalog.web.forms_errors import form_page, show_refusal
from catalog.web.official_access import official_required

PROVINCE_BUTTON = "chon-tinh"
PRINT_KEY = "handover_print"


def _provinces() -> list[Province]:
    return [p for p in geo.all_provinces() if current_user.covers(p.id)]


def _producer(producer_id: int) -> Producer:
    producer = onboarding.producer_for(current_user, producer_id)
    if producer is None:
        abort(404)
    return producer


@bp.route("/dang-ky-ho", methods=["GET", "POST"])
@official_required
def onboard_producer() -> ResponseReturnValue:
    provinces = _provinces()
    form = OnboardProducerForm()
    if request.method == "GET" and len(provinces) == 1:
        form.province_id.data = provinces[0].id
    province_id = form.province_id.data
    form.province_id.choices = options(
        ((p.id, p.name) for p in provinces), "— Chọn tỉnh, thành phố —"
    )
    form.ward_code.choices = options(profiles.ward_choices(province_id), "— Chọn phường, xã —")
    chosen = (
        request.method == "POST"
        and request.form.get("action") == PROVINCE_BUTTON
        and province_id is not None
        and int_or_none(request.form.get("wards_for")) != province_id
    )
    if chosen:
        form.ward_code.data = None
        return render_template("official/onboard_producer.html", form=form, chosen=True)
    if form.validate_on_submit():
        try:
            producer = onboarding.register_producer(current_user, form.values())
        except onboarding.OnboardingError as exc:
            show_refusal(form, exc)
        else:
            flash(f"Đã đăng ký {producer.name}. Tiếp theo: thêm sản phẩm của cơ sở.", "success")
            return redirect(url_for("official.onboard_products", producer_id=producer.id))
    return form_page("official/onboard_producer.html", form, chosen=False)


@bp.route("/dang-ky-ho/<int:producer_id>/san-pham", methods=["GET", "POST"])
@official_required
def onboard_products(producer_id: int) -> ResponseReturnValue:
    producer = _producer(producer_id)
    managed = onboarding.has_accounts(producer)
    form = OnboardProductForm().set_categories(geo.all_categories())
    if not managed and form.validate_on_submit():
        upload = upload_of(form.photo.data)
        try:
            product = onboarding.add_product(current_user, producer, form.values(), upload)
        except onboarding.OnboardingError as exc:
            show_refusal(form, exc)
        else:
            flash(f"Đã thêm sản phẩm {product.name}.", "success")
            return redirect(url_for("official.onboard_products", producer_id=producer.id))
    products = onboarding.products_of(producer)
    return _page("official/onboard_products.html", form, producer, managed, products=products)


def _page(
    template: str, form: Form, producer: Producer, managed: bool, **context: Any
) -> ResponseReturnValue:
    """One step of a producer's onboarding; 422 when its form was refused."""
    return form_page(template, form, producer=producer, managed=managed, **context)


@bp.route("/dang-ky-ho/<int:producer_id>/ban-giao", methods=["GET", "POST"])
@official_required
def onboard_handover(producer_id: int) -> ResponseReturnValue:
    producer = _producer(producer_id)
    managed = onboarding.has_accounts(producer)
    form = HandoverForm(email=producer.email) if request.method == "GET" else HandoverForm()
    if not managed and form.validate_on_submit():
        printing = request.form.get("action") == "in"
        if not printing and not form.email.data:
            form.email.errors = ["Vui lòng nhập e-mail, hoặc chọn “Tạo liên kết để in”."]
        else:
            try:
                issued = onboarding.issue_handover(
                    current_user, producer, None if printing else form.email.data
                )
            except onboarding.OnboardingError as exc:
                show_refusal(form, exc)
            else:
                if printing:
                    session[PRINT_KEY] = {"handover": issued.handover.id, "url": issued.url}
                    return redirect(url_for("official.onboard_print", producer_id=producer.id))
                flash(f"Đã gửi liên kết nhận quản lý đến {issued.handover.email}.", "success")
                return redirect(url_for("official.onboard_handover", producer_id=producer.id))
    return _page(
        "official/onboard_handover.html",
        form,
        producer,
        managed,
        links=_links(producer.id),
        now=utcnow(),
        days=onboarding.HANDOVER_DAYS,
    )


def _links(producer_id: int) -> list[ProducerHandover]:
    stmt = (
        db.select(ProducerHandover)
        .where(ProducerHandover.producer_id == producer_id)
        .order_by(ProducerHandover.id.desc())
        .limit(10)
    )
    return list(db.session.scalars(stmt))


@bp.get("/dang-ky-ho/<int:producer_id>/in")
@official_required
def onboard_print(producer_id: int) -> ResponseReturnValue:
    producer = _producer(producer_id)
    kept = session.get(PRINT_KEY) or {}
    handover = db.session.get(ProducerHandover, int(kept.get("handover") or 0))
    usable = (
        handover is not None
        and handover.producer_id == producer.id
        and handover.used_at is None
        and handover.expires_at > utcnow()
    )
    if not usable:
        return render_template("official/onboard_print.html", producer=producer, url=None), 410
    return render_template(
        "official/onboard_print.html",
        producer=producer,
        url=kept["url"],
        qr=_qr_svg(kept["url"]),
        handover=handover,
    )


def _qr_svg(url: str) -> Markup:
    """The link as a QR code, inline SVG (no external image, prints sharply)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=4, xmldecl=False, svgns=True, title=None, svgclass="handover-qr"
    )
    svg = out.getvalue().decode("utf-8")
    svg = svg.replace("<svg ", '<svg role="img" aria-label="Mã QR của liên kết" ', 1)
    return Markup(svg)  # noqa: S704  (generated by segno from our own URL)
