"""The import and assisted-onboarding pages are valid HTML (Nu) and pass axe-core with no
serious or critical violation at desktop and phone widths, without sideways scrolling."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from catalog.extensions import db
from catalog.imports import web_imports
from catalog.models import ImportBatch
from catalog.onboarding import onboarding
from tests.factories import create_producer, create_user, province
from tests.forms import post_form
from tests.helpers import csv_bytes, row
from tests.page_checks import browser_page_problems, html_problems, rendered


def pages(client, official) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every page of the area, with data in it, as (name → URL)."""
    batch = web_imports.upload(
        official,
        csv_bytes(row(), row(product_name="Gà", ocop_stars="9"), row(product_name="N")),
        "danh-sach.csv",
    )
    done = web_imports.upload(official, csv_bytes(row(product_name="Nhãn")), "xong.csv")
    web_imports.confirm(official, done.id)
    producer = create_producer("HTX Miến dong Nguyên Bình", source="official")
    onboarding.issue_handover(official, producer, "chu@example.vn")
    printed = onboarding.issue_handover(official, producer)
    with client.session_transaction() as session:
        session["handover_print"] = {"handover": printed.handover.id, "url": printed.url}
    handover = onboarding.issue_handover(official, create_producer(source="official"), "x@ex.vn")
    return {
        "imports": "/quan-ly/nhap-danh-sach",
        "import-preview": f"/quan-ly/nhap-danh-sach/{batch.id}",
        "import-done": f"/quan-ly/nhap-danh-sach/{done.id}",
        "onboard-producer": "/quan-ly/dang-ky-ho",
        "onboard-products": f"/quan-ly/dang-ky-ho/{producer.id}/san-pham",
        "onboard-handover": f"/quan-ly/dang-ky-ho/{producer.id}/ban-giao",
        "onboard-print": f"/quan-ly/dang-ky-ho/{producer.id}/in",
        "handover": "/" + handover.url.split("://", 1)[1].split("/", 1)[1],
    }


def official():  # type: ignore[no-untyped-def]
    return create_user("official", provinces=("Bắc Ninh", "Cao Bằng"))


def test_pages_are_valid_html(client, login_as, tmp_path):
    user = login_as(official())
    urls = pages(client, user)
    documents = rendered(client, urls)
    bad = post_form(client, "/quan-ly/nhap-danh-sach", {"file": (io.BytesIO(b"x"), "a.txt")})
    assert bad.status_code == 422
    documents["imports-error"] = bad.get_data(as_text=True)
    error = post_form(client, "/quan-ly/dang-ky-ho", {"name": "", "action": "luu"})
    documents["onboard-error"] = error.get_data(as_text=True)
    chosen = post_form(
        client,
        "/quan-ly/dang-ky-ho",
        {"province_id": str(province("Cao Bằng").id), "wards_for": "", "action": "chon-tinh"},
    )
    documents["onboard-wards"] = chosen.get_data(as_text=True)
    assert db.session.scalar(select(ImportBatch.id)) is not None
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_pages_pass_axe_and_fit_phones(app, client, login_as):
    user = login_as(official())
    urls = pages(client, user)
    assert browser_page_problems(app, urls, client=client) == []
