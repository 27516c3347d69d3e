"""Products, their OCOP group, images and certificate details."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.extensions import Model
from catalog.models._common import UTCDateTime, utcnow, version_column
from catalog.models.geo import Province
from catalog.models.producers import Producer
from catalog.models.statuses import ProductStatus

if TYPE_CHECKING:
    from catalog.models.certificates import OcopCertificate

OCOP_STARS = (3, 4, 5)
# An OCOP certificate is valid for 36 months from its decision.
CERTIFICATE_MONTHS = 36


class Category(Model):
    """One of the six official OCOP product groups (Decision 148/QĐ-TTg, 2023)."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    short_name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class Product(Model):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("producer_id", "name_key", name="uq_product_producer_name"),
        Index("ix_products_public", "status", "province_id", "category_id"),
        # Covering index for the public counts and facets (browse.facet_counts, totals): every
        # column they read, so the full-catalogue passes never touch the table itself.
        Index(
            "ix_products_public_facets",
            "status",
            "producer_id",
            "province_id",
            "category_id",
            "ocop_stars",
            "certificate_revoked",
            "certificate_expires_on",
            "certificate_year",
        ),
        # The listings' default sort (newest published first) and the home page's chosen row.
        Index("ix_products_public_recent", "status", "published_at", "id"),
        Index("ix_products_featured", "featured", "featured_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    # The province name the source used when it is an older one (e.g. "Bắc Giang").
    province_recorded_as: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    price_vnd: Mapped[int | None] = mapped_column()
    unit: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    featured: Mapped[bool] = mapped_column(default=False)
    ocop_stars: Mapped[int | None] = mapped_column()
    certificate_no: Mapped[str | None] = mapped_column(String(80))
    certificate_decision: Mapped[str | None] = mapped_column(String(120))
    certificate_year: Mapped[int | None] = mapped_column()
    certificate_expires_on: Mapped[date | None] = mapped_column(Date)
    # Copied from the current OcopCertificate record (services/certificates.py).
    certificate_revoked: Mapped[bool] = mapped_column(default=False)
    certificate_verified: Mapped[bool] = mapped_column(default=False)
    # A producer's own claim (issue 14.1): kept apart from the record copy above, shown only
    # as "tự khai, chưa đối chiếu", never counted as stars anywhere.
    claimed_stars: Mapped[int | None] = mapped_column()
    claimed_certificate_no: Mapped[str | None] = mapped_column(String(80))
    claimed_certificate_year: Mapped[int | None] = mapped_column()
    claimed_certificate_decision: Mapped[str | None] = mapped_column(String(120))
    claimed_certificate_expires_on: Mapped[date | None] = mapped_column(Date)
    featured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where the entry came from: "import", "self" (producer), "official" (assisted).
    source: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Review workflow: a change to a published product waits here while the published
    # version stays live; applied on approval.
    pending_changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    review_state: Mapped[str | None] = mapped_column(String(20))  # for pending_changes
    review_note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Scan of the OCOP certificate: for officials only, never served publicly.
    certificate_scan: Mapped[str | None] = mapped_column(String(100))
    # Stock (issue 14.6): an Availability value and, for seasonal goods, the harvest months
    # as a bitmask (bit m-1 for month m; catalog/models/seasons.py). Live on a published
    # product: not a trust claim, so no review (catalog/listings/live_changes.py).
    availability: Mapped[str] = mapped_column(
        String(20), default="in_stock", server_default=text("'in_stock'")
    )
    harvest_months: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}

    producer: Mapped[Producer] = relationship(back_populates="products", lazy="joined")
    category: Mapped[Category | None] = relationship(lazy="joined")
    province: Mapped[Province] = relationship(lazy="joined")
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product",
        order_by="ProductImage.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    certificates: Mapped[list[OcopCertificate]] = relationship(
        back_populates="product",
        order_by="OcopCertificate.decision_date.desc(), OcopCertificate.id.desc()",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_public(self) -> bool:
        """The row form of visibility.product_is_public()."""
        return self.status == ProductStatus.PUBLISHED and self.producer.is_public

    @property
    def certificate_status(self) -> str | None:
        """valid / expiring / expired / revoked for an OCOP product, None for an uncertified one.

        Lists often give only the certification year; the certificate then expired for
        sure once year + 3 has passed, and may expire during year + 3.
        """
        if not self.ocop_stars:
            return None
        if self.certificate_revoked:
            return "revoked"
        today = date.today()
        if self.certificate_expires_on is not None:
            if self.certificate_expires_on <= today:
                return "expired"
            return "expiring" if (self.certificate_expires_on - today).days <= 90 else "valid"
        if self.certificate_year is not None:
            last_year = self.certificate_year + CERTIFICATE_MONTHS // 12
            if last_year < today.year:
                return "expired"
            if last_year == today.year:
                return "expiring"
        return "valid"

    @property
    def public_stars(self) -> int | None:
        """Stars to show the public: none once the certificate has expired or was revoked."""
        return self.ocop_stars if self.certificate_status in ("valid", "expiring") else None

    @classmethod
    def public_stars_expr(cls, today: date | None = None) -> ColumnElement[int | None]:
        """SQL twin of public_stars: the stars, or NULL once the certificate has expired,
        so star filters and counts agree with the badges people see."""
        today = today or date.today()
        valid = and_(
            cls.certificate_revoked.is_(False),
            or_(
                cls.certificate_expires_on > today,
                and_(
                    cls.certificate_expires_on.is_(None),
                    or_(
                        cls.certificate_year.is_(None),
                        cls.certificate_year + CERTIFICATE_MONTHS // 12 >= today.year,
                    ),
                ),
            ),
        )
        return case((valid, cls.ocop_stars), else_=None)

    @property
    def cover(self) -> ProductImage | None:
        return self.images[0] if self.images else None

    def __repr__(self) -> str:
        return f"<Product {self.id} {self.name}>"


class ProductImage(Model):
    """A photo, stored by content hash; the order is the gallery order, 0 = cover."""

    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    digest: Mapped[str] = mapped_column(String(64))
    alt: Mapped[str] = mapped_column(String(300), default="")
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="images")
