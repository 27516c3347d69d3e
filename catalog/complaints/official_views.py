"""Officials' complaints: the list of their provinces (admins: all) and one complaint, where
they move it along (new → investigating → resolved / dismissed), reply to the reporter, note
for colleagues and hide the listing it is about. Out of scope 403, unknown 404, a refused
step 422 with the service's words next to the field."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.complaints import complaint_handling, complaint_list
from catalog.complaints.complaints import ComplaintError
from catalog.complaints.official_forms import KEEP, HandleForm, HideForm
from catalog.errors import EditConflict
from catalog.models import COMPLAINT_KINDS, COMPLAINT_STATES, Complaint
from catalog.models.statuses import ProductStatus
from catalog.web.blueprints import official as bp
from catalog.web.edit_conflicts import Difference, guard, show_conflict, stamp
from catalog.web.forms_errors import show_refusal
from catalog.web.official_access import official_required
from catalog.web.params import choice, page_number

SORTS = {"moi-nhat": "Mới nhất trước", "cu-nhat": "Cũ nhất trước"}


@bp.get("/phan-anh", endpoint="complaints")
@official_required
def complaints_list() -> ResponseReturnValue:
    status = choice(request.args, "trang-thai", COMPLAINT_STATES, "")
    kind = choice(request.args, "loai", COMPLAINT_KINDS, "")
    sort = choice(request.args, "sap-xep", SORTS, "moi-nhat")
    listing = complaint_list.list_for(
        current_user,
        status=status,
        kind=kind,
        oldest_first=sort == "cu-nhat",
        page=page_number(request.args, name="trang"),
    )
    return render_template(
        "official/complaints.html",
        listing=listing,
        status=status,
        kind=kind,
        sort=sort,
        sorts=SORTS,
        states=COMPLAINT_STATES,
        kinds=COMPLAINT_KINDS,
    )


def _load(complaint_id: int) -> Complaint:
    return complaint_handling.get_for_official(current_user, complaint_id)


def _page(
    complaint: Complaint, handle: HandleForm, hide: HideForm, status: int = 200
) -> ResponseReturnValue:
    product = complaint.product
    return render_template(
        "official/complaint.html",
        complaint=complaint,
        handle_form=handle,
        hide_form=hide,
        can_hide=product is not None and product.status == ProductStatus.PUBLISHED,
        states=COMPLAINT_STATES,
    ), status


@bp.route("/phan-anh/<int:complaint_id>", methods=["GET", "POST"])
@official_required
def complaint_detail(complaint_id: int) -> ResponseReturnValue:
    complaint = _load(complaint_id)
    form = HandleForm(complaint=complaint)
    if request.method == "GET":
        return _page(complaint, stamp(form, complaint), HideForm(formdata=None))
    if form.validate_on_submit():
        try:
            with guard(form, complaint):
                complaint_handling.handle(
                    current_user, complaint_id, form.status.data, form.reply.data, form.note.data
                )
        except EditConflict as exc:
            _show_conflict(form, complaint)
            return _page(complaint, form, HideForm(formdata=None), exc.status)
        except ComplaintError as exc:
            show_refusal(form, exc)
        else:
            flash("Đã ghi nhận.", "success")
            return redirect(url_for("official.complaint_detail", complaint_id=complaint_id))
    return _page(complaint, form, HideForm(formdata=None), 422)


def _show_conflict(form: HandleForm, complaint: Complaint) -> None:
    """Someone handled the complaint since this form was opened: its status now beside the
    one chosen, the reply and note kept, the next steps offered from where it is now."""
    chosen = COMPLAINT_STATES.get(form.status.data or "", KEEP)
    show_conflict(
        form,
        complaint,
        rows=lambda: [Difference("Trạng thái", complaint.status_label, chosen)],
    )
    form.offer(complaint)


@bp.post("/phan-anh/<int:complaint_id>/an-san-pham")
@official_required
def complaint_hide(complaint_id: int) -> ResponseReturnValue:
    complaint = _load(complaint_id)
    form = HideForm()
    if form.validate_on_submit():
        try:
            complaint_handling.hide_listing(current_user, complaint_id, form.reason.data)
        except ComplaintError as exc:
            show_refusal(form, exc)
        else:
            flash("Đã ẩn sản phẩm khỏi trang công khai.", "success")
            return redirect(url_for("official.complaint_detail", complaint_id=complaint_id))
    handle = stamp(HandleForm(formdata=None, complaint=complaint), complaint)
    return _page(complaint, handle, form, 422)
