"""Status values, named once. StrEnum members are plain strings too, so they are stored,
compared and serialised exactly like the literals they replace ("published" ==
ProductStatus.PUBLISHED), and a typo is an AttributeError (and a mypy error) instead of a
silent mismatch. Each value is its member's name in lower case."""

from __future__ import annotations

from enum import StrEnum

# A listing's life: the producer's draft, the officials' review, the public page; HIDDEN by
# its producer or by an official.
ProductStatus = StrEnum(
    "ProductStatus", "DRAFT SUBMITTED PUBLISHED REJECTED CHANGES_REQUESTED HIDDEN"
)
# The review of a change waiting in a published product's `pending_changes`.
ReviewState = StrEnum("ReviewState", "SUBMITTED APPROVED REJECTED CHANGES_REQUESTED")
ProducerStatus = StrEnum("ProducerStatus", "PENDING ACTIVE CHANGES_REQUESTED REJECTED SUSPENDED")
# Campaigns and stories: an official's draft, or published.
PublicationStatus = StrEnum("PublicationStatus", "DRAFT PUBLISHED")
OrderStatus = StrEnum("OrderStatus", "NEW CONFIRMED DELIVERED CANCELLED")
ComplaintStatus = StrEnum("ComplaintStatus", "NEW INVESTIGATING RESOLVED DISMISSED")
# Derived (never stored): where a certificate stands today.
CertificateState = StrEnum("CertificateState", "VALID EXPIRING EXPIRED REVOKED")
# What a producer says about stock (issue 14.6): in stock, sold out, or seasonal (then the
# harvest months say when; catalog/models/seasons.py).
Availability = StrEnum("Availability", "IN_STOCK OUT_OF_STOCK SEASONAL")
