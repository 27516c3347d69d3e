"""The label page (form, errors, nothing to print yet) and the public pages carrying a QR code
are valid HTML in one Nu checker run, and pass axe-core with no serious or critical violation
at desktop and phone widths, without sideways scroll."""

from __future__ import annotations

import pytest

from catalog.extensions import db
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve
from tests.page_checks import VIEWPORTS, axe_script, html_problems, page_problems
from tests.qr_labels_support import certified, product, seller

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
    from playwright.sync_api import sync_playwright

    producer, item = _shop(login_as)
    pages = {
        "labels": (FORM, 200),
        "labels-errors": (ERRORS, 422),
        "product-qr": (f"/san-pham/{item.slug}", 200),
        "producer-qr": (f"/co-so/{producer.slug}", 200),
    }
    # End the test's own transaction (it holds SQLite's write lock) and touch no row after.
    db.session.commit()
    axe = axe_script()
    cookie = client.get_cookie("session")
    failures = []
    with serve(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        for width, height in VIEWPORTS.values():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.add_cookies([{"name": "session", "value": cookie.value, "url": base}])
            page = context.new_page()
            for name, (url, status) in pages.items():
                response = page.goto(base + url, wait_until="networkidle")
                assert response is not None and response.status == status, (name, url)
                failures += page_problems(page, name, axe, impacts=("serious", "critical"))
            # The QR image itself loads (and is an SVG) on the product page.
            page.goto(base + pages["product-qr"][0], wait_until="networkidle")
            loaded = page.evaluate("document.querySelector('.qr-image').naturalWidth")
            assert loaded > 0
            context.close()
        browser.close()
    assert failures == []
