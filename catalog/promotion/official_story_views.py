"""Officials' story pages: list, write, publish, and link the producers and products a story
features. The steps they share with the campaign pages are in view_steps."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.promotion import stories as story_service
from catalog.promotion.forms import ActionForm, StoryForm
from catalog.promotion.product_picker import pickable_products
from catalog.promotion.promotion_common import pickable_producers
from catalog.promotion.view_steps import (
    PUBLISH,
    UNPUBLISH,
    checked_action,
    edit_page,
    form_page,
    picker_change,
    posted_id,
    preselect_own_province,
    publication_set,
    search_query,
)
from catalog.web.blueprints import official as bp
from catalog.web.official_access import official_required

LINK_KINDS = {"co-so": "producer", "san-pham": "product"}
# Where a saved or (un)published story goes back to: the endpoint and its id argument.
STORY_EDIT = (".story_edit", "story_id")


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
        preselect_own_province(form)
    return form_page(
        form,
        lambda: story_service.create_story(current_user, form.values(), form.upload()),
        "Đã lưu bản nháp bài viết. Liên kết cơ sở, sản phẩm rồi bấm “Đăng”.",
        STORY_EDIT,
        "official/stories_form.html",
        story=None,
    )


@bp.route("/bai-viet/<int:story_id>", methods=["GET", "POST"])
@official_required
def story_edit(story_id: int) -> ResponseReturnValue:
    story = story_service.get_story(current_user, story_id)
    return edit_page(
        _form,
        story,
        lambda form: story_service.update_story(
            current_user, story_id, form.values(), form.upload()
        ),
        "Đã lưu bài viết.",
        STORY_EDIT,
        "official/stories_form.html",
        story=story,
    )


@bp.post("/bai-viet/<int:story_id>/dang", endpoint="story_publish", defaults=PUBLISH)
@bp.post("/bai-viet/<int:story_id>/go", endpoint="story_unpublish", defaults=UNPUBLISH)
@official_required
def story_publication(story_id: int, published: bool) -> ResponseReturnValue:
    """The “Đăng” button publishes the story; “Gỡ” takes it back to draft."""
    done = "Đã đăng bài viết." if published else "Đã gỡ bài viết; bài trở về bản nháp."
    return publication_set(story_service.set_published, story_id, published, done, STORY_EDIT)


@bp.route("/bai-viet/<int:story_id>/lien-ket", methods=["GET", "POST"])
@official_required
def story_links(story_id: int) -> ResponseReturnValue:
    story = story_service.get_story(current_user, story_id)
    error = None
    if request.method == "POST":
        checked_action()
        kind = LINK_KINDS.get(request.form.get("kind", ""))
        action = request.form.get("action", "")
        if kind is None or action not in ("them", "bo"):
            abort(400)
        entry_id, linked = posted_id("entry_id"), action == "them"
        done, error = picker_change(
            lambda: story_service.set_link(current_user, story_id, kind, entry_id, linked),
            "Đã cập nhật liên kết.",
            ".story_links",
            story_id=story_id,
        )
        if done is not None:
            return done
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
    ), 422 if error else 200
