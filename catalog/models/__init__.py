"""All models, importable from one place (Alembic needs them all loaded)."""

from .curation import AuditEntry, ProducerClaim
from .geo import Province, ProvinceAlias
from .mail import MailMessage
from .outbox import IndexOutbox
from .people import ROLES, Invitation, User, official_provinces
from .producers import PRODUCER_STATUSES, PRODUCER_TYPES, Producer
from .products import (
    CERTIFICATE_MONTHS,
    OCOP_STARS,
    PRODUCT_STATUSES,
    Category,
    Product,
    ProductImage,
)

__all__ = [
    "AuditEntry",
    "Invitation",
    "MailMessage",
    "ProducerClaim",
    "official_provinces",
    "CERTIFICATE_MONTHS",
    "OCOP_STARS",
    "PRODUCER_STATUSES",
    "PRODUCER_TYPES",
    "PRODUCT_STATUSES",
    "ROLES",
    "Category",
    "IndexOutbox",
    "Producer",
    "Product",
    "ProductImage",
    "Province",
    "ProvinceAlias",
    "User",
]
