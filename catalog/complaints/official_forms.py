"""Officials' forms on a complaint: one step of handling, and hiding the listing."""

from __future__ import annotations

from typing import Any

from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from catalog.complaints.complaint_handling import CLOSED, NOTE_MAX, REPLY_MAX, next_statuses
from catalog.models import COMPLAINT_STATES, Complaint
from catalog.web.edit_conflicts import VersionedForm
from catalog.web.forms_common import Form, max_len, multiline_filter, required

KEEP = "Giữ nguyên trạng thái (chỉ gửi trả lời hoặc ghi chú)"


class HandleForm(VersionedForm):
    # Only the allowed next statuses are offered, but any posted value goes to the service,
    # whose refusal ("cannot move from … to …") is clearer than "not a valid choice".
    status = RadioField("Trạng thái mới", default="", validate_choice=False)
    reply = TextAreaField(
        "Trả lời người phản ánh",
        filters=[multiline_filter],
        validators=[max_len(REPLY_MAX)],
    )
    note = TextAreaField(
        "Ghi chú nội bộ",
        filters=[multiline_filter],
        validators=[max_len(NOTE_MAX)],
    )

    def __init__(self, *args: Any, complaint: Complaint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(complaint)

    def offer(self, complaint: Complaint) -> None:
        """The statuses the complaint may move to from where it is now."""
        choices = [SelectChoice("", KEEP)]
        for status in next_statuses(complaint):
            label = COMPLAINT_STATES[status]
            if complaint.status in CLOSED:
                label = f"Mở lại: {label.lower()}"
            choices.append(SelectChoice(status, label))
        self.status.choices = choices


class HideForm(Form):
    reason = TextAreaField(
        "Lý do ẩn sản phẩm",
        filters=[multiline_filter],
        validators=[required(), max_len(NOTE_MAX)],
    )
