"""The queue's own actions: bulk approval and completing imported entries that lack
details. Thin like the other views: parse, authorise, one service call, render."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.extensions import db
from catalog.models import Producer, Product
from catalog.review import completion, review_queue
from catalog.review.official_views import GAP_LABELS
from catalog.review.queue_forms import BulkApproveForm, CompleteProducerForm, CompleteProductForm
from catalog.web.blueprints import official as bp
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


def _complete(form: Any, service: Any, entry_id: int, template: str, **context: Any):  # type: ignore[no-untyped-def]
    """GET: the form of the missing fields; POST: the service, back to the queue, or the
    form again with the refusal next to its field (422)."""
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                service(current_user, entry_id, form.values())
            except completion.CompletionError as exc:
                target = form[exc.field] if exc.field and exc.field in form else None
                if target is not None:
                    target.errors = [*target.errors, str(exc)]
                else:
                    form.form_errors.append(str(exc))
            else:
                flash("Đã bổ sung thông tin.", "success")
                return redirect(url_for("official.dashboard", loai="incomplete"))
    return render_template(template, form=form, gap_labels=GAP_LABELS, **context), status


@bp.route("/bo-sung/co-so/<int:producer_id>", methods=["GET", "POST"])
@official_required
def queue_complete_producer(producer_id: int) -> ResponseReturnValue:
    producer = db.session.get(Producer, producer_id)
    if producer is None:
        abort(404)
    in_scope(producer.province_id)
    gaps = review_queue.producer_gaps(producer)
    return _complete(
        CompleteProducerForm(gaps=gaps),
        completion.complete_producer,
        producer_id,
        "official/queue_complete.html",
        entry=producer,
        entity="producer",
        gaps=gaps,
    )


@bp.route("/bo-sung/san-pham/<int:product_id>", methods=["GET", "POST"])
@official_required
def queue_complete_product(product_id: int) -> ResponseReturnValue:
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404)
    in_scope(product.province_id)
    gaps = review_queue.product_gaps(product)
    return _complete(
        CompleteProductForm(),
        completion.complete_product,
        product_id,
        "official/queue_complete.html",
        entry=product,
        entity="product",
        gaps=gaps,
    )
