"""Take the README's screenshots with headless Chromium: `make screenshots`.

Seeds the demo catalogue into a throwaway instance, serves it on loopback and captures the
home page, a product page, search, a campaign page and (signed in as a throwaway official of
Bắc Ninh) the officials' report and certificate pages, at desktop width and at a 390-px phone
width.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from catalog import create_app
from catalog.accounts import accounts, users
from catalog.database import write_transaction
from catalog.demo import demo
from catalog.extensions import db
from catalog.models import Campaign, Product
from catalog.models._common import utcnow
from catalog.platform import search_sync
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve

OFFICIAL = "can-bo@bac-ninh.example"
PASSWORD = "anh-chup-man-hinh-2026"
OUT = Path(__file__).resolve().parent / "screenshots"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "INSTANCE_PATH": Path(tmp),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/s.db",
                "UPLOADS_DIR": Path(tmp) / "uploads",
                "SEARCH_INDEX_DIR": Path(tmp) / "search",
            }
        )
        with app.app_context():
            upgrade()
            demo.seed_demo()
            search_sync.apply_pending()
            slug = db.session.scalar(
                select(Product.slug).where(Product.province_recorded_as == "Bắc Giang").limit(1)
            )
            nationwide = select(Campaign.slug).where(Campaign.province_id.is_(None))
            campaign = db.session.scalar(nationwide)
            with app.test_request_context(base_url=app.config["SITE_URL"]):
                official = users.create_staff(OFFICIAL, "official", ["Bắc Ninh"])
            with write_transaction():  # a throwaway account: skip the set-password e-mail
                official.password_hash = accounts.hash_password(PASSWORD)
                official.email_verified_at = utcnow()
            db.session.remove()
        pages = {
            "home": "/",
            "product": f"/san-pham/{slug}",
            "search": "/tim-kiem?q=ca+phe",
            "campaign": f"/chuong-trinh/{campaign}",
            "official-reports": "/quan-ly/bao-cao",
            "official-certificates": "/quan-ly/chung-nhan",
        }
        OUT.mkdir(exist_ok=True)
        with serve(app) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(require_chromium()), args=CHROMIUM_ARGS
            )
            for vp_name, (width, height) in VIEWPORTS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                _sign_in(page, base)
                for name, path in pages.items():
                    page.goto(base + path, wait_until="networkidle")
                    target = OUT / (f"{name}.png" if vp_name == "desktop" else f"{name}-phone.png")
                    page.screenshot(path=str(target), full_page=False)
                    print(target.relative_to(OUT.parent.parent))
                page.close()
            browser.close()


def _sign_in(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/tai-khoan/dang-nhap")
    page.fill("input[name=email]", OFFICIAL)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


if __name__ == "__main__":
    main()
