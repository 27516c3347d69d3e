"""The audit log: read-only, filtered, paged and exported (CSV, XLSX). Only GET routes:
entries are never changed through the application, so POST/PUT/DELETE answer 405."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.routing import BuildError

from catalog.audit_log import audit_labels, audit_log
from catalog.models import AuditEntry
from catalog.web.blueprints import official as bp
from catalog.web.official_access import official_required
from catalog.web.params import page_number

# entity type -> (endpoint, argument name) of the page that shows it.
ENTITY_PAGES = {
    "producer": ("official.producer_review", "producer_id"),
    "product": ("official.product_review", "product_id"),
    "complaint": ("official.complaint_detail", "complaint_id"),
    "campaign": ("official.campaign_edit", "campaign_id"),
    "story": ("official.story_edit", "story_id"),
    "user": ("official.user_edit", "user_id"),
    "import": ("official.import_preview", "batch_id"),
}
FILTER_ARGS = ("q", "hanh_dong", "nguoi", "doi_tuong", "tu_ngay", "den_ngay")
EXPORTS = {
    "csv": ("text/csv", audit_log.export_csv),  # Flask adds "; charset=utf-8" to text types
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        audit_log.export_xlsx,
    ),
}


def _entity_link(entry: AuditEntry) -> str | None:
    page = ENTITY_PAGES.get(entry.entity_type)
    if page is None or entry.entity_id is None:
        return None
    if entry.entity_type == "user" and current_user.role != "admin":
        return None
    try:
        values: dict[str, Any] = {page[1]: entry.entity_id}
        return url_for(page[0], **values)
    except BuildError:  # that section is not in this build
        return None


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "entry": entry,
        "when": audit_log.local_time(entry.created_at),
        "actor": entry.actor.email if entry.actor else "Hệ thống",
        "action": audit_labels.action_label(entry.action),
        "entity": audit_labels.ENTITY_LABELS.get(entry.entity_type, entry.entity_type),
        "link": _entity_link(entry),
        "changes": audit_log.changes(entry),
    }


@bp.get("/nhat-ky", endpoint="audit_log")
@official_required
def audit_log_page() -> ResponseReturnValue:
    filters = audit_log.filters_from(request.args)
    entries, total, page, pages = audit_log.page_of(
        current_user, filters, page_number(request.args)
    )
    return render_template(
        "official/audit_log.html",
        rows=[_row(e) for e in entries],
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        actions=audit_log.known_actions(current_user),
        action_label=audit_labels.action_label,
        entity_labels=audit_labels.ENTITY_LABELS,
        export_args={k: v for k, v in request.args.items() if k in FILTER_ARGS and len(v) <= 254},
    )


@bp.get("/nhat-ky/xuat")
@official_required
def audit_export() -> ResponseReturnValue:
    fmt = request.args.get("dinh_dang", "csv")
    if fmt not in EXPORTS:
        abort(400)
    mimetype, build = EXPORTS[fmt]
    data = build(current_user, audit_log.filters_from(request.args))
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="nhat-ky.{fmt}"'
    return response
