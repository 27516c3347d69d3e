"""Forms of the trust pages: a certificate record, and the notes that go with a decision
(evidence for a trusted mark, reason for a suspension or a revocation)."""

from __future__ import annotations

from wtforms.validators import InputRequired

from catalog.certificates.certificates import CertificateData
from catalog.models.certificates import EVALUATION_TYPES
from catalog.review.decision_steps import MAX_NOTE
from catalog.web.edit_conflicts import VersionedForm
from catalog.web.fields import DayField, radio_choice
from catalog.web.forms_common import Form, optional, paragraph_field, text_field

DATE_MESSAGE = "Vui lòng nhập ngày (ngày/tháng/năm)."


class CertificateForm(Form):
    decision_no = text_field("Số quyết định công nhận", required=True, max_length=120)
    decision_date = DayField("Ngày quyết định", [InputRequired(message=DATE_MESSAGE)])
    issuing_council = text_field("Cơ quan, hội đồng cấp", required=True, max_length=200)
    stars = radio_choice(
        "Hạng sao OCOP", ((str(n), f"{n} sao") for n in (3, 4, 5)), "Vui lòng chọn hạng sao."
    )
    evaluation_type = radio_choice(
        "Hình thức đánh giá",
        EVALUATION_TYPES.items(),
        "Vui lòng chọn hình thức đánh giá.",
        default="new",
    )
    expires_on = DayField(
        "Ngày hết hạn",
        [optional()],
        description="Ngày/tháng/năm. Để trống: 36 tháng sau ngày quyết định.",
    )
    certificate_no = text_field("Số giấy chứng nhận", optional=True, max_length=80)

    def certificate_data(self) -> CertificateData:
        """The record as the certificates service takes it (once the form validated)."""
        return CertificateData(
            decision_no=self.decision_no.data,
            decision_date=self.decision_date.data,
            issuing_council=self.issuing_council.data,
            stars=int(self.stars.data),
            evaluation_type=self.evaluation_type.data,
            expires_on=self.expires_on.data,
            certificate_no=self.certificate_no.data or None,
        )


class NoteForm(Form):
    """One note, required: evidence for a mark, reason for a suspension or revocation."""

    note = paragraph_field("Ghi chú", required=True, max_length=MAX_NOTE)


class OptionalNoteForm(Form):
    note = paragraph_field("Ghi chú", max_length=MAX_NOTE)


class VerifyCertificateForm(VersionedForm):
    """Verify a certificate: the CSRF token and the version of the record the page showed
    (a decision on a record someone changed meanwhile is refused, 409)."""


class RevokeCertificateForm(VersionedForm):
    """Revoke a certificate: the reason, and the version of the record the page showed."""

    note = paragraph_field("Ghi chú", required=True, max_length=MAX_NOTE)
