"""The report filter: a period (a preset or from/to dates) and a province, sent by GET so a
report has an address an official can bookmark or send a colleague (no CSRF: it changes
nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from catalog.models import Province
from catalog.reports.report_periods import PRESETS
from catalog.web.fields import DayField
from catalog.web.forms_common import Form


class ReportFilterForm(Form):
    class Meta:
        csrf = False

    ky = SelectField(
        "Kỳ báo cáo",
        choices=[SelectChoice(key, label) for key, label in PRESETS.items()],
        default="nam-nay",
        validators=[Optional()],
    )
    nam = IntegerField(
        "Năm",
        validators=[
            Optional(),
            NumberRange(2000, 2100, message="Năm phải trong khoảng 2000 đến 2100."),
        ],
    )
    tu = DayField("Từ ngày", [Optional()])
    den = DayField("Đến ngày", [Optional()])
    tinh = SelectField("Tỉnh, thành phố", validators=[Optional()])

    def __init__(self, formdata: Any, *, provinces: Iterable[Province], everyone: str) -> None:
        super().__init__(formdata)
        self.tinh.choices = [SelectChoice("", everyone)] + [
            SelectChoice(str(p.id), p.name) for p in provinces
        ]

    @property
    def custom(self) -> bool:
        """From/to dates win over the preset when either is given."""
        return self.tu.data is not None or self.den.data is not None

    @property
    def province_id(self) -> int | None:
        return int(self.tinh.data) if self.tinh.data else None
