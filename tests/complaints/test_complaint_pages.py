"""The complaint pages are valid HTML (one Nu checker run over all of them) and pass axe-core
with no serious or critical violation at desktop and phone widths, without sideways scroll."""

from __future__ import annotations

import pytest

from catalog.extensions import db
from tests.complaints.support import complaint_url, file, lang_son_product, only_complaint, token_of
from tests.forms import post_form
from tests.page_checks import browser_page_problems, html_problems, page_problems


def _handled(client, login_as):  # type: ignore[no-untyped-def]
    """A complaint with a reply and an internal note; returns (product, token, complaint)."""
    item, lang_son = lang_son_product()
    token = token_of(file(client, complaint_url(item), name="Chị Lan", email="lan@example.vn"))
    complaint = only_complaint()
    login_as(lang_son)
    post_form(
        client,
        f"/quan-ly/phan-anh/{complaint.id}",
        {"status": "investigating", "reply": "Đang kiểm tra.\nSẽ báo lại.", "note": "Gọi HTX"},
    )
    return item, token, complaint


def test_complaint_pages_are_valid_html(app, client, login_as, tmp_path):
    item, token, complaint = _handled(client, login_as)
    detail = f"/quan-ly/phan-anh/{complaint.id}"
    documents = {
        "product": client.get(f"/san-pham/{item.slug}").get_data(as_text=True),
        "producer": client.get(f"/co-so/{item.producer.slug}").get_data(as_text=True),
        "form": client.get(complaint_url(item)).get_data(as_text=True),
        "form-errors": file(client, complaint_url(item), message="x", email="sai").get_data(
            as_text=True
        ),
        "sent": file(client, complaint_url(item)).get_data(as_text=True),
        "status": client.get(f"/phan-anh/theo-doi/{token}").get_data(as_text=True),
        "list": client.get("/quan-ly/phan-anh").get_data(as_text=True),
        "detail": client.get(detail).get_data(as_text=True),
        "detail-errors": post_form(client, detail, {"status": "new"}).get_data(as_text=True),
        "hide-errors": post_form(
            client, detail + "/an-san-pham", {"reason": ""}, form_url=detail
        ).get_data(as_text=True),
    }
    assert "form-group-error" in documents["form-errors"]
    assert "form-group-error" in documents["detail-errors"]
    assert "form-group-error" in documents["hide-errors"]
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_complaint_pages_pass_axe_and_fit_phones(app, client, login_as):
    item, token, complaint = _handled(client, login_as)
    public = {
        "complaint-product": f"/san-pham/{item.slug}",
        "complaint-form": complaint_url(item),
        "complaint-status": f"/phan-anh/theo-doi/{token}",
    }
    official = {
        "complaint-list": "/quan-ly/phan-anh",
        "complaint-detail": f"/quan-ly/phan-anh/{complaint.id}",
    }
    form_url = complaint_url(item)
    # End the test's own transaction (it holds SQLite's write lock) and touch no row after.
    db.session.commit()

    def open_complaint_box(page, name: str) -> None:  # type: ignore[no-untyped-def]
        if name == "complaint-product":
            page.click("details.complaint-box > summary")

    def form_errors(page, base: str, axe: str) -> list[str]:  # type: ignore[no-untyped-def]
        """The form sent empty comes back with its errors (422)."""
        page.goto(base + form_url, wait_until="networkidle")
        with page.expect_navigation():
            page.click("form.complaint-form button[type=submit]")
        return page_problems(page, "complaint-errors", axe, impacts=("serious", "critical"))

    failures = browser_page_problems(
        app,
        {**public, **official},
        client=client,
        before_check=open_complaint_box,
        after_pages=form_errors,
    )
    assert failures == []
