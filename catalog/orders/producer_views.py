"""The producer's inbox of order requests: the list (newest first, by status), one request
with its items, the buyer's contact and history, the next step, and blocked phone numbers.

Only the signed-in producer's own requests: anything else is 404, like a number that does
not exist, so request numbers reveal nothing about other producers.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from catalog.errors import EditConflict
from catalog.models import ORDER_STATES, OrderRequest
from catalog.orders import order_inbox, orders
from catalog.web.blueprints import producer as bp
from catalog.web.edit_conflicts import Difference, VersionedForm, guard, show_conflict, stamp
from catalog.web.fields import int_or_none
from catalog.web.forms_common import Form, paragraph_field
from catalog.web.forms_errors import form_page, show_refusal
from catalog.web.params import choice
from catalog.web.producer_access import producer_required

# What the producer's button says for each next status.
ACTIONS = {
    "confirmed": "Xác nhận (đã gọi điện, sẽ giao)",
    "delivered": "Đã giao hàng",
    "cancelled": "Hủy yêu cầu",
}


class StepForm(VersionedForm):
    status = RadioField("Bước tiếp theo", id="buoc-tiep", validate_choice=False)
    note = paragraph_field(
        "Lời nhắn cho người mua",
        optional=True,
        max_length=orders.NOTE_MAX,
        id="loi-nhan",
        description="Người mua thấy lời nhắn trên trang theo dõi. Bắt buộc khi hủy.",
    )


def _step_form(order: OrderRequest) -> StepForm:
    form = StepForm()
    _offer(form, order)
    return form


def _offer(form: StepForm, order: OrderRequest) -> None:
    """The steps the request may take from where it is now."""
    form.status.choices = [
        SelectChoice(key, ACTIONS[key]) for key in order_inbox.next_statuses(order)
    ]


@bp.context_processor
def _order_counts() -> dict[str, object]:
    """`new_order_count()` for the dashboard's link to the inbox."""
    return {"new_order_count": lambda: order_inbox.count_new(current_user)}


@bp.get("/don-hang")
@producer_required
def orders_inbox() -> ResponseReturnValue:
    status = choice(request.args, "trang-thai", ORDER_STATES, "")
    page = int_or_none(request.args.get("trang")) or 1
    return render_template(
        "producer/orders.html",
        inbox=order_inbox.inbox(current_user, status=status, page=page),
        status=status,
        states=ORDER_STATES,
        blocked=order_inbox.blocked_numbers(current_user),
        form=Form(),
    )


@bp.route("/don-hang/<int:order_id>", methods=["GET", "POST"])
@producer_required
def order_detail(order_id: int) -> ResponseReturnValue:
    order = order_inbox.get_for_producer(current_user, order_id)
    form = _step_form(order)
    if request.method == "GET":
        stamp(form, order)
    elif form.validate_on_submit():
        try:
            with guard(form, order):
                order_inbox.advance(current_user, order_id, form.status.data or "", form.note.data)
        except EditConflict:
            _show_conflict(form, order)
        except orders.OrderError as exc:
            show_refusal(form, exc, fallback=form.status)
        else:
            flash(f"Đã cập nhật yêu cầu {order.code}: {order.status_label}.", "success")
            return redirect(url_for(".order_detail", order_id=order_id))
    return form_page(
        "producer/order.html",
        form,
        order=order,
        states=ORDER_STATES,
        blocked=order_inbox.is_blocked(order),
    )


def _show_conflict(form: StepForm, order: OrderRequest) -> None:
    """A colleague (or the buyer, cancelling) moved the request since this page was opened:
    its status now beside the step chosen, the note kept, the steps offered from where it
    is now."""
    chosen = ORDER_STATES.get(form.status.data or "", "(chưa chọn)")
    show_conflict(form, order, rows=lambda: [Difference("Trạng thái", order.status_label, chosen)])
    _offer(form, order)


@bp.post("/don-hang/<int:order_id>/chan-so")
@producer_required
def order_block_phone(order_id: int) -> ResponseReturnValue:
    _button(
        lambda: order_inbox.block_phone(current_user, order_id),
        "Đã chặn số điện thoại này: các yêu cầu sau từ số này sẽ không được nhận.",
    )
    return redirect(url_for(".order_detail", order_id=order_id))


@bp.post("/don-hang/so-bi-chan/<int:blocked_id>/bo-chan")
@producer_required
def order_unblock_phone(blocked_id: int) -> ResponseReturnValue:
    _button(lambda: order_inbox.unblock(current_user, blocked_id), "Đã bỏ chặn số điện thoại.")
    order_id = int_or_none(request.form.get("order_id"))
    if order_id is not None:
        return redirect(url_for(".order_detail", order_id=order_id))
    return redirect(url_for(".orders_inbox"))


def _button(act: Callable[[], object], done: str) -> None:
    """A one-button form (its CSRF token only; 400 without it): do it, then say so."""
    if not Form().validate_on_submit():
        abort(400)
    act()
    flash(done, "success")
