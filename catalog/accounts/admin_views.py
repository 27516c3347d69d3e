"""Admins manage staff accounts: list (filter by role, province), create (the new person
gets an invitation by e-mail, with a link to create their password), change role and
provinces, deactivate. Officials get 403 here; the rules (no self-demotion, a province for
every official) are in services/staff.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.accounts import staff
from catalog.accounts.admin_forms import ROLE_LABELS, NewStaffForm, StaffForm
from catalog.accounts.users import STAFF_ROLES
from catalog.errors import EditConflict
from catalog.extensions import db
from catalog.models import User
from catalog.platform import geo
from catalog.web.blueprints import official as bp
from catalog.web.edit_conflicts import guard, show_conflict
from catalog.web.forms_errors import show_refusal
from catalog.web.params import choice, id_param
from catalog.web.security import role_required

admin_required = role_required("admin")


@bp.get("/nguoi-dung")
@admin_required
def users() -> ResponseReturnValue:
    role = choice(request.args, "vai_tro", STAFF_ROLES, "")
    provinces = geo.all_provinces()
    province_id = id_param(request.args, "tinh")
    province_id = province_id if province_id in {p.id for p in provinces} else None
    return render_template(
        "official/users.html",
        people=staff.staff_list(role, province_id),
        role=role,
        province_id=province_id,
        provinces=provinces,
        role_labels=ROLE_LABELS,
    )


@bp.route("/nguoi-dung/moi", methods=["GET", "POST"])
@admin_required
def user_new() -> ResponseReturnValue:
    form = NewStaffForm(data={"role": "official", "active": True})
    del form.active  # a new account is active; it gets its set-password link at once
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                user = staff.create(
                    current_user, form.email.data, form.role.data, form.province_ids()
                )
            except staff.StaffError as exc:
                show_refusal(form, exc)
            else:
                flash(
                    f"Đã tạo tài khoản {user.email} và gửi thư mời, kèm liên kết để người "
                    "được mời tự tạo mật khẩu.",
                    "success",
                )
                return redirect(url_for("official.users"))
    return render_template("official/user_form.html", form=form, person=None), status


@bp.route("/nguoi-dung/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int) -> ResponseReturnValue:
    person = db.session.get(User, user_id)
    if person is None or person.role not in STAFF_ROLES:
        abort(404)
    form = _staff_form(person)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                with guard(form, person):
                    staff.update(
                        current_user,
                        user_id,
                        role=form.role.data,
                        province_ids=form.province_ids(),
                        active=form.active.data,
                    )
            except EditConflict as exc:
                show_conflict(form, person, current=lambda: _staff_form(person, formdata=None))
                status = exc.status
            except LookupError:
                abort(404)
            except staff.StaffError as exc:
                show_refusal(form, exc)
            else:
                flash(f"Đã cập nhật tài khoản {person.email}.", "success")
                return redirect(url_for("official.users"))
    return render_template("official/user_form.html", form=form, person=person), status


def _staff_form(person: User, **kwargs: object) -> StaffForm:
    """The account's form: as posted, or (formdata=None) as the account is now, opened at
    its current version."""
    values = {"role": person.role, "provinces": [p.id for p in person.provinces]}
    return StaffForm(data={**values, "active": person.active, "version": person.version}, **kwargs)
