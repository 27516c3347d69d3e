"""Forms of the review queue: bulk approval (CSRF only: the selection is read from the
checkboxes) and the completion of imported entries (only the missing fields)."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField

from catalog.models import PRODUCER_TYPES
from catalog.platform import geo
from catalog.web.fields import in_choices, int_or_none, options
from catalog.web.forms_common import Form, email_field, phone_field, text_field


class BulkApproveForm(Form):
    """The selected rows come as `muc` values ("producer:12"); the service judges each."""


class CompleteProducerForm(Form):
    type = SelectField(
        "Loại hình",
        choices=options(PRODUCER_TYPES.items(), "— Chọn loại hình —"),
        validators=[in_choices(allow_empty=False)],
        validate_choice=False,
    )
    phone = phone_field("Số điện thoại")
    email = email_field("E-mail liên hệ", 200)
    address = text_field("Địa chỉ", optional=True, max_length=300)

    def __init__(self, *args: Any, gaps: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "type" not in gaps:
            del self.type
        if "contact" not in gaps:
            del self.phone, self.email, self.address

    def values(self) -> dict[str, Any]:
        names = ("type", "phone", "email", "address")
        return {name: self[name].data for name in names if name in self}


class CompleteProductForm(Form):
    category_id = SelectField(
        "Nhóm sản phẩm OCOP",
        coerce=int_or_none,
        validators=[in_choices(allow_empty=False)],
        validate_choice=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category_id.choices = options(
            ((c.id, c.name) for c in geo.all_categories()), "— Chọn nhóm sản phẩm —"
        )

    def values(self) -> dict[str, Any]:
        return {"category_id": self.category_id.data}
