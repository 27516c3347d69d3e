"""The label page (form, errors, nothing to print yet) and the public pages carrying a QR code
are valid HTML in one Nu checker run, and pass axe-core with no serious or critical violation
at desktop and phone widths, without sideways scroll."""

from __future__ import annotations

import pytest

from catalog.extensions import db
from tests.labels.support import certified, product, seller
from tests.page_checks import browser_page_problems, html_problems

FORM = "/co-so-cua-toi/tem-nhan"
ERRORS = FORM + "/tai-ve?san_pham=999999&co=xxl&so_ban=abc&dinh_dang=svg"


def _shop(login_as):  # type: ignore[no-untyped-def]
    producer, owner = seller(trusted=True, verified=True)
    item = product(producer, "Hạt dẻ Trùng Khánh", **certified(2))
    product(producer, "Miến dong Nguyên Bình")
    login_as(owner)
    return producer, item


def test_label_pages_are_valid_html(app, client, login_as, tmp_path):
    producer, item = _shop(login_as)
    documents = {
        "labels": client.get(FORM).get_data(as_text=True),
        "labels-errors": client.get(ERRORS).get_data(as_text=True),
        "dashboard": client.get("/co-so-cua-toi/").get_data(as_text=True),
        "product-qr": client.get(f"/san-pham/{item.slug}").get_data(as_text=True),
        "producer-qr": client.get(f"/co-so/{producer.slug}").get_data(as_text=True),
    }
    login_as(seller()[1])
    documents["labels-empty"] = client.get(FORM).get_data(as_text=True)
    assert "form-group-error" in documents["labels-errors"]
    assert 'href="/co-so-cua-toi/tem-nhan"' in documents["dashboard"]
    assert "Cơ sở chưa có sản phẩm nào đang hiển thị." in documents["labels-empty"]
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_label_pages_pass_axe_and_fit_phones(app, client, login_as):
    producer, item = _shop(login_as)
    pages = {
        "labels": FORM,
        "labels-errors": ERRORS,
        "product-qr": f"/san-pham/{item.slug}",
        "producer-qr": f"/co-so/{producer.slug}",
    }
    # End the test's own transaction (it holds SQLite's write lock) and touch no row after.
    db.session.commit()

    def qr_image_loads(page, base: str, axe: str) -> list[str]:  # type: ignore[no-untyped-def]
        """The QR image itself loads (and is an SVG) on the product page."""
        page.goto(base + pages["product-qr"], wait_until="networkidle")
        loaded = page.evaluate("document.querySelector('.qr-image').naturalWidth")
        assert loaded > 0
        return []

    failures = browser_page_problems(
        app, pages, client=client, statuses={"labels-errors": 422}, after_pages=qr_image_loads
    )
    assert failures == []
