"""Officials' story pages (split from views_promotion to keep modules small): list, write,
publish, and link the producers and products a story features."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.promotion import stories as story_service
from catalog.promotion.forms import ActionForm, StoryForm
from catalog.promotion.official_views import checked_action, posted_id, run, search_query
from catalog.promotion.promotion_common import pickable_producers, pickable_products
from catalog.web.blueprints import official as bp
from catalog.web.official_access import official_required

LINK_KINDS = {"co-so": "producer", "san-pham": "product"}


def _story_or_abort(story_id: int):  # type: ignore[no-untyped-def]
    story, _ = run(lambda: story_service.get_story(current_user, story_id))
    return story


def _form(**kwargs: object) -> StoryForm:
    return StoryForm(**kwargs).setup(current_user, story_service.campaign_choices(current_user))


@bp.get("/bai-viet", endpoint="stories")
@official_required
def story_index() -> ResponseReturnValue:
    return render_template("official/stories.html", items=story_service.stories_for(current_user))


@bp.route("/bai-viet/moi", methods=["GET", "POST"])
@official_required
def story_new() -> ResponseReturnValue:
    form = _form()
    if request.method == "GET":
        form.kind.data = "news"
        if current_user.role != "admin" and current_user.provinces:
            form.province_id.data = current_user.provinces[0].id
    if form.validate_on_submit():
        created, _ = run(
            lambda: story_service.create_story(current_user, form.values(), form.upload()), form
        )
        if created is not None:
            flash("Đã lưu bản nháp bài viết. Liên kết cơ sở, sản phẩm rồi bấm “Đăng”.", "success")
            return redirect(url_for(".story_edit", story_id=created.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("official/stories_form.html", form=form, story=None), status


@bp.route("/bai-viet/<int:story_id>", methods=["GET", "POST"])
@official_required
def story_edit(story_id: int) -> ResponseReturnValue:
    story = _story_or_abort(story_id)
    if request.method == "GET":
        form = _form(formdata=None, obj=story)
    else:
        form = _form()
        if form.validate_on_submit():
            updated, _ = run(
                lambda: story_service.update_story(
                    current_user, story_id, form.values(), form.upload()
                ),
                form,
            )
            if updated is not None:
                flash("Đã lưu bài viết.", "success")
                return redirect(url_for(".story_edit", story_id=story_id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "official/stories_form.html", form=form, story=story, actions=ActionForm()
    ), status


@bp.post("/bai-viet/<int:story_id>/dang")
@official_required
def story_publish(story_id: int) -> ResponseReturnValue:
    checked_action()
    run(lambda: story_service.set_published(current_user, story_id, True))
    flash("Đã đăng bài viết.", "success")
    return redirect(url_for(".story_edit", story_id=story_id))


@bp.post("/bai-viet/<int:story_id>/go")
@official_required
def story_unpublish(story_id: int) -> ResponseReturnValue:
    checked_action()
    run(lambda: story_service.set_published(current_user, story_id, False))
    flash("Đã gỡ bài viết; bài trở về bản nháp.", "success")
    return redirect(url_for(".story_edit", story_id=story_id))


@bp.route("/bai-viet/<int:story_id>/lien-ket", methods=["GET", "POST"])
@official_required
def story_links(story_id: int) -> ResponseReturnValue:
    story = _story_or_abort(story_id)
    error, status = None, 200
    if request.method == "POST":
        checked_action()
        kind = LINK_KINDS.get(request.form.get("kind", ""))
        action = request.form.get("action", "")
        if kind is None or action not in ("them", "bo"):
            abort(400)
        entry_id = posted_id("entry_id")
        _, error = run(
            lambda: story_service.set_link(current_user, story_id, kind, entry_id, action == "them")
        )
        if error is None:
            flash("Đã cập nhật liên kết.", "success")
            return redirect(url_for(".story_links", story_id=story_id, q=search_query() or None))
        status = 422
    query = search_query()
    producers = {p.id for p in story.producers}
    products = {p.id for p in story.products}
    return render_template(
        "official/stories_links.html",
        story=story,
        query=query,
        found_producers=pickable_producers(current_user, query, producers) if query else [],
        found_products=pickable_products(current_user, query, products) if query else [],
        error=error,
        form=ActionForm(),
    ), status
