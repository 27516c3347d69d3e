"""Officials' side of live listing changes: revert a price, unit or stock edit that went
live without review (listings/live_changes.py), with the reason the producer receives."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.extensions import db
from catalog.listings import live_changes
from catalog.models import Product
from catalog.review.decision_steps import ModerationError
from catalog.trust.forms import NoteForm
from catalog.web.blueprints import official as bp
from catalog.web.official_access import in_scope, official_required


@bp.post("/san-pham/<int:product_id>/hoan-tac/<int:entry_id>")
@official_required
def live_change_revert(product_id: int, entry_id: int) -> ResponseReturnValue:
    """A refusal is the domain error's page: another province 403 (checked first), no reason
    400, an unknown edit 404, values changed since 409 (catalog/web/error_pages.py)."""
    in_scope(db.get_or_404(Product, product_id).province_id)
    form = NoteForm(prefix=f"hoan-tac-{entry_id}")
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            raise ModerationError("Phiên làm việc đã hết hạn; vui lòng tải lại trang và thử lại.")
        raise ModerationError("Vui lòng ghi lý do hoàn tác (tối đa 2000 ký tự) để cơ sở biết.")
    live_changes.revert(current_user, product_id, entry_id, form.note.data)
    flash("Đã hoàn tác thay đổi; cơ sở đã được báo lý do.", "success")
    return redirect(
        url_for("official.product_review", product_id=product_id, _anchor="thay-doi-ngay")
    )
