"""The demo catalogue: loaded through the same importer as real OCOP lists, then given
generated product cards (no real photos ship with the project) and a few curated flags."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from catalog.database import write_transaction
from catalog.demo.demo_accounts import create_producer_accounts
from catalog.demo.demo_cards import render_card
from catalog.demo.demo_promotion import curate_promotion
from catalog.extensions import db
from catalog.imports.imports import ImportReport, import_csv
from catalog.models import Producer, Product, ProductImage
from catalog.models.seasons import months_to_mask
from catalog.models.statuses import Availability, ProductStatus
from catalog.platform import geo, outbox
from catalog.platform.images import store_image
from catalog.storage import current_storage
from catalog.trust import verification

DEMO_CSV = Path(__file__).resolve().parent / "catalogue.csv"
FEATURED_COUNT = 12
# Fresh fruit of the demo catalogue sold by season (harvest months), so the product pages,
# the "Đang có hàng" filter and the home page's "Đang vào mùa" have something to show.
SEASONS = {
    "Vải thiều Lục Ngạn": (5, 6, 7),
    "Vải thiều Thanh Hà": (5, 6),
    "Mận hậu Mộc Châu": (5, 6, 7),
    "Xoài tròn Yên Châu": (6, 7),
    "Nhãn lồng Hưng Yên": (7, 8),
    "Bưởi Phúc Trạch": (8, 9, 10),
    "Bưởi Soi Hà": (8, 9, 10, 11, 12),
    "Hồng không hạt Bắc Kạn": (9, 10, 11),
    "Bưởi Đoan Hùng": (9, 10, 11, 12, 1),
    "Cam sành Hàm Yên": (10, 11, 12, 1),
    "Cam Vinh": (10, 11, 12, 1),
    "Cam bù Hương Sơn": (10, 11, 12, 1, 2),
    "Cam Cao Phong": (11, 12, 1, 2),
}


def catalogue_is_empty() -> bool:
    return db.session.scalar(select(Product.id).limit(1)) is None


def seed_demo(csv_path: Path = DEMO_CSV, *, with_images: bool = True) -> ImportReport:
    geo.ensure_reference_data()
    report = import_csv(csv_path)
    set_seasons()
    if with_images:
        attach_cards()
    curate()
    curate_promotion()
    create_producer_accounts()
    return report


def set_seasons() -> None:
    """The demo's seasonal fruit (SEASONS); the rest stays "còn hàng"."""
    with write_transaction():
        products = db.session.scalars(select(Product).where(Product.name.in_(list(SEASONS))))
        changed = []
        for product in products:
            product.availability = Availability.SEASONAL
            product.harvest_months = months_to_mask(SEASONS[product.name])
            changed.append(product.id)
        outbox.record(changed, "demo_seasons")


def attach_cards() -> int:
    """Give every product without a photo a generated card. Returns how many were made."""
    uploads = current_storage()
    products = list(db.session.scalars(select(Product).where(~Product.images.any())))
    with write_transaction():
        for product in products:
            png = render_card(
                product.name,
                product.category.slug if product.category else None,
                product.province.name,
            )
            stored = store_image(png, uploads)
            product.images.append(
                ProductImage(
                    position=0,
                    digest=stored.digest,
                    alt=f"Ảnh minh họa: {product.name}",
                    width=stored.width,
                    height=stored.height,
                )
            )
    return len(products)


def curate() -> None:
    """Feature the best-rated products and verify producers with a tax code, as an official
    would, so the demo home page shows what curation looks like."""
    with write_transaction():
        ranked = db.session.scalars(
            select(Product)
            .where(Product.status == ProductStatus.PUBLISHED, Product.ocop_stars.is_not(None))
            .order_by(Product.ocop_stars.desc(), Product.id)
            .limit(FEATURED_COUNT * 3)
        ).all()
        # Spread the featured set over provinces rather than the first rows of the file.
        seen: set[int] = set()
        chosen = []
        for product in ranked:
            if product.public_stars and product.province_id not in seen:
                chosen.append(product)
                seen.add(product.province_id)
        for product in chosen[:FEATURED_COUNT]:
            product.featured = True
        changed: list[int] = []
        for producer in db.session.scalars(select(Producer).where(Producer.tax_code.is_not(None))):
            if verification.mark_sample(producer):
                changed.extend(p.id for p in producer.products)
        outbox.record(changed, "verified")
