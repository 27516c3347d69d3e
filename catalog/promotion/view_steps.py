"""Steps the officials' promotion pages share (featured products, campaigns, stories), so the
campaign and story views are written once: run a service and put its refusal next to the
field, check a POST button, read the picker's search, save a form, publish or unpublish.

No routes here: the view modules register them; NotFound and Forbidden from the services
reach the app's error handlers (404, 403).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from catalog.errors import EditConflict
from catalog.models import Campaign, Product, Story, User
from catalog.promotion.forms import ActionForm, PromotionForm
from catalog.promotion.markdown_preview import fragment, requested_preview
from catalog.promotion.product_picker import pickable_products
from catalog.promotion.promotion_common import PromotionError
from catalog.web.edit_conflicts import guard, show_conflict, stamp
from catalog.web.forms_common import Form
from catalog.web.params import form_id, query_text

MAX_QUERY = 100
# Route defaults: one view answers both the "Đăng" (publish) and the "Gỡ" (unpublish) URL.
PUBLISH = {"published": True}
UNPUBLISH = {"published": False}
T = TypeVar("T")


def run(call: Callable[[], T], form: Form | None = None) -> tuple[T | None, str | None]:
    """Call a service; a refusal is put on its form field (or the form's errors) and returned
    as the message."""
    try:
        return call(), None
    except PromotionError as exc:
        target = getattr(form, exc.field, None) if form is not None and exc.field else None
        if target is not None:
            target.errors = [*target.errors, str(exc)]
        elif form is not None:
            form.form_errors.append(str(exc))
        return None, str(exc)


def preselect_own_province(form: Any) -> None:
    """A new entry starts in the official's own (first) province; admins choose."""
    if current_user.role != "admin" and current_user.provinces:
        form.province_id.data = current_user.provinces[0].id


def checked_action() -> None:
    """A POST button: CSRF or 400."""
    if not ActionForm().validate_on_submit():
        abort(400)


def search_query() -> str:
    return query_text(request.args, limit=MAX_QUERY)


def posted_id(name: str) -> int:
    value = form_id(request.form.get(name, ""))
    if value is None:  # names no row: "١٢", 2**63, "abc"
        abort(404)
    return value


def _ids(name: str, value: int) -> dict[str, Any]:
    """url_for's keyword values (typed Any: url_for also takes _anchor, _external...)."""
    return {name: value}


def product_picker(
    template: str, chosen: Sequence[Product], error: str | None, **context: Any
) -> ResponseReturnValue:
    """A page of chosen products and, after a search, those that may still be added (the
    featured products, a campaign's products); 422 when it shows a refusal."""
    query = search_query()
    found = pickable_products(current_user, query, {p.id for p in chosen}) if query else []
    page = render_template(
        template, chosen=chosen, query=query, found=found, error=error, form=ActionForm(), **context
    )
    return page, 422 if error else 200


def form_page(
    form: PromotionForm,
    save: Callable[[], Campaign | Story],
    saved: str,
    edit: tuple[str, str],
    template: str,
    *,
    editing: tuple[Campaign | Story, Callable[[], PromotionForm]] | None = None,
    **context: Any,
) -> ResponseReturnValue:
    """A campaign or story form: once a valid POST is saved, flash `saved` and go to the
    entry's edit page (`edit`: endpoint and id argument); otherwise show the form (422 with
    its errors, the service's refusal among them). `editing`: the entry being edited and how
    its form looks now; a save from a form opened at an older version of it is refused and
    the form comes back, as typed, with the current values beside it (409). The "Xem trước"
    button (without JavaScript) saves nothing: the form comes back as typed, with the
    preview of its Markdown field."""
    preview = requested_preview(form.MARKDOWN, form)
    if preview is not None:
        html = Markup(fragment(preview))  # noqa: S704 - our template, sanitised Markdown
        return render_template(
            template, form=form, preview=preview, preview_html=html, **context
        ), 200
    if form.validate_on_submit():
        try:
            entry = _saved(form, save, editing)
        except EditConflict as exc:
            if editing is None:  # only an edit has a version to be stale
                raise
            show_conflict(form, editing[0], current=editing[1])
            return render_template(template, form=form, **context), exc.status
        if entry is not None:
            flash(saved, "success")
            endpoint, id_name = edit
            return redirect(url_for(endpoint, **_ids(id_name, entry.id)))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(template, form=form, **context), status


F = TypeVar("F", bound=PromotionForm)


def edit_page(
    make_form: Callable[..., F],
    entry: Campaign | Story,
    save: Callable[[F], Campaign | Story],
    saved: str,
    edit: tuple[str, str],
    template: str,
    **context: Any,
) -> ResponseReturnValue:
    """A campaign's or story's edit page: on GET the form shows the entry as saved (stamped
    with its version); a POST is saved through form_page, which refuses a stale version.
    `make_form(**form_kwargs)` builds the form set up for the current official."""

    def as_saved() -> F:
        return stamp(make_form(formdata=None, obj=entry), entry)

    form = as_saved() if request.method == "GET" else make_form()
    return form_page(
        form, lambda: save(form), saved, edit, template, editing=(entry, as_saved), **context
    )


def _saved(
    form: PromotionForm,
    save: Callable[[], Campaign | Story],
    editing: tuple[Campaign | Story, Callable[[], PromotionForm]] | None,
) -> Campaign | Story | None:
    """The saved entry, or None after a refusal (shown on the form); EditConflict when the
    edited entry changed since the form was opened."""
    if editing is None:
        return run(save, form)[0]
    with guard(form, editing[0]):
        return run(save, form)[0]


def publication_set(
    set_published: Callable[[User, int, bool], object],
    entry_id: int,
    published: bool,
    done: str,
    edit: tuple[str, str],
) -> ResponseReturnValue:
    """The "Đăng" / "Gỡ" buttons: publish or unpublish, then back to the edit page."""
    checked_action()
    set_published(current_user, entry_id, published)
    flash(done, "success")
    endpoint, id_name = edit
    return redirect(url_for(endpoint, **_ids(id_name, entry_id)))


def picker_change(
    change: Callable[[], object], message: str, endpoint: str, **ids: Any
) -> tuple[ResponseReturnValue | None, str | None]:
    """A picker's "Thêm" / "Bỏ" (after checked_action): once done, back to the same page with
    the same search; else no response and the refusal, for the page to show (422)."""
    _, error = run(change)
    if error is not None:
        return None, error
    flash(message, "success")
    return redirect(url_for(endpoint, **ids, q=search_query() or None)), None
