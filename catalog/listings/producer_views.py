"""The producer's home: dashboard, business profile, ward list, claims of a listed producer.

Views stay thin: parse the form, call one service, render. Only signed-in producer accounts
linked to a business get in; everything they see is their own.
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.routing import BuildError

from catalog.errors import EditConflict
from catalog.listings import listing_status, listing_values, profiles
from catalog.listings.forms import ClaimForm, ProfileForm
from catalog.models import Producer
from catalog.platform import geo
from catalog.platform.images import ImageRejected
from catalog.web.blueprints import producer as bp
from catalog.web.edit_conflicts import guard, show_conflict, stamp
from catalog.web.fields import int_or_none, options
from catalog.web.forms_errors import add_error, form_page, show_refusal_or_flash
from catalog.web.producer_access import producer_required

PROVINCE_BUTTON = "chon-tinh"


@bp.after_request
def _private(response: Response) -> Response:
    # A producer's pages may be opened on a shared computer: never cache them.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to a page another part of the site may not offer (yet)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@bp.get("/")
@producer_required
def dashboard() -> ResponseReturnValue:
    producer = profiles.own_producer(current_user)
    products = listing_values.own_products(current_user)
    return render_template(
        "producer/dashboard.html",
        producer=producer,
        rows=listing_status.overview(products),
        checklist=profiles.checklist(current_user, producer, products),
        claims=profiles.my_claims(current_user),
        status_label=profiles.STATUS_LABELS.get(producer.status, producer.status),
        resend_url=optional_url("account.resend_verification"),
    )


def _province_choices(form: ProfileForm, province_id: int | None) -> None:
    form.province_id.choices = options(
        ((p.id, p.name) for p in geo.all_provinces()), "— Chọn tỉnh, thành phố —"
    )
    form.ward_code.choices = options(profiles.ward_choices(province_id), "— Chọn phường, xã —")


@bp.route("/ho-so", methods=["GET", "POST"])
@producer_required
def profile() -> ResponseReturnValue:
    producer = profiles.own_producer(current_user)
    form = stamp(ProfileForm(obj=producer), producer) if request.method == "GET" else ProfileForm()
    province_id = form.province_id.data if request.method == "POST" else producer.province_id
    _province_choices(form, province_id)
    taken: profiles.TaxCodeTaken | None = None
    if request.method == "POST" and _choosing_province(province_id):
        # No-JS path: show the chosen province's wards, keep everything typed so far.
        if profiles.ward_name(province_id, form.ward_code.data) is None:
            form.ward_code.data = None
        return render_template(
            "producer/profile.html",
            form=form,
            producer=producer,
            province_name=next(
                (c.label for c in form.province_id.choices if c.value == str(province_id)), None
            ),
            province_chosen=True,
        )
    if form.validate_on_submit():
        logo = form.logo.data if form.logo.data and form.logo.data.filename else None
        try:
            with guard(form, producer):
                profiles.update_profile(
                    current_user, form.values(), logo=logo.stream if logo is not None else None
                )
        except EditConflict:
            show_conflict(form, producer, current=lambda: _current_profile(producer))
        except profiles.TaxCodeTaken as exc:
            taken = exc
            add_error(form.tax_code, "Mã số thuế này đã có trong danh mục.")
        except ImageRejected as exc:
            add_error(form.logo, str(exc))
        except profiles.ProfileError as exc:
            show_refusal_or_flash(form, exc)
        else:
            flash("Đã lưu hồ sơ cơ sở.", "success")
            return redirect(url_for(".dashboard"))
    return form_page(
        "producer/profile.html",
        form,
        producer=producer,
        taken=taken,
        missing=profiles.missing_fields(producer),
    )


def _current_profile(producer: Producer) -> ProfileForm:
    """The profile form as the producer's record holds it now (to compare with a stale one)."""
    form = ProfileForm(formdata=None, obj=producer)
    _province_choices(form, producer.province_id)
    return form


def _choosing_province(province_id: int | None) -> bool:
    """The "Chọn tỉnh" button, pressed after changing the province. Pressing Enter in a
    field also "presses" it (the first button of the form): with the province unchanged
    that is a save."""
    if request.form.get("action") != PROVINCE_BUTTON:
        return False
    return province_id is not None and int_or_none(request.form.get("wards_for")) != province_id


@bp.get("/phuong-xa")
@producer_required
def wards() -> ResponseReturnValue:
    """The wards of a province, for the profile form's script."""
    choices = profiles.ward_choices(int_or_none(request.args.get("tinh")))
    payload = {"wards": [{"code": code, "name": name} for code, name in choices]}
    return jsonify(payload), (200 if choices else 404)


@bp.route("/ho-so/nhan-quan-ly", methods=["GET", "POST"])
@producer_required
def claim() -> ResponseReturnValue:
    form = ClaimForm()
    if request.method == "GET":
        form.tax_code.data = (request.args.get("mst") or "")[:20]
    elif form.validate_on_submit():
        try:
            profiles.claim(current_user, form.tax_code.data, form.message.data)
        except profiles.ProfileError as exc:
            show_refusal_or_flash(form, exc, fallback="message")
        else:
            flash("Đã gửi yêu cầu. Cán bộ phụ trách sẽ xác minh và trả lời qua e-mail.", "success")
            return redirect(url_for(".dashboard"))
    return form_page(
        "producer/claim.html", form, claimed=profiles.claim_preview(form.tax_code.data)
    )
