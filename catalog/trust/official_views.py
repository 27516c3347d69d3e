"""Officials' trust pages: producers of their provinces (trusted mark, suspension) and OCOP
certificates (record, verify, revoke, what expires soon).

Routes stay thin: load the entry, check scope (403), hand the decision to
services/trust.py, services/certificates.py or services/moderation.py; a polite refusal is
shown next to the field that caused it (422).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from catalog.catalogue.browse import Page
from catalog.certificates import certificates as certificate_service
from catalog.errors import EditConflict
from catalog.extensions import db
from catalog.listings import quotas
from catalog.models import OcopCertificate, Producer, Product
from catalog.models.certificates import CERTIFICATE_STATES
from catalog.review import moderation
from catalog.trust import trust, verification
from catalog.trust.forms import (
    CertificateForm,
    NoteForm,
    OptionalNoteForm,
    RevokeCertificateForm,
    VerifyCertificateForm,
)
from catalog.web.blueprints import official as bp
from catalog.web.edit_conflicts import Difference, VersionedForm, guard, show_conflict, stamp
from catalog.web.forms_errors import add_error, field_named, show_refusal
from catalog.web.official_access import in_scope, official_required
from catalog.web.params import choice, page_number, query_text

PER_PAGE = 30
STATUS_FILTERS = {"": "Tất cả", **{k: v for k, v in moderation.PRODUCER_STATES.items()}}
TRUST_FILTERS = {"": "Tất cả", "co": "Địa chỉ tin cậy", "khong": "Chưa đánh dấu"}
VERIFIED_FILTERS = {"": "Tất cả", "co": "Đã xác minh", "khong": "Chưa xác minh"}
YES_NO = {"co": True, "khong": False}


def _producer(producer_id: int) -> Producer:
    producer = db.get_or_404(Producer, producer_id)
    in_scope(producer.province_id)
    return producer


def _page_number() -> int:
    return page_number(request.args)


# -- producers --------------------------------------------------------------------------


@bp.get("/co-so-san-xuat")
@official_required
def producers() -> ResponseReturnValue:
    status = choice(request.args, "trang-thai", STATUS_FILTERS, "")
    trusted = choice(request.args, "tin-cay", TRUST_FILTERS, "")
    verified = choice(request.args, "xac-minh", VERIFIED_FILTERS, "")
    text = query_text(request.args, limit=trust.MAX_TEXT)
    page = trust.list_producers(
        current_user,
        trust.ProducerFilters(
            status=status or None,
            trusted=YES_NO.get(trusted),
            verified=YES_NO.get(verified),
            text=text,
            page=_page_number(),
            per_page=PER_PAGE,
        ),
    )
    return render_template(
        "official/producers.html",
        page=page,
        status=status,
        trusted=trusted,
        verified=verified,
        text=text,
        status_filters=STATUS_FILTERS,
        trust_filters=TRUST_FILTERS,
        verified_filters=VERIFIED_FILTERS,
        states=moderation.PRODUCER_STATES,
    )


def _manage_forms() -> dict[str, Any]:
    return {
        "trust_form": NoteForm(prefix="tin-cay"),
        "untrust_form": NoteForm(prefix="bo-tin-cay"),
        "verify_form": NoteForm(prefix="xac-minh"),
        "unverify_form": NoteForm(prefix="bo-xac-minh"),
        "suspend_form": NoteForm(prefix="tam-ngung"),
        "reinstate_form": OptionalNoteForm(prefix="hien-lai"),
    }


def _render_manage(
    producer: Producer, forms: dict[str, Any], status: int = 200
) -> ResponseReturnValue:
    products = sorted(producer.products, key=lambda p: p.name_key)
    return render_template(
        "official/producer_manage.html",
        producer=producer,
        products=products,
        usage=quotas.usage(producer.id),
        state=moderation.PRODUCER_STATES.get(producer.status, producer.status),
        verified_meaning=verification.VERIFIED_MEANING,
        **forms,
    ), status


@bp.get("/co-so-san-xuat/<int:producer_id>")
@official_required
def producer_manage(producer_id: int) -> ResponseReturnValue:
    return _render_manage(_producer(producer_id), _manage_forms())


def _producer_action(
    producer_id: int, form_name: str, act: Callable[[str], object], done: str
) -> ResponseReturnValue:
    """Validate one of the page's forms, run the service; on refusal re-render (422)."""
    producer = _producer(producer_id)
    forms = _manage_forms()
    form = forms[form_name]
    if form.validate_on_submit():
        try:
            act(form.note.data)
        except moderation.ModerationError as exc:
            add_error(form.note, str(exc))
        else:
            flash(done, "success")
            return redirect(url_for("official.producer_manage", producer_id=producer_id))
    db.session.rollback()
    return _render_manage(db.get_or_404(Producer, producer.id), forms, 422)


