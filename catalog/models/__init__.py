"""All models, importable from one place (Alembic needs them all loaded)."""

from catalog.models.certificates import CERTIFICATE_STATES, EVALUATION_TYPES, OcopCertificate
from catalog.models.complaints import COMPLAINT_KINDS, COMPLAINT_STATES, Complaint, ComplaintEvent
from catalog.models.curation import AuditEntry, ProducerClaim
from catalog.models.geo import Province, ProvinceAlias
from catalog.models.imports import ImportBatch
from catalog.models.mail import MailMessage
from catalog.models.orders import ORDER_STATES, BlockedPhone, OrderEvent, OrderItem, OrderRequest
from catalog.models.outbox import IndexOutbox
from catalog.models.people import ROLES, Invitation, ProducerHandover, User, official_provinces
from catalog.models.producers import PRODUCER_TYPES, Producer
from catalog.models.products import (
    CERTIFICATE_MONTHS,
    OCOP_STARS,
    Category,
    Product,
    ProductImage,
)
from catalog.models.promotion import (
    PUBLICATION_STATES,
    STORY_KINDS,
    Campaign,
    Story,
    campaign_products,
    story_producers,
    story_products,
)
from catalog.models.quotas import ProducerUpload
from catalog.models.sign_in import SignInThrottle
from catalog.models.site import SiteVersion

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
    "PRODUCER_TYPES",
    "ROLES",
    "Category",
    "IndexOutbox",
    "Producer",
    "ProducerUpload",
    "Product",
    "ProductImage",
    "Province",
    "ProvinceAlias",
    "SignInThrottle",
    "SiteVersion",
    "User",
]
