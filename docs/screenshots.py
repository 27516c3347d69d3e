"""Take the README's screenshots with headless Chromium: `make screenshots`.

Seeds the demo catalogue into a throwaway instance, serves it on loopback and captures the
home page and a product page at desktop width and at a 390-px phone width.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from catalog import create_app
from catalog.extensions import db
from catalog.models import Product
from catalog.services import demo, search_sync
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve

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
            db.session.remove()
        pages = {"home": "/", "product": f"/san-pham/{slug}", "search": "/tim-kiem?q=ca+phe"}
        OUT.mkdir(exist_ok=True)
        with serve(app) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(require_chromium()), args=CHROMIUM_ARGS
            )
            for vp_name, (width, height) in VIEWPORTS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for name, path in pages.items():
                    page.goto(base + path, wait_until="networkidle")
                    target = OUT / (f"{name}.png" if vp_name == "desktop" else f"{name}-phone.png")
                    page.screenshot(path=str(target), full_page=False)
                    print(target.relative_to(OUT.parent.parent))
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
