"""The shapes of a report's figures: counts, breakdowns, monthly timelines, campaigns and the
report itself, plain frozen data that the page, the charts and the exports all read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from catalog.reports.report_periods import LOCAL_TZ, Period, Scope


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: tuple[Count, ...]

    @property
    def total(self) -> int:
        return sum(row.value for row in self.rows)

    def value(self, key: str) -> int:
        return next((row.value for row in self.rows if row.key == key), 0)


@dataclass(frozen=True)
class Timeline:
    title: str
    months: tuple[str, ...]  # "01/2026"
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (name, one value per month)

    def totals(self) -> tuple[int, ...]:
        return tuple(sum(values) for _, values in self.series)


@dataclass(frozen=True)
class CampaignFigure:
    id: int
    title: str
    starts_on: date
    ends_on: date
    province: str
    products: int


@dataclass(frozen=True)
class KeyNumbers:
    public_products: int
    starred_products: int
    producers: int
    trusted_producers: int
    new_producers: int
    new_products: int
    approvals: int
    complaints_received: int
    complaints_closed: int
    campaigns: int
    campaign_products: int


@dataclass(frozen=True)
class Report:
    period: Period
    scope: Scope
    generated_at: datetime
    key: KeyNumbers
    by_province: Breakdown
    by_group: Breakdown
    by_stars: Breakdown
    producers_by_type: Breakdown
    producers_by_status: Breakdown
    certificates: Breakdown
    complaints_by_status: Breakdown
    complaints_by_kind: Breakdown
    registrations: Timeline
    approvals: Timeline
    campaigns: tuple[CampaignFigure, ...]

    @property
    def generated_text(self) -> str:
        """When it was drawn up, in Vietnam's time: "14:05 23/11/2026"."""
        return self.generated_at.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")

    def breakdowns(self) -> tuple[Breakdown, ...]:
        """The tables in the order the page, the summary sheet and the CSV show them."""
        return (
            self.by_province,
            self.by_group,
            self.by_stars,
            self.producers_by_type,
            self.producers_by_status,
            self.certificates,
            self.complaints_by_status,
            self.complaints_by_kind,
        )


def month_label(key: str) -> str:
    """ "2026-01" → "01/2026"."""
    year, month = key.split("-")
    return f"{month}/{year}"
