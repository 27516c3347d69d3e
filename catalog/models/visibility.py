"""What the public may see, defined once: browse, search sync, the API, the sitemap, open
data, QR pages and reports all build on these clauses, so a listing is never public in one
place and hidden in another.

A product is public while it is published and its producer is active (a suspended or
still-pending producer hides all its listings); a producer while it is active; a campaign
or story once published.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, select

from catalog.models.producers import Producer
from catalog.models.products import Product
from catalog.models.promotion import Campaign, Story
from catalog.models.statuses import ProducerStatus, ProductStatus, PublicationStatus


def producer_is_public() -> ColumnElement[bool]:
    return Producer.status == ProducerStatus.ACTIVE


def product_is_public() -> ColumnElement[bool]:
    """Needs Producer in the FROM clause (public_products() joins it)."""
    return and_(Product.status == ProductStatus.PUBLISHED, producer_is_public())


def public_products() -> Select[Product]:
    """Products the public may see: published, by an active producer."""
    return select(Product).join(Product.producer).where(product_is_public())


def public_producers() -> Select[Producer]:
    return select(Producer).where(producer_is_public())


def campaign_is_public() -> ColumnElement[bool]:
    return Campaign.status == PublicationStatus.PUBLISHED


def story_is_public() -> ColumnElement[bool]:
    return Story.status == PublicationStatus.PUBLISHED
