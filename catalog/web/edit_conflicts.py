"""No lost update: an edit form carries the version of the record it was opened at, and a
save from an older version is refused (409) instead of silently overwriting what someone
else saved in between (a colleague, or the same person in another tab).

Written once for every edit form of a mutable record:

- the models count their version (`models/_common.version_column`, SQLAlchemy's
  version_id_col), so the write itself fails if another transaction got in first
  (StaleDataError) — that lands here too, never as a 500;
- `VersionedForm` carries it in a hidden field (`stamp` sets it when the form is shown);
  anything but plain digits (missing, negative, "²", 10**30) is no version, hence stale;
- `guard(form, record)` wraps the save: EditConflict (409) when the form is stale or the
  write raced another;
- `show_conflict` reads the record again and puts on the form what the page needs: when it
  changed, each value that now differs (current beside typed), and the NEW version, so the
  typed values, kept in the form, are saved by pressing save once more, deliberately.
  The page shows it with `conflict_notice(form)` (templates/macros/edit_conflict.html).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import BooleanField, Field, FileField, HiddenField, SubmitField
from wtforms.fields.choices import SelectFieldBase

from catalog.errors import EditConflict, NotFound
from catalog.extensions import db
from catalog.web.forms_common import Form
from catalog.web.templating import LOCAL_TZ

# A version is a count of saves; nine digits is far beyond any record's, and a longer
# number is not a version this site wrote.
_VERSION = re.compile(r"[0-9]{1,9}")
# How much of a long value (a description, a Markdown body) the notice quotes.
SHOWN_MAX = 300
EMPTY = "(để trống)"


class Versioned(Protocol):
    """A record with a version (models/_common.version_column)."""

    version: int


class VersionField(HiddenField):
    """The version the form was opened at; None when what was posted is not one (then the
    form counts as stale: 409 with the current values, never a 400 the person can't fix)."""

    def process_data(self, value: Any) -> None:
        self.data = value if isinstance(value, int) and not isinstance(value, bool) else None

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = valuelist[0] if valuelist else None
        self.data = int(raw) if isinstance(raw, str) and _VERSION.fullmatch(raw) else None

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


@dataclass(frozen=True)
class Difference:
    """One value that differs: its label, what the record holds now, what was typed (None:
    not a value of the form, e.g. a certificate's state beside a revocation note)."""

    label: str
    current: str
    typed: str | None = None


@dataclass(frozen=True)
class ConflictNotice:
    """What the 409 page tells: when the record changed ("" when it keeps no time), the
    values that differ now from what was typed, and whether files were chosen (a browser
    cannot keep them in a form shown again: they must be chosen once more)."""

    changed_at: str
    differences: tuple[Difference, ...]
    files_dropped: bool = False


class VersionedForm(Form):
    """An edit form of a versioned record: the hidden version, and the conflict notice once
    a save was refused (None until then)."""

    version = VersionField()
    conflict: ConflictNotice | None = None


F = TypeVar("F", bound=VersionedForm)


def stamp(form: F, record: Versioned) -> F:
    """The form as shown for editing: opened at the record's current version."""
    form.version.data = record.version
    return form


def check_version(form: VersionedForm, record: Versioned) -> None:
    """Refuse (EditConflict, 409) a save from a form opened at another version."""
    if form.version.data is None or form.version.data != record.version:
        raise EditConflict()


@contextmanager
def guard(form: VersionedForm, record: Versioned) -> Iterator[None]:
    """Around a save: EditConflict when the form is stale, or when the write raced another
    transaction (the ORM's own version check, StaleDataError)."""
    check_version(form, record)
    try:
        yield
    except StaleDataError as exc:
        db.session.rollback()
        raise EditConflict() from exc


def show_conflict(
    form: VersionedForm,
    record: Versioned,
    *,
    current: Callable[[], Form] | None = None,
    rows: Callable[[], Iterable[Difference]] | None = None,
    changed_at: Callable[[], datetime | None] | None = None,
) -> None:
    """After EditConflict: drop anything half-written, read the record as it is now (404 if
    it was deleted meanwhile), and put the notice and the new version on the form; the typed
    values stay. `current` builds the edit form from the record as it is now (its values are
    compared with the typed ones, field by field); `rows` adds differences a form cannot show
    (a status); `changed_at` says when it changed (default: the record's updated_at)."""
    db.session.rollback()
    try:
        db.session.refresh(record)
    except InvalidRequestError as exc:  # deleted meanwhile
        raise NotFound() from exc
    found = list(rows()) if rows is not None else []
    if current is not None:
        found += differences(form, current())
    when = changed_at() if changed_at is not None else getattr(record, "updated_at", None)
    form.version.data = record.version
    form.conflict = ConflictNotice(local_time(when), tuple(found), _files_chosen(form))


def _files_chosen(form: Form) -> bool:
    for field in form:
        if isinstance(field, FileField):
            chosen = field.data if isinstance(field.data, list) else [field.data]
            if any(getattr(item, "filename", None) for item in chosen):
                return True
    return False


def local_time(value: datetime | None) -> str:
    """16:05 ngày 07/12/2026, Vietnam time."""
    return value.astimezone(LOCAL_TZ).strftime("%H:%M ngày %d/%m/%Y") if value else ""


# -- comparing a typed form with the record ----------------------------------------------


def differences(typed: Form, current: Form) -> list[Difference]:
    """The fields whose typed value is not the record's current one (files and hidden
    fields are not values a person compares)."""
    found = []
    for field in typed:
        if isinstance(field, FileField | HiddenField | SubmitField) or field.name not in current:
            continue
        now = current[field.name]
        if _comparable(field.data) != _comparable(now.data):
            found.append(Difference(str(field.label.text), shown(now), shown(field)))
    return found


def _comparable(value: Any) -> Any:
    """Empty is empty (None, "", []); text compares without its line-end style (browsers
    send CRLF) or the spaces around it."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
    if value is None or value == "" or value == []:
        return None
    return tuple(value) if isinstance(value, list) else value


def shown(field: Field) -> str:
    """A field's value as a person reads it: the label of a chosen option, Có / Không for
    a checkbox, the text otherwise (long text cut)."""
    if isinstance(field, BooleanField):
        return "Có" if field.data else "Không"
    if isinstance(field, SelectFieldBase):
        labels = [str(c.label) for c in field.iter_choices() if c.selected and _chosen(c)]
        text = ", ".join(labels)
    else:
        text = field._value() if hasattr(field, "_value") else str(field.data or "")
    text = text.strip()
    if len(text) > SHOWN_MAX:
        text = text[:SHOWN_MAX].rstrip() + "…"
    return text or EMPTY


def _chosen(choice: Any) -> bool:
    """An empty option counts when it means something ("Toàn quốc", "Chưa được chứng nhận
    OCOP"), not when it only asks to choose ("— Chọn tỉnh, thành phố —")."""
    return choice.value not in ("", None) or not str(choice.label).startswith("—")
