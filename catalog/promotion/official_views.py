"""Officials' promotion pages: featured products and campaigns (stories: in
official_story_views). Thin: parse, call one service, render; the steps they share with the
story pages are in view_steps. The services decide scope (403), missing entries (404) and
refusals, shown next to their field with status 422.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.promotion import campaigns, featured
from catalog.promotion.forms import CampaignForm
from catalog.promotion.view_steps import (
    PUBLISH,
    UNPUBLISH,
    checked_action,
    edit_page,
    form_page,
    picker_change,
    posted_id,
    preselect_own_province,
    product_picker,
    publication_set,
    run,
)
from catalog.web.blueprints import official as bp
from catalog.web.official_access import official_required

# Where a saved or (un)published campaign goes back to: the endpoint and its id argument.
CAMPAIGN_EDIT = (".campaign_edit", "campaign_id")

# -- featured products --------------------------------------------------------------------


@bp.get("/noi-bat", endpoint="featured")
@official_required
def featured_page() -> ResponseReturnValue:
    return _featured_page()


def _featured_page(error: str | None = None) -> ResponseReturnValue:
    return product_picker("official/featured.html", featured.featured_in_scope(current_user), error)


@bp.post("/noi-bat/<int:product_id>/them")
@official_required
def featured_add(product_id: int) -> ResponseReturnValue:
    checked_action()
    product, error = run(lambda: featured.feature(current_user, product_id))
    if product is None:
        return _featured_page(error)
    flash(f"Đã đưa “{product.name}” lên trang chủ.", "success")
    return redirect(url_for(".featured"))


@bp.post("/noi-bat/<int:product_id>/bo")
@official_required
def featured_remove(product_id: int) -> ResponseReturnValue:
    checked_action()
    product = featured.unfeature(current_user, product_id)
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


@bp.route("/chuong-trinh/moi", methods=["GET", "POST"])
@official_required
def campaign_new() -> ResponseReturnValue:
    form = CampaignForm().setup(current_user)
    if request.method == "GET":
        preselect_own_province(form)
    return form_page(
        form,
        lambda: campaigns.create_campaign(current_user, form.values(), form.upload()),
        "Đã lưu bản nháp chương trình. Thêm sản phẩm rồi bấm “Đăng”.",
        CAMPAIGN_EDIT,
        "official/campaigns_form.html",
        campaign=None,
    )


@bp.route("/chuong-trinh/<int:campaign_id>", methods=["GET", "POST"])
@official_required
def campaign_edit(campaign_id: int) -> ResponseReturnValue:
    campaign = campaigns.get_campaign(current_user, campaign_id)
    return edit_page(
        lambda **kwargs: CampaignForm(**kwargs).setup(current_user),
        campaign,
        lambda form: campaigns.update_campaign(
            current_user, campaign_id, form.values(), form.upload()
        ),
        "Đã lưu chương trình.",
        CAMPAIGN_EDIT,
        "official/campaigns_form.html",
        campaign=campaign,
        product_count=len(campaigns.product_ids(campaign)),
    )


@bp.post("/chuong-trinh/<int:campaign_id>/dang", endpoint="campaign_publish", defaults=PUBLISH)
@bp.post("/chuong-trinh/<int:campaign_id>/go", endpoint="campaign_unpublish", defaults=UNPUBLISH)
@official_required
def campaign_publication(campaign_id: int, published: bool) -> ResponseReturnValue:
    """The “Đăng” button publishes the campaign; “Gỡ” takes it back to draft."""
    done = (
        "Đã đăng chương trình."
        if published
        else "Đã gỡ chương trình khỏi trang công khai; chương trình trở về bản nháp."
    )
    return publication_set(campaigns.set_published, campaign_id, published, done, CAMPAIGN_EDIT)


PRODUCT_ACTIONS: dict[str, Callable[..., Any]] = {
    "them": campaigns.add_product,
    "bo": campaigns.remove_product,
    "len": lambda user, cid, pid: campaigns.move_product(user, cid, pid, -1),
    "xuong": lambda user, cid, pid: campaigns.move_product(user, cid, pid, 1),
}


@bp.route("/chuong-trinh/<int:campaign_id>/san-pham", methods=["GET", "POST"])
@official_required
def campaign_products(campaign_id: int) -> ResponseReturnValue:
    campaign = campaigns.get_campaign(current_user, campaign_id)
    error = None
    if request.method == "POST":
        checked_action()
        action = PRODUCT_ACTIONS.get(request.form.get("action", ""))
        if action is None:
            abort(400)
        product_id = posted_id("product_id")
        done, error = picker_change(
            lambda: action(current_user, campaign_id, product_id),
            "Đã cập nhật danh sách sản phẩm.",
            ".campaign_products",
            campaign_id=campaign_id,
        )
        if done is not None:
            return done
    return product_picker(
        "official/campaigns_products.html", campaign.products, error, campaign=campaign
    )
