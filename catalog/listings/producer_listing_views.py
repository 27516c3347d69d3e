"""The producer's product listings: create, edit, photos, submit, delete, hide."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.errors import EditConflict
from catalog.listings import listing_status, listing_values, listings
from catalog.listings.forms import ListingForm
from catalog.listings.listing_uploads import Upload, upload_of
from catalog.listings.listing_values import ListingError
from catalog.models import Product, User
from catalog.models.seasons import mask_to_months
from catalog.models.statuses import ProductStatus, ReviewState
from catalog.platform import geo
from catalog.web.blueprints import producer as bp
from catalog.web.edit_conflicts import guard, show_conflict, stamp
from catalog.web.fields import options
from catalog.web.forms_errors import form_page, show_refusal, show_refusal_or_flash
from catalog.web.producer_access import producer_required

PHOTO_ACTIONS = {"len": -1, "xuong": 1}


def _own(product_id: int) -> Product:
    """The signed-in producer's own listing; anybody else's is simply not there (404)."""
    product = listing_values.own_product(current_user, product_id)
    if product is None:
        abort(404)
    return product


def _choices(form: ListingForm) -> None:
    form.category_id.choices = options(
        ((c.id, c.name) for c in geo.all_categories()), "— Chọn nhóm sản phẩm —"
    )
    form.province_id.choices = options(
        ((p.id, p.name) for p in geo.all_provinces()), "— Chọn tỉnh, thành phố —"
    )


def _uploads(files: Any) -> list[Upload]:
    files = files if isinstance(files, list) else [files]
    return [upload for upload in map(upload_of, files) if upload is not None]


def _scan(form: ListingForm) -> Upload | None:
    uploads = _uploads(form.certificate_scan.data)
    return uploads[0] if uploads else None


def _form_for(product: Product) -> ListingForm:
    values = listing_values.working_copy(product)
    expires = values.get("certificate_expires_on")
    if isinstance(expires, str):
        values["certificate_expires_on"] = date.fromisoformat(expires)
    values["harvest_months"] = list(mask_to_months(values.get("harvest_months")))
    form = ListingForm(formdata=None, data=values)
    _choices(form)
    return stamp(form, product)


@bp.route("/san-pham/moi", methods=["GET", "POST"])
@producer_required
def listing_new() -> ResponseReturnValue:
    form = ListingForm()
    _choices(form)
    if request.method == "GET":
        form.province_id.data = current_user.producer.province_id
    if form.validate_on_submit():
        notes: list[str] = []  # photos left out of the batch, and why
        try:
            product = listings.create_draft(
                current_user,
                form.values(),
                photos=_uploads(form.photos.data),
                scan=_scan(form),
                notes=notes,
            )
        except ListingError as exc:  # beside its field, or above the form (a quota): 422
            show_refusal(form, exc)
        else:
            flash("Đã lưu bản nháp. Kiểm tra ảnh rồi bấm “Gửi duyệt” khi đã sẵn sàng.", "success")
            for note in notes:
                flash(note, "warning")
            return redirect(url_for(".listing_edit", product_id=product.id))
    return form_page("producer/listing_form.html", form, product=None)


@bp.route("/san-pham/<int:product_id>", methods=["GET", "POST"])
@producer_required
def listing_edit(product_id: int) -> ResponseReturnValue:
    product = _own(product_id)
    if request.method == "GET":
        return _render_edit(product, _form_for(product))
    form = ListingForm()
    _choices(form)
    if form.validate_on_submit():
        notes: list[str] = []  # photos left out of the batch, and why
        try:
            with guard(form, product):
                listings.update(
                    current_user,
                    product,
                    form.values(),
                    photos=_uploads(form.photos.data),
                    scan=_scan(form),
                    notes=notes,
                )
        except EditConflict as exc:
            show_conflict(form, product, current=lambda: _form_for(product))
            return _render_edit(product, form), exc.status
        except ListingError as exc:
            show_refusal_or_flash(form, exc)
        else:
            if product.status == ProductStatus.PUBLISHED and product.pending_changes:
                flash("Đã gửi thay đổi để duyệt. Phiên bản đang đăng vẫn hiển thị.", "success")
            else:
                flash("Đã lưu sản phẩm.", "success")
            for note in notes:
                flash(note, "warning")
            return redirect(url_for(".listing_edit", product_id=product.id))
    return _render_edit(product, form), 422


def _render_edit(
    product: Product,
    form: ListingForm,
    photo_errors: dict[int, str] | None = None,
    posted_alts: dict[str, str] | None = None,
) -> str:
    values = listing_values.working_copy(product)
    return render_template(
        "producer/listing_form.html",
        form=form,
        product=product,
        photos=values["images"],
        working_scan=values["certificate_scan"],
        photo_errors=photo_errors or {},
        posted_alts=posted_alts or {},
        labels=listing_status.status_labels(product),
        completeness=listing_values.completeness(product),
        editable=listing_values.is_editable(product),
        can_submit=_can_submit(product),
        can_delete=product.published_at is None and product.status != ProductStatus.HIDDEN,
        can_republish=listings.hidden_by_producer(product),
        max_photos=listing_values.MAX_PHOTOS,
    )


def _can_submit(product: Product) -> bool:
    if product.status in listing_values.EDITABLE_STATES:
        return True
    return (
        listing_values.has_pending_change(product)
        and product.review_state == ReviewState.CHANGES_REQUESTED
    )


@bp.post("/san-pham/<int:product_id>/anh")
@producer_required
def listing_photos(product_id: int) -> ResponseReturnValue:
    """One form for all photos: captions, and up / down / remove buttons (no JS needed)."""
    product = _own(product_id)
    photos = listing_values.working_copy(product)["images"]
    alts = {
        p["digest"]: request.form.get(f"alt-{p['digest']}", "")[:2000]
        for p in photos
        if f"alt-{p['digest']}" in request.form
    }
    verb, _, digest = request.form.get("action", "luu").partition(":")
    try:
        listings.arrange_photos(
            current_user,
            product,
            alts,
            move=(digest, PHOTO_ACTIONS[verb]) if verb in PHOTO_ACTIONS else None,
            remove=digest if verb == "xoa" else None,
        )
    except ListingError as exc:
        errors = {}
        if exc.field and exc.field.startswith("alt-"):
            errors[int(exc.field[4:])] = str(exc)
        else:
            flash(str(exc), "error")
        return _render_edit(product, _form_for(product), errors, alts), 422
    messages = {"len": "Đã chuyển ảnh lên.", "xuong": "Đã chuyển ảnh xuống.", "xoa": "Đã xóa ảnh."}
    flash(messages.get(verb, "Đã lưu mô tả ảnh."), "success")
    return redirect(url_for(".listing_edit", product_id=product.id) + "#anh")


def _workflow(
    product_id: int, action: Callable[[User, Product], object], success: str
) -> ResponseReturnValue:
    product = _own(product_id)
    try:
        action(current_user, product)
    except ListingError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".listing_edit", product_id=product.id))
    flash(success, "success")
    return redirect(url_for(".dashboard"))


@bp.post("/san-pham/<int:product_id>/gui-duyet")
@producer_required
def listing_submit(product_id: int) -> ResponseReturnValue:
    return _workflow(
        product_id,
        listings.submit,
        "Đã gửi duyệt. Cán bộ sẽ xem xét và báo kết quả qua e-mail.",
    )


@bp.post("/san-pham/<int:product_id>/huy-thay-doi")
@producer_required
def listing_discard(product_id: int) -> ResponseReturnValue:
    return _workflow(
        product_id, listings.discard_change, "Đã hủy thay đổi; phiên bản đang đăng giữ nguyên."
    )


@bp.post("/san-pham/<int:product_id>/tam-an")
@producer_required
def listing_unpublish(product_id: int) -> ResponseReturnValue:
    return _workflow(product_id, listings.unpublish, "Đã tạm ẩn sản phẩm khỏi trang công khai.")


@bp.post("/san-pham/<int:product_id>/hien-thi-lai")
@producer_required
def listing_republish(product_id: int) -> ResponseReturnValue:
    return _workflow(product_id, listings.republish, "Sản phẩm đã hiển thị trở lại.")


@bp.route("/san-pham/<int:product_id>/xoa", methods=["GET", "POST"])
@producer_required
def listing_delete(product_id: int) -> ResponseReturnValue:
    product = _own(product_id)
    if request.method == "POST":
        return _workflow(product_id, listings.delete_draft, f"Đã xóa “{product.name}”.")
    return render_template("producer/listing_delete.html", product=product)
