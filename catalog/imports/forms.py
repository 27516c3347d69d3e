"""Forms of the officials' import and assisted-onboarding pages (Vietnamese messages)."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from catalog.listings.forms import STAR_CHOICES, ProfileForm
from catalog.web.fields import PriceField, YearField, in_choices, int_or_none, options
from catalog.web.forms_common import Form, email, max_len, multiline_filter, required, strip_filter


class ImportUploadForm(Form):
    file = FileField(
        "Tệp danh sách",
        description="Tệp .csv (UTF-8) hoặc .xlsx, tối đa 5 MB và 5.000 dòng, đúng các cột của "
        "tệp mẫu.",
    )


class ButtonForm(Form):
    """Confirm, discard: the button and its CSRF token only."""


class OnboardProducerForm(ProfileForm):
    """The producer's own profile form, filled in by the official (no logo here)."""

    logo = None  # type: ignore[assignment]


class OnboardProductForm(Form):
    name = StringField(
        "Tên sản phẩm",
        [required(), max_len(200)],
        filters=[strip_filter],
        description="Ví dụ: Hạt dẻ Trùng Khánh.",
    )
    category_id = SelectField(
        "Nhóm sản phẩm OCOP",
        coerce=int_or_none,
        validators=[required(), in_choices()],
        validate_choice=False,
    )
    description = TextAreaField(
        "Mô tả sản phẩm",
        [max_len(5000)],
        filters=[multiline_filter],
        description="Nguyên liệu, cách làm, hương vị, cách bảo quản.",
    )
    price_vnd = PriceField("Giá bán (đồng)", description="Ví dụ 150.000.")
    unit = StringField(
        "Đơn vị tính",
        [max_len(40)],
        filters=[strip_filter],
        description="Ví dụ: kg, hộp 500 g, chai 750 ml.",
    )
    ocop_stars = SelectField(
        "Hạng sao OCOP",
        choices=STAR_CHOICES,
        coerce=int_or_none,
        validators=[in_choices()],
        validate_choice=False,
    )
    certificate_year = YearField("Năm công nhận OCOP")
    photo = FileField("Ảnh sản phẩm", description="Ảnh JPEG, PNG hoặc WebP, tối đa 10 MB.")

    def set_categories(self, categories: Any) -> OnboardProductForm:
        self.category_id.choices = options(
            ((c.id, c.name) for c in categories), "— Chọn nhóm sản phẩm —"
        )
        return self

    def values(self) -> dict[str, Any]:
        names = ("name", "category_id", "description", "price_vnd", "unit", "ocop_stars")
        values = {name: getattr(self, name).data for name in names}
        values["certificate_year"] = self.certificate_year.data
        values["unit"] = values["unit"] or None
        return values


class HandoverForm(Form):
    email = StringField(
        "E-mail của cơ sở",
        [Optional(), max_len(254), email()],
        filters=[strip_filter],
        description="Để trống nếu bạn in liên kết và trao tận tay.",
    )
