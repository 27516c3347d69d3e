"""Forms of the trust pages: a certificate record, and the notes that go with a decision
(evidence for a trusted mark, reason for a suspension or a revocation)."""

from __future__ import annotations

from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from catalog.models.certificates import EVALUATION_TYPES
from catalog.review.moderation import MAX_NOTE
from catalog.web.forms_common import (
    Form,
    max_len,
    multiline_filter,
    optional,
    required,
    strip_filter,
)

DATE_MESSAGE = "Vui lòng nhập ngày (ngày/tháng/năm)."


class IsoDateField(DateField):
    """A date input that never echoes back text that is not a date: `<input type=date>`
    only accepts YYYY-MM-DD (anything else is invalid HTML and shown empty anyway)."""

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""


class CertificateForm(Form):
    decision_no = StringField(
        "Số quyết định công nhận",
        filters=[strip_filter],
        validators=[required(), max_len(120)],
    )
    decision_date = IsoDateField(
        "Ngày quyết định", validators=[InputRequired(message=DATE_MESSAGE)]
    )
    issuing_council = StringField(
        "Cơ quan, hội đồng cấp",
        filters=[strip_filter],
        validators=[required(), max_len(200)],
    )
    stars = RadioField(
        "Hạng sao OCOP",
        choices=[SelectChoice(str(n), f"{n} sao") for n in (3, 4, 5)],
        validators=[InputRequired(message="Vui lòng chọn hạng sao.")],
    )
    evaluation_type = RadioField(
        "Hình thức đánh giá",
        choices=[SelectChoice(value, label) for value, label in EVALUATION_TYPES.items()],
        default="new",
        validators=[InputRequired(message="Vui lòng chọn hình thức đánh giá.")],
    )
    expires_on = IsoDateField("Ngày hết hạn", validators=[optional()])
    certificate_no = StringField(
        "Số giấy chứng nhận", filters=[strip_filter], validators=[optional(), max_len(80)]
    )


class NoteForm(Form):
    """One note, required: evidence for a mark, reason for a suspension or revocation."""

    note = TextAreaField(
        "Ghi chú",
        filters=[multiline_filter],
        validators=[required(), max_len(MAX_NOTE)],
    )


class OptionalNoteForm(Form):
    note = TextAreaField("Ghi chú", filters=[multiline_filter], validators=[max_len(MAX_NOTE)])


class ConfirmForm(Form):
    """Only the CSRF token: a one-click action (verify a certificate)."""
