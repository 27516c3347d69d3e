"""Forms of the producer's self-service pages, with Vietnamese messages."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from catalog.catalogue.season_labels import AVAILABILITY_LABELS
from catalog.listings import profiles
from catalog.listings.listing_values import EDITABLE
from catalog.models import OCOP_STARS, PRODUCER_TYPES
from catalog.models.seasons import MONTHS, months_to_mask
from catalog.models.statuses import Availability
from catalog.web.edit_conflicts import VersionedForm
from catalog.web.fields import (
    DayField,
    PriceField,
    YearField,
    facebook_link,
    in_choices,
    options,
    zalo_contact,
)
from catalog.web.forms_common import (
    Form,
    email_field,
    id_select,
    paragraph_field,
    phone_field,
    required,
    tax_code,
    text_field,
    web_url,
)


class ProfileForm(VersionedForm):
    name = text_field(
        "Tên cơ sở",
        required=True,
        max_length=200,
        description="Theo giấy đăng ký kinh doanh, ví dụ: Hợp tác xã Chè Tân Cương.",
    )
    type = SelectField(
        "Loại hình",
        choices=options(PRODUCER_TYPES.items(), "— Chọn loại hình —"),
        validators=[required(), in_choices()],
        validate_choice=False,
    )
    tax_code = text_field(
        "Mã số thuế",
        tax_code,
        max_length=20,
        description="10 số (13 số nếu là chi nhánh). Hộ kinh doanh: số định danh cá nhân 12 số.",
    )
    representative = text_field(
        "Người đại diện",
        required=True,
        max_length=200,
        description="Họ tên giám đốc, chủ nhiệm hợp tác xã hoặc chủ hộ.",
    )
    province_id = id_select("Tỉnh, thành phố", required=True)
    ward_code = id_select(
        "Phường, xã, đặc khu",
        required=True,
        invalid="Phường/xã này không thuộc tỉnh đã chọn.",
        description="Theo địa giới mới từ ngày 1/7/2025.",
    )
    address = text_field(
        "Địa chỉ", required=True, max_length=300, description="Số nhà, đường, thôn, ấp."
    )
    phone = phone_field(
        "Số điện thoại",
        required=True,
        description="Người mua sẽ gọi số này, ví dụ 0912 345 678.",
    )
    email = email_field("E-mail liên hệ", 200)
    website = text_field("Trang web", web_url, optional=True)
    facebook_url = text_field("Trang Facebook", facebook_link, optional=True)
    zalo = text_field(
        "Zalo",
        zalo_contact,
        optional=True,
        description="Số điện thoại dùng Zalo hoặc đường dẫn zalo.me.",
    )
    description = paragraph_field(
        "Giới thiệu cơ sở",
        optional=True,
        max_length=3000,
        description="Lịch sử, vùng nguyên liệu, cách làm: điều người mua muốn biết.",
    )
    logo = FileField("Logo hoặc ảnh cơ sở", description="Ảnh JPEG, PNG hoặc WebP, tối đa 10 MB.")
    accepts_orders = BooleanField(
        "Nhận yêu cầu đặt hàng qua Chợ Việt",
        description="Người mua chọn số lượng và gửi yêu cầu; bạn nhận e-mail, gọi điện xác nhận "
        "rồi giao hàng, thu tiền như vẫn làm. Bỏ chọn: trang sản phẩm chỉ hiện cách liên hệ.",
    )

    def validate_tax_code(self, field: Field) -> None:
        kind = self.type.data
        if not field.data:
            if kind and kind != "to_hop_tac":
                raise ValidationError("Vui lòng nhập mã số thuế.")
            return
        if len(field.data) == 12 and kind in ("doanh_nghiep", "hop_tac_xa"):
            raise ValidationError(
                "Doanh nghiệp và hợp tác xã dùng mã số thuế 10 số (13 số nếu là chi nhánh)."
            )

    def values(self) -> dict[str, Any]:
        """The profile fields the service takes (profiles.FIELDS), empty ones as None."""
        values = {name: getattr(self, name).data or None for name in profiles.FIELDS}
        return values | {"name": self.name.data, "accepts_orders": bool(self.accepts_orders.data)}


class ClaimForm(Form):
    tax_code = text_field("Mã số thuế", tax_code, required=True, max_length=20)
    message = paragraph_field(
        "Lời nhắn cho cán bộ",
        required=True,
        max_length=2000,
        description="Chức vụ của bạn tại cơ sở và cách liên lạc để cán bộ xác minh.",
    )


STAR_CHOICES = options(((n, f"{n} sao") for n in OCOP_STARS), "Chưa được chứng nhận OCOP")


# The product fields a producer's listing form and an official's onboarding form share.


def product_name_field(example: str) -> Any:
    return text_field(
        "Tên sản phẩm", required=True, max_length=200, description=f"Ví dụ: {example}."
    )


def product_description_field(hint: str) -> Any:
    return paragraph_field("Mô tả sản phẩm", max_length=5000, description=hint)


def unit_field() -> Any:
    return text_field(
        "Đơn vị tính", max_length=40, description="Ví dụ: kg, hộp 500 g, chai 750 ml."
    )


def stars_field() -> Any:
    return id_select("Hạng sao OCOP", choices=STAR_CHOICES)


class ListingForm(VersionedForm):
    name = product_name_field("Chè Tân Cương đặc biệt")
    category_id = id_select("Nhóm sản phẩm OCOP")
    description = product_description_field(
        "Ít nhất 30 ký tự: nguyên liệu, cách làm, hương vị, cách bảo quản."
    )
    province_id = id_select("Xuất xứ (tỉnh, thành phố)", required=True)
    price_vnd = PriceField(
        "Giá bán (đồng)", description="Ví dụ 150.000. Để trống nếu giá thay đổi."
    )
    unit = unit_field()
    ocop_stars = stars_field()
    certificate_no = text_field("Số giấy chứng nhận", max_length=80)
    certificate_decision = text_field(
        "Quyết định công nhận",
        max_length=120,
        description="Ví dụ: Quyết định số 1234/QĐ-UBND ngày 12/10/2024.",
    )
    certificate_year = YearField("Năm công nhận")
    certificate_expires_on = DayField(
        "Ngày hết hạn", description="Ngày/tháng/năm; chứng nhận OCOP có giá trị 36 tháng."
    )
    photos = MultipleFileField(
        "Thêm ảnh sản phẩm",
        description="Tối đa 8 ảnh JPEG, PNG hoặc WebP, mỗi ảnh đến 10 MB. Ảnh đầu tiên là ảnh bìa.",
    )
    availability = RadioField(
        "Tình trạng hàng",
        choices=[SelectChoice(key, label) for key, label in AVAILABILITY_LABELS.items()],
        default=Availability.IN_STOCK,
        # A form without the group (an older page, a script) keeps the product's stock as is.
        validators=[Optional()],
        description="Thay đổi tình trạng hàng, giá và đơn vị tính hiển thị ngay, không chờ duyệt.",
    )
    harvest_months = SelectMultipleField(
        "Tháng thu hoạch",
        coerce=int,
        choices=[SelectChoice(month, f"Tháng {month}") for month in MONTHS],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description="Với hàng theo mùa: các tháng có hàng.",
    )
    certificate_scan = FileField(
        "Bản chụp giấy chứng nhận OCOP",
        description="PDF hoặc ảnh, tối đa 10 MB. Chỉ cán bộ xem được, không hiển thị công khai.",
    )

    def validate_certificate_year(self, field: Field) -> None:
        if self.ocop_stars.data and field.data is None and self.certificate_expires_on.data is None:
            raise ValidationError("Vui lòng nhập năm công nhận OCOP.")

    def validate_certificate_expires_on(self, field: Field) -> None:
        year = self.certificate_year.data
        if field.data is not None and year is not None and field.data.year < year:
            raise ValidationError("Ngày hết hạn phải sau năm công nhận.")

    def validate_harvest_months(self, field: Field) -> None:
        if self.availability.data == Availability.SEASONAL and not field.data:
            raise ValidationError("Vui lòng chọn ít nhất một tháng thu hoạch.")

    def values(self) -> dict[str, Any]:
        """The editable values the service takes; the scan, a file, is sent on its own."""
        names = [name for name in EDITABLE if name != "certificate_scan"]
        values = {name: getattr(self, name).data for name in names}
        seasonal = values["availability"] == Availability.SEASONAL
        values["harvest_months"] = months_to_mask(values["harvest_months"] or ()) if seasonal else 0
        if not self.availability.raw_data or not self.availability.raw_data[0]:
            del values["availability"], values["harvest_months"]
        for name in ("unit", "certificate_no", "certificate_decision"):
            values[name] = values[name] or None
        values["description"] = values["description"] or ""
        return values
