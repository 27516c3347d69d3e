"""Forms of the producer's self-service pages, with Vietnamese messages."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    Field,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)

from catalog.listings import profiles
from catalog.models import OCOP_STARS, PRODUCER_TYPES
from catalog.web.fields import (
    DateTextField,
    PriceField,
    YearField,
    facebook_link,
    in_choices,
    int_or_none,
    options,
    zalo_contact,
)
from catalog.web.forms_common import (
    Form,
    email,
    max_len,
    multiline_filter,
    optional,
    phone,
    required,
    strip_filter,
    tax_code,
    web_url,
)


class ProfileForm(Form):
    name = StringField(
        "Tên cơ sở",
        [required(), max_len(200)],
        filters=[strip_filter],
        description="Theo giấy đăng ký kinh doanh, ví dụ: Hợp tác xã Chè Tân Cương.",
    )
    type = SelectField(
        "Loại hình",
        choices=options(PRODUCER_TYPES.items(), "— Chọn loại hình —"),
        validators=[required(), in_choices()],
        validate_choice=False,
    )
    tax_code = StringField(
        "Mã số thuế",
        [max_len(20), tax_code],
        filters=[strip_filter],
        description="10 số (13 số nếu là chi nhánh). Hộ kinh doanh: số định danh cá nhân 12 số.",
    )
    representative = StringField(
        "Người đại diện",
        [required(), max_len(200)],
        filters=[strip_filter],
        description="Họ tên giám đốc, chủ nhiệm hợp tác xã hoặc chủ hộ.",
    )
    province_id = SelectField(
        "Tỉnh, thành phố",
        coerce=int_or_none,
        validators=[required(), in_choices()],
        validate_choice=False,
    )
    ward_code = SelectField(
        "Phường, xã, đặc khu",
        coerce=int_or_none,
        validators=[required(), in_choices("Phường/xã này không thuộc tỉnh đã chọn.")],
        validate_choice=False,
        description="Theo địa giới mới từ ngày 1/7/2025.",
    )
    address = StringField(
        "Địa chỉ",
        [required(), max_len(300)],
        filters=[strip_filter],
        description="Số nhà, đường, thôn, ấp.",
    )
    phone = StringField(
        "Số điện thoại",
        [required(), phone],
        filters=[strip_filter],
        description="Người mua sẽ gọi số này, ví dụ 0912 345 678.",
    )
    email = StringField(
        "E-mail liên hệ", [optional(), max_len(200), email()], filters=[strip_filter]
    )
    website = StringField("Trang web", [optional(), web_url], filters=[strip_filter])
    facebook_url = StringField(
        "Trang Facebook", [optional(), facebook_link], filters=[strip_filter]
    )
    zalo = StringField(
        "Zalo",
        [optional(), zalo_contact],
        filters=[strip_filter],
        description="Số điện thoại dùng Zalo hoặc đường dẫn zalo.me.",
    )
    description = TextAreaField(
        "Giới thiệu cơ sở",
        [optional(), max_len(3000)],
        filters=[multiline_filter],
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
    tax_code = StringField(
        "Mã số thuế", [required(), max_len(20), tax_code], filters=[strip_filter]
    )
    message = TextAreaField(
        "Lời nhắn cho cán bộ",
        [required(), max_len(2000)],
        filters=[multiline_filter],
        description="Chức vụ của bạn tại cơ sở và cách liên lạc để cán bộ xác minh.",
    )


STAR_CHOICES = options(((n, f"{n} sao") for n in OCOP_STARS), "Chưa được chứng nhận OCOP")


class ListingForm(Form):
    name = StringField(
        "Tên sản phẩm",
        [required(), max_len(200)],
        filters=[strip_filter],
        description="Ví dụ: Chè Tân Cương đặc biệt.",
    )
    category_id = SelectField(
        "Nhóm sản phẩm OCOP",
        coerce=int_or_none,
        validators=[in_choices()],
        validate_choice=False,
    )
    description = TextAreaField(
        "Mô tả sản phẩm",
        [max_len(5000)],
        filters=[multiline_filter],
        description="Ít nhất 30 ký tự: nguyên liệu, cách làm, hương vị, cách bảo quản.",
    )
    province_id = SelectField(
        "Xuất xứ (tỉnh, thành phố)",
        coerce=int_or_none,
        validators=[required(), in_choices()],
        validate_choice=False,
    )
    price_vnd = PriceField(
        "Giá bán (đồng)", description="Ví dụ 150.000. Để trống nếu giá thay đổi."
    )
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
    certificate_no = StringField("Số giấy chứng nhận", [max_len(80)], filters=[strip_filter])
    certificate_decision = StringField(
        "Quyết định công nhận",
        [max_len(120)],
        filters=[strip_filter],
        description="Ví dụ: Quyết định số 1234/QĐ-UBND ngày 12/10/2024.",
    )
    certificate_year = YearField("Năm công nhận")
    certificate_expires_on = DateTextField(
        "Ngày hết hạn", description="Chứng nhận OCOP có giá trị 36 tháng."
    )
    photos = MultipleFileField(
        "Thêm ảnh sản phẩm",
        description="Tối đa 8 ảnh JPEG, PNG hoặc WebP, mỗi ảnh đến 10 MB. Ảnh đầu tiên là ảnh bìa.",
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

    def values(self) -> dict[str, Any]:
        names = (
            "name",
            "category_id",
            "description",
            "province_id",
            "price_vnd",
            "unit",
            "ocop_stars",
            "certificate_no",
            "certificate_decision",
            "certificate_year",
            "certificate_expires_on",
        )
        values = {name: getattr(self, name).data for name in names}
        for name in ("unit", "certificate_no", "certificate_decision"):
            values[name] = values[name] or None
        values["description"] = values["description"] or ""
        return values
