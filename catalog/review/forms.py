"""The officials' decision form: one decision and a note (the service judges the rest)."""

from __future__ import annotations

from wtforms.fields.choices import SelectChoice

from catalog.review.decision_steps import MAX_NOTE
from catalog.web.fields import radio_choice
from catalog.web.forms_common import Form, paragraph_field

DECISION_LABELS = {
    "approve": "Duyệt",
    "request_changes": "Yêu cầu chỉnh sửa",
    "reject": "Từ chối",
}


class DecisionForm(Form):
    decision = radio_choice("Quyết định", DECISION_LABELS.items(), "Vui lòng chọn một quyết định.")
    note = paragraph_field("Ghi chú cho cơ sở", max_length=MAX_NOTE)

    def __init__(self, *args: object, claim: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if claim:  # a claim is accepted or refused, never sent back
            self.decision.choices = [
                SelectChoice("approve", "Chấp nhận"),
                SelectChoice("reject", "Từ chối"),
            ]
