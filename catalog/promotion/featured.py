"""Products an official chooses for the home page ("Sản phẩm nổi bật").

Search does not use `featured` (ProductDoc has no such field), so featuring writes no
outbox row: the home page reads the database directly.
"""

from __future__ import annotations

from sqlalchemy import select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Product, User
from catalog.models.visibility import public_products
from catalog.platform import audit
from catalog.platform.clock import utcnow
from catalog.promotion.promotion_common import PromotionError, load_in_scope, within_scope


def feature(user: User, product_id: int) -> Product:
    """Put a published product of the official's province on the home page (newest first)."""
    with write_transaction():
        product = load_in_scope(Product, user, product_id)
        if not product.is_public:
            raise PromotionError("Chỉ chọn được sản phẩm đang hiển thị công khai.")
        before = {"featured": product.featured}
        product.featured = True
        product.featured_at = utcnow()
        audit.record(
            user, "product.feature", "product", product.id, before=before, after={"featured": True}
        )
    return product


def unfeature(user: User, product_id: int) -> Product:
    """Take a product off the home page (allowed whatever its state, so a hidden product
    chosen earlier can be tidied away)."""
    with write_transaction():
        product = load_in_scope(Product, user, product_id)
        before = {"featured": product.featured}
        product.featured = False
        product.featured_at = None
        audit.record(
            user,
            "product.unfeature",
            "product",
            product.id,
            before=before,
            after={"featured": False},
        )
    return product


def featured_in_scope(user: User) -> list[Product]:
    """The featured products an official sees in the workspace (any state, newest first)."""
    stmt = within_scope(
        select(Product).where(Product.featured.is_(True)), Product.province_id, user
    )
    stmt = stmt.order_by(Product.featured_at.desc().nulls_last(), Product.id.desc())
    return list(db.session.scalars(stmt).unique())


def home_products(limit: int = 12) -> list[Product]:
    """The officials' choice, newest first; when they chose fewer than `limit`, the best
    rated public products fill the row so the home page never looks empty."""
    chosen = (
        public_products()
        .where(Product.featured.is_(True))
        .order_by(Product.featured_at.desc().nulls_last(), Product.id.desc())
        .limit(limit)
    )
    items = list(db.session.scalars(chosen).unique())
    if len(items) < limit:
        more = (
            public_products()
            .where(Product.featured.is_(False))
            .order_by(Product.public_stars_expr().desc().nulls_last(), Product.id)
            .limit(limit - len(items))
        )
        items += list(db.session.scalars(more).unique())
    return items