def _verify(producer_id: int, note: str) -> object:
    return verification.verify_producer(current_user, producer_id, note)


def _unverify(producer_id: int, note: str) -> object:
    return verification.unverify_producer(current_user, producer_id, note)


def _trust(producer_id: int, note: str) -> object:
    return trust.mark_trusted(current_user, producer_id, note)


def _untrust(producer_id: int, note: str) -> object:
    return trust.unmark_trusted(current_user, producer_id, note)


def _suspend(producer_id: int, note: str) -> object:
    return moderation.suspend_producer(producer_id, official=current_user, note=note)


def _reinstate(producer_id: int, note: str) -> object:
    return moderation.reinstate_producer(producer_id, official=current_user, note=note)


# endpoint: (path, the page's form, the decision, what the official is told)
_PRODUCER_ACTIONS: dict[str, tuple[str, str, Callable[[int, str], object], str]] = {
    "producer_trust": (
        "danh-dau-tin-cay",
        "trust_form",
        _trust,
        "Đã đánh dấu cơ sở là địa chỉ tin cậy.",
    ),
    "producer_untrust": (
        "bo-danh-dau-tin-cay",
        "untrust_form",
        _untrust,
        "Đã bỏ đánh dấu địa chỉ tin cậy.",
    ),
    "producer_verify": (
        "xac-minh",
        "verify_form",
        _verify,
        "Đã ghi nhận: cơ sở đã được xác minh.",
    ),
    "producer_unverify": (
        "thu-hoi-xac-minh",
        "unverify_form",
        _unverify,
        "Đã thu hồi nhãn “Đã xác minh”.",
    ),
    "producer_suspend": (
        "tam-ngung",
        "suspend_form",
        _suspend,
        "Đã tạm ngừng hiển thị cơ sở và toàn bộ sản phẩm.",
    ),
    "producer_reinstate": (
        "hien-thi-lai",
        "reinstate_form",
        _reinstate,
        "Cơ sở và các sản phẩm đã được hiển thị trở lại.",
    ),
}


def _action_view(
    form_name: str, decide: Callable[[int, str], object], done: str
) -> Callable[[int], ResponseReturnValue]:
    def view(producer_id: int) -> ResponseReturnValue:
        return _producer_action(
            producer_id, form_name, lambda note: decide(producer_id, note), done
        )

    return official_required(view)


for _endpoint, (_path, _form, _decide, _done) in _PRODUCER_ACTIONS.items():
    bp.add_url_rule(
        f"/co-so-san-xuat/<int:producer_id>/{_path}",
        endpoint=_endpoint,
        view_func=_action_view(_form, _decide, _done),
        methods=["POST"],
    )


# -- certificates -----------------------------------------------------------------------


@bp.get("/chung-nhan")
@official_required
def certificates() -> ResponseReturnValue:
    status = request.args.get("trang-thai", "")
    status = status if status in CERTIFICATE_STATES else ""
    counts = certificate_service.counts(current_user)
    rows = certificate_service.in_scope(current_user, status or None)
    page = Page(items=[], total=len(rows), page=1, per_page=PER_PAGE)
    page.page = min(_page_number(), page.pages)
    start = (page.page - 1) * PER_PAGE
    page.items = rows[start : start + PER_PAGE]
    return render_template(
        "official/certificates.html",
        page=page,
        status=status,
        counts=counts,
        states=CERTIFICATE_STATES,
    )


