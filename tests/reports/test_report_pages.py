"""The report pages are valid HTML (Nu checker, inline SVG charts included), pass axe-core
with no serious or critical violation and fit a 390-px phone."""

from __future__ import annotations

import pytest

from tests.factories import create_user
from tests.page_checks import browser_page_problems, html_problems, rendered
from tests.reports.support import build_catalogue

PAGES = {
    "reports": "/quan-ly/bao-cao",
    "reports-last-year": "/quan-ly/bao-cao?ky=ca-nam&nam=2025",
    "reports-error": "/quan-ly/bao-cao?tu=2026-05-01&den=2026-04-01",
}
STATUSES = {"reports-error": 422}  # the dates the wrong way round


def test_report_pages_are_valid_html(client, login_as, tmp_path):
    catalogue = build_catalogue()
    login_as(catalogue.curator)
    documents = rendered(client, PAGES, statuses=STATUSES)
    login_as(create_user("admin"))
    documents["reports-admin"] = client.get(PAGES["reports"]).get_data(as_text=True)
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_report_pages_pass_axe_and_fit_phones(app, client, login_as):
    catalogue = build_catalogue()
    login_as(catalogue.curator)
    assert browser_page_problems(app, PAGES, client=client, statuses=STATUSES) == []
