"""Officials' review: the queue of their provinces and one decision per entry.

Views stay thin: load the entry, check the official covers its province (403 otherwise),
render; a decision goes to the moderation service, whose polite refusals are shown next to
the note field (422).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.catalogue.season_labels import AVAILABILITY_LABELS
from catalog.certificates import claims as certificate_claims
from catalog.certificates.certificate_scans import SCAN_TYPES, open_scan
from catalog.extensions import db
from catalog.listings import claims, live_changes
from catalog.listings.listing_values import EDITABLE, live_value
from catalog.models import AuditEntry, Category, Producer, ProducerClaim, Product, Province, User
from catalog.models.seasons import mask_to_months
from catalog.models.statuses import ProducerStatus, ProductStatus, ReviewState
from catalog.platform import geo
from catalog.platform.vietnamese import clean_text
from catalog.review import moderation, review_queue
from catalog.review.forms import ClaimDecisionForm, DecisionForm
from catalog.review.queue_forms import BulkApproveForm
from catalog.trust.forms import NoteForm
from catalog.web.blueprints import official as bp
from catalog.web.forms_errors import add_error
from catalog.web.official_access import in_scope, official_required
from catalog.web.params import MAX_QUERY_LEN, id_param, page_number

# A decision service: (official, entry id, decision, note) → the decided entry.
Decide = Callable[[User, int, str, str | None], object]
KIND_LABELS = {
    "producer": "Cơ sở mới",
    "listing": "Sản phẩm mới",
    "change": "Thay đổi sản phẩm",
    "claim": "Yêu cầu nhận quản lý",
    "incomplete": "Thiếu thông tin",
}
FIELD_LABELS = {
    "name": "Tên sản phẩm",
    "category_id": "Nhóm sản phẩm OCOP",
    "province_id": "Tỉnh, thành phố",
    "description": "Mô tả",
    "price_vnd": "Giá bán",
    "unit": "Đơn vị tính",
    "ocop_stars": "Hạng sao OCOP",
    "certificate_no": "Số giấy chứng nhận",
    "certificate_decision": "Quyết định công nhận",
    "certificate_year": "Năm công nhận",
    "certificate_expires_on": "Ngày hết hạn chứng nhận",
    "certificate_scan": "Bản chụp giấy chứng nhận",
    "images": "Ảnh sản phẩm",
    "availability": "Tình trạng hàng",
    "harvest_months": "Tháng thu hoạch",
}


def _product_or_abort(product_id: int) -> Product:
    product = db.get_or_404(Product, product_id)
    moved_to = (product.pending_changes or {}).get("province_id")
    in_scope(product.province_id, moved_to)
    return product


# -- the queue --------------------------------------------------------------------------


@bp.get("/")
@official_required
def dashboard() -> ResponseReturnValue:
    kind = request.args.get("loai", "")
    if kind not in KIND_LABELS:
        kind = ""
    provinces = _filter_provinces()
    province_id = _int_arg("tinh")
    if province_id not in {p.id for p in provinces}:
        province_id = None
    text = clean_text(request.args.get("q", ""))[:MAX_QUERY_LEN]
    queue = review_queue.filtered_queue(
        current_user,
        kind=kind,
        province_id=province_id,
        text=text,
        page=page_number(request.args),
    )
    return render_template(
        "official/dashboard.html",
        queue=queue,
        items=queue.items,
        total=sum(queue.counts.values()),
        counts=queue.counts,
        kind=kind,
        kind_labels=KIND_LABELS,
        provinces=provinces,
        province_id=province_id,
        text=text,
        bulk_form=BulkApproveForm(),
        bulk_kinds=review_queue.BULK_KINDS,
        gap_labels=review_queue.GAP_LABELS,
        review_endpoints={
            "producer": "official.producer_review",
            "listing": "official.product_review",
            "change": "official.product_review",
            "claim": "official.claim_review",
        },
    )


def _filter_provinces() -> list[Province]:
    """Provinces offered in the filter: an admin's all, an official's own (none if one)."""
    if current_user.role == "admin":
        return geo.all_provinces()
    own = sorted(current_user.provinces, key=lambda p: p.name)
    return own if len(own) > 1 else []


def _int_arg(name: str) -> int | None:
    return id_param(request.args, name)


# -- deciding ---------------------------------------------------------------------------


def _review(
    form: DecisionForm, decide: Decide, entry_id: int, template: str, **context: Any
) -> ResponseReturnValue:
    """The review page of one entry: on POST run the decision and go back to the queue; on
    a refusal (or GET) render the page, the service's message on the note field (422)."""
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                decide(current_user, entry_id, form.decision.data, form.note.data)
            except moderation.ModerationError as exc:
                add_error(form.note, str(exc))
            else:
                flash("Đã ghi nhận quyết định.", "success")
                return redirect(url_for("official.dashboard"))
    return render_template(template, form=form, **context), status


@bp.route("/co-so/<int:producer_id>", methods=["GET", "POST"])
@official_required
def producer_review(producer_id: int) -> ResponseReturnValue:
    producer = db.get_or_404(Producer, producer_id)
    in_scope(producer.province_id)
    return _review(
        DecisionForm(),
        moderation.decide_producer,
        producer_id,
        "official/producer.html",
        producer=producer,
        state=moderation.PRODUCER_STATES.get(producer.status, producer.status),
        waiting=producer.status == ProducerStatus.PENDING,
    )


