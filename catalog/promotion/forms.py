"""Forms of the promotion pages: campaigns, stories, and the CSRF-only action buttons.

The forms check shape (lengths, dates, choices); the services check the rules (scope,
start ≤ end, published products only) and their refusals are put next to the field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from catalog.listings.listings import Upload
from catalog.models import STORY_KINDS, User
from catalog.platform import geo
from catalog.promotion.promotion_common import MAX_ALT, MAX_MARKDOWN, MAX_SUMMARY, MAX_TITLE
from catalog.web.fields import DateTextField, in_choices, int_or_none, options
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
    "Viết theo Markdown: dòng trống tách đoạn, **chữ đậm**, *chữ nghiêng*, “- ” đầu dòng "
    "cho danh sách, “## ” cho tiêu đề mục, [chữ](https://...) cho liên kết."
)


_date_required = InputRequired(message=REQUIRED)


class DayField(DateTextField):
    """A date shown back as ISO (what <input type=date> needs) once it parsed; the typed
    text only when it did not (the template then renders a text input)."""

    def _value(self) -> str:
        if isinstance(self.data, date):
            return self.data.isoformat()
        return super()._value()


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


class CampaignForm(Form):
    title = StringField(
        "Tên chương trình",
        [required(), max_len(MAX_TITLE)],
        filters=[strip_filter],
        description="Ví dụ: Tháng hàng Việt 2026, Hội chợ OCOP Cao Bằng.",
    )
    # InputRequired, not DataRequired: the latter would replace "Ngày không hợp lệ".
    starts_on = DayField("Ngày bắt đầu", [_date_required], description="Ví dụ 01/11/2026.")
    ends_on = DayField("Ngày kết thúc", [_date_required], description="Ví dụ 30/11/2026.")
    province_id = SelectField(
        "Phạm vi", coerce=int_or_none, validators=[in_choices()], validate_choice=False
    )
    summary = TextAreaField(
        "Tóm tắt",
        [max_len(MAX_SUMMARY)],
        filters=[multiline_filter],
        description="Một hai câu hiện trên trang chủ và danh sách chương trình.",
    )
    description = TextAreaField(
        "Nội dung", [max_len(MAX_MARKDOWN)], filters=[_raw], description=MARKDOWN_HINT
    )
    banner = FileField("Ảnh bìa", description=IMAGE_HINT)
    banner_alt = StringField(
        "Mô tả ảnh bìa",
        [max_len(MAX_ALT)],
        filters=[strip_filter],
        description="Nội dung ảnh, cho người dùng trình đọc màn hình. Bắt buộc khi có ảnh.",
    )

    def setup(self, user: User) -> CampaignForm:
        self.province_id.choices = province_options(user, nationwide=True)
        return self

    def values(self) -> dict[str, Any]:
        return {
            name: self[name].data
            for name in (
                "title",
                "starts_on",
                "ends_on",
                "province_id",
                "summary",
                "description",
                "banner_alt",
            )
        }

    def upload(self) -> Upload | None:
        data = self.banner.data
        return Upload(data.stream, data.filename or "") if data and data.filename else None


class StoryForm(Form):
    title = StringField("Tiêu đề", [required(), max_len(MAX_TITLE)], filters=[strip_filter])
    kind = RadioField(
        "Loại bài viết",
        choices=[SelectChoice(value, label) for value, label in STORY_KINDS.items()],
        validators=[required()],
    )
    province_id = SelectField(
        "Tỉnh, thành phố", coerce=int_or_none, validators=[in_choices()], validate_choice=False
    )
    campaign_id = SelectField(
        "Thuộc chương trình", coerce=int_or_none, validators=[in_choices()], validate_choice=False
    )
    summary = TextAreaField(
        "Tóm tắt",
        [max_len(MAX_SUMMARY)],
        filters=[multiline_filter],
        description="Một hai câu hiện ở danh sách bài viết.",
    )
    body = TextAreaField(
        "Nội dung", [max_len(MAX_MARKDOWN)], filters=[_raw], description=MARKDOWN_HINT
    )
    cover = FileField("Ảnh bìa", description=IMAGE_HINT)
    cover_alt = StringField(
        "Mô tả ảnh bìa",
        [max_len(MAX_ALT)],
        filters=[strip_filter],
        description="Nội dung ảnh, cho người dùng trình đọc màn hình. Bắt buộc khi có ảnh.",
    )

    def setup(self, user: User, campaigns: list) -> StoryForm:  # type: ignore[type-arg]
        self.province_id.choices = province_options(user, nationwide=True)
        self.campaign_id.choices = options(
            ((c.id, c.title) for c in campaigns), "— Không thuộc chương trình nào —"
        )
        return self

    def values(self) -> dict[str, Any]:
        return {
            name: self[name].data
            for name in (
                "title",
                "kind",
                "province_id",
                "campaign_id",
                "summary",
                "body",
                "cover_alt",
            )
        }

    def upload(self) -> Upload | None:
        data = self.cover.data
        return Upload(data.stream, data.filename or "") if data and data.filename else None
