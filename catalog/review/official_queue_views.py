"""The queue's own actions: bulk approval and completing imported entries that lack
details. Thin like the other views: parse, authorise, one service call, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.extensions import db
from catalog.models import Producer, Product, User
from catalog.review import completion, review_queue
from catalog.review.queue_forms import BulkApproveForm, CompleteProducerForm, CompleteProductForm
from catalog.web.blueprints import official as bp
from catalog.web.forms_common import Form
from catalog.web.forms_errors import show_refusal
from catalog.web.official_access import in_scope, official_required

MAX_SELECTED = 200


@bp.post("/duyet-hang-loat")
@official_required
def queue_bulk_approve() -> ResponseReturnValue:
    form = BulkApproveForm()
    if not form.validate_on_submit():
        abort(400)
    keys = request.form.getlist("muc")[:MAX_SELECTED]
    back = request.form.get("quay_lai", "")
    target = back if back.startswith("/quan-ly/") and "//" not in back else None
    if not keys:
        flash("Bạn chưa chọn mục nào để duyệt.", "warning")
        return redirect(target or url_for("official.dashboard"))
    result = review_queue.bulk_approve(current_user, keys)
    if result.approved:
        flash(f"Đã duyệt {len(result.approved)} mục: {', '.join(result.approved)}.", "success")
    if result.refused:
        reasons = "; ".join(f"{name}: {why}" for name, why in result.refused)
        flash(f"Không duyệt được {len(result.refused)} mục — {reasons}", "error")
    return redirect(target or url_for("official.dashboard"))


def _complete(
    form: Form,
    complete: Callable[[User, int, dict[str, Any]], object],
    entry: Producer | Product,
    gaps: tuple[str, ...],
) -> ResponseReturnValue:
    """GET: the form of the missing fields; POST: the service, back to the queue, or the
    form again with the refusal next to its field (422)."""
    in_scope(entry.province_id)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                complete(current_user, entry.id, form.values())
            except completion.CompletionError as exc:
                show_refusal(form, exc)
            else:
                flash("Đã bổ sung thông tin.", "success")
                return redirect(url_for("official.dashboard", loai="incomplete"))
    html = render_template(
        "official/queue_complete.html",
        form=form,
        gap_labels=review_queue.GAP_LABELS,
        entry=entry,
        entity="producer" if isinstance(entry, Producer) else "product",
        gaps=gaps,
    )
    return html, status


@bp.route("/bo-sung/co-so/<int:producer_id>", methods=["GET", "POST"])
@official_required
def queue_complete_producer(producer_id: int) -> ResponseReturnValue:
    producer = db.get_or_404(Producer, producer_id)
    gaps = review_queue.producer_gaps(producer)
    return _complete(CompleteProducerForm(gaps=gaps), completion.complete_producer, producer, gaps)


@bp.route("/bo-sung/san-pham/<int:product_id>", methods=["GET", "POST"])
@official_required
def queue_complete_product(product_id: int) -> ResponseReturnValue:
    product = db.get_or_404(Product, product_id)
    return _complete(
        CompleteProductForm(),
        completion.complete_product,
        product,
        review_queue.product_gaps(product),
    )
