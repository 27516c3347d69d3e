"""Forms of the promotion pages: campaigns, stories, and the CSRF-only action buttons.

The forms check shape (lengths, dates, choices); the services check the rules (scope,
start ≤ end, published products only) and their refusals are put next to the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from catalog.listings.listing_uploads import Upload
from catalog.models import STORY_KINDS, Campaign, User
from catalog.platform import geo
from catalog.promotion.promotion_common import MAX_ALT, MAX_MARKDOWN, MAX_SUMMARY, MAX_TITLE
from catalog.web.edit_conflicts import VersionedForm
from catalog.web.fields import DayField, in_choices, int_or_none, options
from catalog.web.forms_common import (
    REQUIRED,
    Form,
    max_len,
    multiline_filter,
    required,
    strip_filter,
)

IMAGE_HINT = "Ảnh JPEG, PNG hoặc WebP, tối đa 10 MB; nên dùng ảnh ngang."
MARKDOWN_HINT = (
    "Định dạng: **đậm**, *nghiêng*, - danh sách, ## tiêu đề mục, [liên kết](https://…); "
    "một dòng trống giữa hai đoạn. Bấm “Xem trước” để xem như trên trang công khai."
)


_date_required = InputRequired(message=REQUIRED)


class ActionForm(Form):
    """A button that changes something: only the CSRF token is checked."""


def _raw(value: Any) -> Any:
    """Markdown keeps its spacing; only Windows line ends are unified."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def province_options(user: User, nationwide: bool) -> list[SelectChoice]:
    """The user's provinces (admins: all, plus "Toàn quốc" where allowed)."""
    provinces = geo.all_provinces() if user.role == "admin" else user.provinces
    pairs = sorted(((p.id, p.name) for p in provinces), key=lambda pair: pair[1])
    empty = "Toàn quốc" if nationwide and user.role == "admin" else "— Chọn tỉnh, thành phố —"
    return options(pairs, empty)


def _id_choice(label: str) -> SelectField:
    """A select of ids the view fills in; garbage is refused in Vietnamese, not with a 400."""
    return SelectField(label, coerce=int_or_none, validators=[in_choices()], validate_choice=False)


def _summary(description: str) -> TextAreaField:
    return TextAreaField(
        "Tóm tắt", [max_len(MAX_SUMMARY)], filters=[multiline_filter], description=description
    )


def _markdown() -> TextAreaField:
    return TextAreaField(
        "Nội dung", [max_len(MAX_MARKDOWN)], filters=[_raw], description=MARKDOWN_HINT
    )


def _picture_alt() -> StringField:
    """The cover image's text alternative (the service requires it once there is an image)."""
    return StringField(
        "Mô tả ảnh bìa",
        [max_len(MAX_ALT)],
        filters=[strip_filter],
        description="Nội dung ảnh, cho người dùng trình đọc màn hình. Bắt buộc khi có ảnh.",
    )


class PromotionForm(VersionedForm):
    """What the campaign and story forms share: the values their service takes, one picture
    upload (campaigns call it a banner, stories a cover), and the version of the entry being
    edited."""

    PICTURE = ""
    MARKDOWN: tuple[str, ...] = ()  # the fields the "Xem trước" button can preview

    def values(self) -> dict[str, Any]:
        """Every field but the picture, the CSRF token and the version, for the service to
        check."""
        skip = {self.PICTURE, self.meta.csrf_field_name, "version"}
        return {field.name: field.data for field in self if field.name not in skip}

    def upload(self) -> Upload | None:
        data = self[self.PICTURE].data
        return Upload(data.stream, data.filename or "") if data and data.filename else None


class CampaignForm(PromotionForm):
    PICTURE = "banner"
    MARKDOWN = ("description",)

    title = StringField(
        "Tên chương trình",
        [required(), max_len(MAX_TITLE)],
        filters=[strip_filter],
        description="Ví dụ: Tháng hàng Việt 2026, Hội chợ OCOP Cao Bằng.",
    )
    # InputRequired, not DataRequired: the latter would replace "Ngày không hợp lệ".
    starts_on = DayField(
        "Ngày bắt đầu", [_date_required], description="Ngày/tháng/năm, ví dụ 01/11/2026."
    )
    ends_on = DayField(
        "Ngày kết thúc", [_date_required], description="Ngày/tháng/năm, ví dụ 30/11/2026."
    )
    province_id = _id_choice("Phạm vi")
    summary = _summary("Một hai câu hiện trên trang chủ và danh sách chương trình.")
    description = _markdown()
    banner = FileField("Ảnh bìa", description=IMAGE_HINT)
    banner_alt = _picture_alt()

    def setup(self, user: User) -> CampaignForm:
        self.province_id.choices = province_options(user, nationwide=True)
        return self


class StoryForm(PromotionForm):
    PICTURE = "cover"
    MARKDOWN = ("body",)

    title = StringField("Tiêu đề", [required(), max_len(MAX_TITLE)], filters=[strip_filter])
    kind = RadioField(
        "Loại bài viết",
        choices=[SelectChoice(value, label) for value, label in STORY_KINDS.items()],
        validators=[required()],
    )
    province_id = _id_choice("Tỉnh, thành phố")
    campaign_id = _id_choice("Thuộc chương trình")
    summary = _summary("Một hai câu hiện ở danh sách bài viết.")
    body = _markdown()
    cover = FileField("Ảnh bìa", description=IMAGE_HINT)
    cover_alt = _picture_alt()

    def setup(self, user: User, campaigns: Sequence[Campaign]) -> StoryForm:
        self.province_id.choices = province_options(user, nationwide=True)
        self.campaign_id.choices = options(
            ((c.id, c.title) for c in campaigns), "— Không thuộc chương trình nào —"
        )
        return self
