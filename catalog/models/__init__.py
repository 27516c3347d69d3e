"""All models, importable from one place (Alembic needs them all loaded)."""

from .certificates import CERTIFICATE_STATES, EVALUATION_TYPES, OcopCertificate
from .complaints import COMPLAINT_KINDS, COMPLAINT_STATES, Complaint, ComplaintEvent
from .curation import AuditEntry, ProducerClaim
from .geo import Province, ProvinceAlias
from .imports import ImportBatch
from .mail import MailMessage
from .market import ORDER_STATES, BlockedPhone, OrderEvent, OrderItem, OrderRequest
from .outbox import IndexOutbox
from .people import ROLES, Invitation, ProducerHandover, User, official_provinces
from .producers import PRODUCER_STATUSES, PRODUCER_TYPES, Producer
from .products import (
    CERTIFICATE_MONTHS,
    OCOP_STARS,
    PRODUCT_STATUSES,
    Category,
    Product,
    ProductImage,
)
from .promotion import (
    PUBLICATION_STATES,
    STORY_KINDS,
    Campaign,
    Story,
    campaign_products,
    story_producers,
    story_products,
)
from .site import SiteVersion

__all__ = [
    "ORDER_STATES",
    "BlockedPhone",
    "OrderEvent",
    "OrderItem",
    "OrderRequest",
    "CERTIFICATE_STATES",
    "COMPLAINT_KINDS",
    "COMPLAINT_STATES",
    "EVALUATION_TYPES",
    "PUBLICATION_STATES",
    "STORY_KINDS",
    "Campaign",
    "Complaint",
    "ComplaintEvent",
    "ImportBatch",
    "OcopCertificate",
    "ProducerHandover",
    "Story",
    "campaign_products",
    "story_producers",
    "story_products",
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
    "SiteVersion",
    "User",
]
