"""Builders for the trust and certificate tests: officials of two provinces, published
products in each, certificate records with chosen dates, and a frozen `date.today()`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from catalog.certificates import certificates
from catalog.models import Product, User
from tests.factories import create_user
from tests.listings.support import owner, published

TODAY = date(2026, 6, 1)


def official(province: str = "Cao Bằng") -> User:
    return create_user("official", provinces=(province,))


def live_product(name: str, province: str = "Cao Bằng", curator: User | None = None) -> Product:
    """A published product of an active producer in `province`."""
    user = owner(name=f"HTX {name}", province_name=province)
    return published(user, name, curator or official(province))


def data(**values: Any) -> certificates.CertificateData:
    defaults: dict[str, Any] = {
        "decision_no": "1234/QĐ-UBND",
        "decision_date": date(2025, 1, 10),
        "issuing_council": "UBND tỉnh Cao Bằng",
        "stars": 4,
        "evaluation_type": "new",
    }
    return certificates.CertificateData(**{**defaults, **values})


def certify(curator: User, product: Product, **values: Any):  # type: ignore[no-untyped-def]
    return certificates.record_certificate(curator, product.id, data(**values), today=TODAY)


def expiring_in(curator: User, product: Product, days: int):  # type: ignore[no-untyped-def]
    """A certificate of `product` that expires `days` after TODAY."""
    return certify(
        curator, product, decision_date=date(2024, 1, 1), expires_on=TODAY + timedelta(days=days)
    )


def freeze_today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Make date.today() return `day` where certificate states are computed (the models
    and the certificates service), and in the page cache's key, as a real new day would."""

    class FrozenDate(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return day

    import catalog.certificates.certificates as service_module
    import catalog.models.certificates as cert_module
    import catalog.models.products as product_module
    import catalog.serving.page_cache as page_cache_module

    for module in (product_module, cert_module, service_module, page_cache_module):
        monkeypatch.setattr(module, "date", FrozenDate)