def _live_rows(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(label, before, after) of a live edit, as an official reads them."""
    return [
        (
            FIELD_LABELS.get(name, name),
            _shown(name, (entry.before or {}).get(name)),
            _shown(name, v),
        )
        for name, v in (entry.after or {}).items()
    ]


def _claim_in_review(product: Product) -> certificate_claims.Claim | None:
    """The OCOP claim the approval would settle: the pending change's, else the product's."""
    change = product.pending_changes or {}
    if "ocop_stars" not in change:
        return certificate_claims.claim_of(product)
    if not change.get("ocop_stars"):
        return None
    year, expires = change.get("certificate_year"), change.get("certificate_expires_on")
    return certificate_claims.Claim(
        stars=int(change["ocop_stars"]),
        certificate_no=change.get("certificate_no"),
        decision=change.get("certificate_decision"),
        year=int(year) if year else None,
        expires_on=date.fromisoformat(expires) if isinstance(expires, str) else expires,
    )


@bp.route("/san-pham/<int:product_id>", methods=["GET", "POST"])
@official_required
def product_review(product_id: int) -> ResponseReturnValue:
    product = _product_or_abort(product_id)
    is_change = (
        product.status == ProductStatus.PUBLISHED and product.review_state == ReviewState.SUBMITTED
    )
    claim = _claim_in_review(product)
    edits = live_changes.recent(product)
    form: DecisionForm = DecisionForm()
    decide: Decide = moderation.decide_product
    if claim is not None:
        claim_form = ClaimDecisionForm(claim=claim)
        form = claim_form

        def decide(official: User, entry_id: int, decision: str, note: str | None) -> object:
            return moderation.decide_product(
                official, entry_id, decision, note, claim_form.settlement()
            )

    return _review(
        form,
        decide,
        product_id,
        "official/product.html",
        product=product,
        is_change=is_change,
        waiting=product.status == ProductStatus.SUBMITTED or is_change,
        changes=_changes(product) if product.pending_changes else [],
        field_labels=FIELD_LABELS,
        claim=claim,
        live_edits=[(e, _live_rows(e), NoteForm(prefix=f"hoan-tac-{e.id}")) for e in edits],
    )


@bp.route("/yeu-cau/<int:claim_id>", methods=["GET", "POST"])
@official_required
def claim_review(claim_id: int) -> ResponseReturnValue:
    claim = db.get_or_404(ProducerClaim, claim_id)
    in_scope(claim.producer.province_id)
    return _review(
        DecisionForm(claim=True),
        claims.decide_claim,
        claim_id,
        "official/claim.html",
        claim=claim,
        producer=claim.producer,
        waiting=claim.status == "pending",
    )


# -- a change to a published listing, field by field -------------------------------------


def _shown(name: str, value: Any) -> str:
    """A value as an official reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if name == "category_id":
        category = db.session.get(Category, value)
        return category.name if category else str(value)
    if name == "province_id":
        province = db.session.get(Province, value)
        return province.name if province else str(value)
    if name == "price_vnd":
        return f"{value:,}".replace(",", ".") + " ₫"
    if name == "ocop_stars":
        return f"{value} sao"
    if name == "certificate_expires_on":
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return day.strftime("%d/%m/%Y")
    if name == "certificate_scan":
        return "Đã tải lên"
    if name == "images":
        return f"{len(value)} ảnh"
    if name == "availability":
        return str(AVAILABILITY_LABELS.get(value, value))
    if name == "harvest_months":
        months = mask_to_months(value)
        return ", ".join(f"tháng {m}" for m in months) if months else "—"
    return str(value)


def _changes(product: Product) -> list[dict[str, Any]]:
    """Every field of the pending change: label, live value, proposed value, changed?"""
    change = product.pending_changes or {}
    live_images = [image.digest for image in product.images]
    rows = []
    for name in (*EDITABLE, "images"):
        if name not in change:
            continue
        live: Any
        proposed: Any
        if name == "images":
            live, proposed = live_images, [entry["digest"] for entry in change["images"]]
        else:
            live, proposed = live_value(product, name), change[name]
            if isinstance(live, date):
                live = live.isoformat()
        rows.append(
            {
                "name": name,
                "label": FIELD_LABELS[name],
                "live": _shown(name, live),
                "proposed": _shown(name, proposed),
                "live_images": live_images if name == "images" else [],
                "proposed_images": proposed if name == "images" else [],
                "changed": (live or None) != (proposed or None),
            }
        )
    return rows


# -- the private certificate scan ---------------------------------------------------------


@bp.get("/san-pham/<int:product_id>/giay-chung-nhan")
@official_required
def certificate_scan(product_id: int) -> ResponseReturnValue:
    product = _product_or_abort(product_id)
    name = product.certificate_scan
    if request.args.get("ban") == "de-xuat":
        name = (product.pending_changes or {}).get("certificate_scan")
    if not name:
        abort(404)
    try:
        stored = open_scan(name)
    except (ValueError, FileNotFoundError):
        abort(404)
    extension = name.rsplit(".", 1)[1]
    # Scans are small (the upload limit): read at once, so no file handle outlives the request.
    with stored.stream:
        data = stored.stream.read()
    response = Response(data, mimetype=SCAN_TYPES[extension])
    response.headers["Content-Disposition"] = (
        f'inline; filename="giay-chung-nhan-{product.id}.{extension}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