def _certificate(certificate_id: int) -> OcopCertificate:
    cert = db.get_or_404(OcopCertificate, certificate_id)
    in_scope(cert.product.province_id)
    return cert


@bp.route("/san-pham/<int:product_id>/chung-nhan/moi", methods=["GET", "POST"])
@official_required
def certificate_new(product_id: int) -> ResponseReturnValue:
    product = db.get_or_404(Product, product_id)
    in_scope(product.province_id)
    form = CertificateForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            data = form.certificate_data()
            try:
                cert = certificate_service.record_certificate(current_user, product_id, data)
            except moderation.ModerationError as exc:
                form.form_errors.append(str(exc))
            else:
                flash("Đã ghi nhận chứng nhận OCOP.", "success")
                return redirect(url_for("official.certificate_detail", certificate_id=cert.id))
    return render_template("official/certificate_form.html", form=form, product=product), status


def _render_detail(cert: OcopCertificate, status: int = 200, **forms: Any) -> ResponseReturnValue:
    forms.setdefault("verify_form", stamp(VerifyCertificateForm(prefix="xac-minh"), cert))
    forms.setdefault("revoke_form", stamp(RevokeCertificateForm(prefix="thu-hoi"), cert))
    current = certificate_service.current_certificate(cert.product_id)
    return render_template(
        "official/certificate_detail.html",
        cert=cert,
        product=cert.product,
        is_current=current is not None and current.id == cert.id,
        **forms,
    ), status


@bp.get("/chung-nhan/<int:certificate_id>")
@official_required
def certificate_detail(certificate_id: int) -> ResponseReturnValue:
    return _render_detail(_certificate(certificate_id))


def _certificate_action(
    certificate_id: int, form: VersionedForm, name: str, act: Callable[[], object], done: str
) -> ResponseReturnValue:
    cert = _certificate(certificate_id)
    if form.validate_on_submit():
        try:
            with guard(form, cert):
                act()
        except EditConflict as exc:
            show_conflict(
                form,
                cert,
                rows=lambda: [Difference("Tình trạng", _certificate_state(cert))],
                changed_at=lambda: max(
                    (t for t in (cert.verified_at, cert.revoked_at) if t), default=None
                ),
            )
            return _render_detail(cert, exc.status, **{name: form})
        except moderation.ModerationError as exc:
            show_refusal(form, exc, fallback=field_named(form, "note"))
        else:
            flash(done, "success")
            return redirect(url_for("official.certificate_detail", certificate_id=certificate_id))
    db.session.rollback()
    return _render_detail(db.get_or_404(OcopCertificate, cert.id), 422, **{name: form})


def _certificate_state(cert: OcopCertificate) -> str:
    """What a decision changed: the record's state, verified or not, the revocation reason."""
    if cert.revoked_at is not None:
        return f"{cert.status_label}. Lý do: {cert.revoked_reason or '—'}"
    verified = "đã xác minh" if cert.verified_at is not None else "chưa xác minh"
    return f"{cert.status_label}, {verified}"


@bp.post("/chung-nhan/<int:certificate_id>/xac-minh")
@official_required
def certificate_verify(certificate_id: int) -> ResponseReturnValue:
    return _certificate_action(
        certificate_id,
        VerifyCertificateForm(prefix="xac-minh"),
        "verify_form",
        lambda: certificate_service.verify_certificate(current_user, certificate_id),
        "Đã xác minh chứng nhận.",
    )


@bp.post("/chung-nhan/<int:certificate_id>/thu-hoi")
@official_required
def certificate_revoke(certificate_id: int) -> ResponseReturnValue:
    form = RevokeCertificateForm(prefix="thu-hoi")
    return _certificate_action(
        certificate_id,
        form,
        "revoke_form",
        lambda: certificate_service.revoke_certificate(
            current_user, certificate_id, form.note.data
        ),
        "Đã thu hồi chứng nhận; sản phẩm không còn hiển thị hạng sao.",
    )
