"""The officials' decision form: one decision and a note (the service judges the rest)."""

from __future__ import annotations

from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from catalog.review.moderation import MAX_NOTE
from catalog.web.forms_common import Form, max_len, multiline_filter

DECISION_LABELS = {
    "approve": "Duyệt",
    "request_changes": "Yêu cầu chỉnh sửa",
    "reject": "Từ chối",
}


class DecisionForm(Form):
    decision = RadioField(
        "Quyết định",
        choices=[SelectChoice(value, label) for value, label in DECISION_LABELS.items()],
        validators=[InputRequired(message="Vui lòng chọn một quyết định.")],
    )
    note = TextAreaField(
        "Ghi chú cho cơ sở",
        filters=[multiline_filter],
        validators=[max_len(MAX_NOTE)],
    )

    def __init__(self, *args: object, claim: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if claim:  # a claim is accepted or refused, never sent back
            self.decision.choices = [
                SelectChoice("approve", "Chấp nhận"),
                SelectChoice("reject", "Từ chối"),
            ]
