"""Officials' promotion pages: featured products, campaigns and (views_promotion_stories)
stories. Thin: parse, call one service, render. The services decide scope (403), missing
entries (404) and refusals, shown next to their field with status 422.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.promotion import campaigns, featured
from catalog.promotion.forms import ActionForm, CampaignForm
from catalog.promotion.promotion_common import (
    PromotionError,
    pickable_products,
)
from catalog.web.blueprints import official as bp
from catalog.web.official_access import official_required

MAX_QUERY = 100


def run(call: Callable[[], Any], form: Any = None) -> tuple[Any, str | None]:
    """Call a service; a refusal is put on its form field (or the form's errors) and returned
    as the message. NotFound and Forbidden reach the app's error handler (404, 403)."""
    try:
        return call(), None
    except PromotionError as exc:
        target = getattr(form, exc.field, None) if form is not None and exc.field else None
        if target is not None:
            target.errors = [*target.errors, str(exc)]
        elif form is not None:
            form.form_errors.append(str(exc))
        return None, str(exc)


def checked_action() -> None:
    """A POST button: CSRF or 400."""
    if not ActionForm().validate_on_submit():
        abort(400)


def search_query() -> str:
    return (request.args.get("q") or "").strip()[:MAX_QUERY]


def posted_id(name: str) -> int:
    value = request.form.get(name, "")
    if not value.isdigit() or len(value) > 12:
        abort(404)
    return int(value)


# -- featured products --------------------------------------------------------------------


@bp.get("/noi-bat", endpoint="featured")
@official_required
def featured_page() -> ResponseReturnValue:
    return _featured_page()


def _featured_page(error: str | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    chosen = featured.featured_in_scope(current_user)
    query = search_query()
    exclude = {p.id for p in chosen}
    found = pickable_products(current_user, query, exclude) if query else []
    return render_template(
        "official/featured.html",
        chosen=chosen,
        query=query,
        found=found,
        error=error,
        form=ActionForm(),
    ), status


@bp.post("/noi-bat/<int:product_id>/them")
@official_required
def featured_add(product_id: int) -> ResponseReturnValue:
    checked_action()
    product, error = run(lambda: featured.feature(current_user, product_id))
    if error:
        return _featured_page(error, 422)
    flash(f"Đã đưa “{product.name}” lên trang chủ.", "success")
    return redirect(url_for(".featured"))


@bp.post("/noi-bat/<int:product_id>/bo")
@official_required
def featured_remove(product_id: int) -> ResponseReturnValue:
    checked_action()
    product, _ = run(lambda: featured.unfeature(current_user, product_id))
    flash(f"Đã bỏ “{product.name}” khỏi mục nổi bật.", "success")
    return redirect(url_for(".featured"))


# -- campaigns ------------------------------------------------------------------------------


@bp.get("/chuong-trinh", endpoint="campaigns")
@official_required
def campaign_index() -> ResponseReturnValue:
    return render_template(
        "official/campaigns.html",
        items=campaigns.campaigns_for(current_user),
        today=campaigns.local_today(),
    )


def _campaign_or_abort(campaign_id: int):  # type: ignore[no-untyped-def]
    campaign, _ = run(lambda: campaigns.get_campaign(current_user, campaign_id))
    return campaign


@bp.route("/chuong-trinh/moi", methods=["GET", "POST"])
@official_required
def campaign_new() -> ResponseReturnValue:
    form = CampaignForm().setup(current_user)
    if request.method == "GET" and current_user.role != "admin" and current_user.provinces:
        form.province_id.data = current_user.provinces[0].id
    if form.validate_on_submit():
        created, _ = run(
            lambda: campaigns.create_campaign(current_user, form.values(), form.upload()), form
        )
        if created is not None:
            flash("Đã lưu bản nháp chương trình. Thêm sản phẩm rồi bấm “Đăng”.", "success")
            return redirect(url_for(".campaign_edit", campaign_id=created.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("official/campaigns_form.html", form=form, campaign=None), status


@bp.route("/chuong-trinh/<int:campaign_id>", methods=["GET", "POST"])
@official_required
def campaign_edit(campaign_id: int) -> ResponseReturnValue:
    campaign = _campaign_or_abort(campaign_id)
    if request.method == "GET":
        form = CampaignForm(formdata=None, obj=campaign).setup(current_user)
    else:
        form = CampaignForm().setup(current_user)
        if form.validate_on_submit():
            updated, _ = run(
                lambda: campaigns.update_campaign(
                    current_user, campaign_id, form.values(), form.upload()
                ),
                form,
            )
            if updated is not None:
                flash("Đã lưu chương trình.", "success")
                return redirect(url_for(".campaign_edit", campaign_id=campaign_id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "official/campaigns_form.html",
        form=form,
        campaign=campaign,
        product_count=len(campaigns.product_ids(campaign)),
        actions=ActionForm(),
    ), status


@bp.post("/chuong-trinh/<int:campaign_id>/dang")
@official_required
def campaign_publish(campaign_id: int) -> ResponseReturnValue:
    checked_action()
    run(lambda: campaigns.set_published(current_user, campaign_id, True))
    flash("Đã đăng chương trình.", "success")
    return redirect(url_for(".campaign_edit", campaign_id=campaign_id))


@bp.post("/chuong-trinh/<int:campaign_id>/go")
@official_required
def campaign_unpublish(campaign_id: int) -> ResponseReturnValue:
    checked_action()
    run(lambda: campaigns.set_published(current_user, campaign_id, False))
    flash("Đã gỡ chương trình khỏi trang công khai; chương trình trở về bản nháp.", "success")
    return redirect(url_for(".campaign_edit", campaign_id=campaign_id))


PRODUCT_ACTIONS: dict[str, Callable[..., Any]] = {
    "them": campaigns.add_product,
    "bo": campaigns.remove_product,
    "len": lambda user, cid, pid: campaigns.move_product(user, cid, pid, -1),
    "xuong": lambda user, cid, pid: campaigns.move_product(user, cid, pid, 1),
}


@bp.route("/chuong-trinh/<int:campaign_id>/san-pham", methods=["GET", "POST"])
@official_required
def campaign_products(campaign_id: int) -> ResponseReturnValue:
    campaign = _campaign_or_abort(campaign_id)
    error, status = None, 200
    if request.method == "POST":
        checked_action()
        action = PRODUCT_ACTIONS.get(request.form.get("action", ""))
        if action is None:
            abort(400)
        product_id = posted_id("product_id")
        _, error = run(lambda: action(current_user, campaign_id, product_id))
        if error is None:
            flash("Đã cập nhật danh sách sản phẩm.", "success")
            return redirect(
                url_for(".campaign_products", campaign_id=campaign_id, q=search_query() or None)
            )
        status = 422
    chosen = campaign.products
    query = search_query()
    found = pickable_products(current_user, query, {p.id for p in chosen}) if query else []
    return render_template(
        "official/campaigns_products.html",
        campaign=campaign,
        chosen=chosen,
        query=query,
        found=found,
        error=error,
        form=ActionForm(),
    ), status
