"""Promotion work: campaigns (a month of Vietnamese goods, a provincial fair) and stories
(news, exemplary producers, fair announcements) that officials publish."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from catalog.extensions import Model, db
from catalog.models._common import UTCDateTime, utcnow, version_column
from catalog.models.geo import Province
from catalog.models.people import User
from catalog.models.producers import Producer
from catalog.models.products import Product

PUBLICATION_STATES = {"draft": "Bản nháp", "published": "Đã đăng"}
STORY_KINDS = {
    "news": "Tin chương trình",
    "exemplary": "Gương điển hình",
    "fair": "Hội chợ, phiên hàng",
}

campaign_products = Table(
    "campaign_products",
    db.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column("position", db.Integer, nullable=False, default=0),
)
story_producers = Table(
    "story_producers",
    db.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("producer_id", ForeignKey("producers.id", ondelete="CASCADE"), primary_key=True),
)
story_products = Table(
    "story_products",
    db.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
)


class Publication:
    """What campaigns and stories share: an address (slug), a title and summary, a province
    (none = nationwide), draft or published, and when it was made and last changed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400), default="")
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = version_column()

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # Each table has its own copy of the mixin's column: name that one.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]

    @declared_attr
    def province(cls) -> Mapped[Province | None]:
        return relationship(Province, lazy="joined")


class Campaign(Publication, Model):
    """A promotion with dates and a province scope (none = nationwide, admins only)."""

    __tablename__ = "campaigns"

    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitised on render
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    banner_digest: Mapped[str | None] = mapped_column(String(64))
    banner_alt: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship()
    products: Mapped[list[Product]] = relationship(
        secondary=campaign_products, order_by=campaign_products.c.position
    )

    def is_active_on(self, day: date) -> bool:
        return self.status == "published" and self.starts_on <= day <= self.ends_on


class Story(Publication, Model):
    """A short article in Markdown (rendered to sanitised HTML) with a cover image."""

    __tablename__ = "stories"

    kind: Mapped[str] = mapped_column(String(20), default="news")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    cover_digest: Mapped[str | None] = mapped_column(String(64))
    cover_alt: Mapped[str] = mapped_column(String(300), default="")
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    campaign: Mapped[Campaign | None] = relationship()
    author: Mapped[User | None] = relationship()
    producers: Mapped[list[Producer]] = relationship(secondary=story_producers)
    products: Mapped[list[Product]] = relationship(secondary=story_products)

    @property
    def kind_label(self) -> str:
        return STORY_KINDS.get(self.kind, self.kind)
