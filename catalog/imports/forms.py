"""Forms of the officials' import and assisted-onboarding pages (Vietnamese messages)."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField

from catalog.listings.forms import (
    ProfileForm,
    product_description_field,
    product_name_field,
    stars_field,
    unit_field,
)
from catalog.web.fields import PriceField, YearField, options
from catalog.web.forms_common import Form, email_field, id_select


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

    logo = None  # WTForms drops a field set to None in a subclass


class OnboardProductForm(Form):
    name = product_name_field("Hạt dẻ Trùng Khánh")
    category_id = id_select("Nhóm sản phẩm OCOP", required=True)
    description = product_description_field("Nguyên liệu, cách làm, hương vị, cách bảo quản.")
    price_vnd = PriceField("Giá bán (đồng)", description="Ví dụ 150.000.")
    unit = unit_field()
    ocop_stars = stars_field()
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
    email = email_field(
        "E-mail của cơ sở", 254, description="Để trống nếu bạn in liên kết và trao tận tay."
    )
