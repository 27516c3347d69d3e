"""Showing a form's errors: a service's refusal beside the field it names, and the page of a
refused form answering 422.

Services raise `Invalid(message, field)` and know nothing of forms; a view catches it and puts
the message beside the field it names, so the person sees what to change where they typed it.
"""

from __future__ import annotations

from typing import Any

from flask import flash, render_template
from flask.typing import ResponseReturnValue
from wtforms import Field

from catalog.errors import DomainError, EditConflict


def field_named(form: Any, name: str | None) -> Field | None:
    """The form's field called `name`, if the form has one."""
    return form[name] if name and name in form else None


def add_error(field: Field, message: str) -> None:
    """One more error under a field (its list is a tuple until the form was validated)."""
    field.errors = [*field.errors, message]


def show_refusal(form: Any, exc: DomainError, fallback: Field | None = None) -> None:
    """The refusal beside the field it names, else beside `fallback`, else on the form as a
    whole (`form.form_errors`, shown above the fields)."""
    field = field_named(form, exc.field)
    if field is None:
        field = fallback
    if field is not None:
        add_error(field, str(exc))
    else:
        form.form_errors.append(str(exc))


def show_refusal_or_flash(form: Any, exc: DomainError, fallback: str | None = None) -> None:
    """For pages with no place for form-wide errors: the refusal beside the field it names
    (or the `fallback` field), else as a flash message above the page."""
    field = field_named(form, exc.field or fallback)
    if field is not None:
        add_error(field, str(exc))
    else:
        flash(str(exc), "error")


def form_page(template: str, form: Any, **context: Any) -> ResponseReturnValue:
    """The page with its form, kept as typed: 409 when its save was refused because someone
    saved first (catalog.web.edit_conflicts), 422 when the form carries errors, else 200."""
    if getattr(form, "conflict", None) is not None:
        status = EditConflict.status
    else:
        status = 422 if form.errors else 200
    return render_template(template, form=form, **context), status
