"""Builders for the promotion tests: officials of Cao Bằng and Lạng Sơn, published products
made through the real services, and campaigns and stories made through theirs."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from catalog.extensions import db
from catalog.listings.listing_uploads import Upload
from catalog.models import Campaign, Product, Story, User
from catalog.models.visibility import public_products
from catalog.platform import search_sync
from catalog.promotion import campaigns, stories
from tests.factories import create_published_product, create_user, province
from tests.listings.support import jpeg

TODAY = date(2026, 11, 10)


def official(*provinces: str) -> User:
    return create_user("official", provinces=provinces or ("Cao Bằng",))


def product_in(province_name: str, name: str, curator: User | None = None) -> Product:
    """A published product of a new producer in that province (written directly: the review
    and search indexing it would go through are tested elsewhere and cost seconds here)."""
    return create_published_product(name, province_name=province_name)


def index_public() -> None:
    """Put every public product in the search index, as the picker searches it (the index's
    own rebuild, without search_sync.rebuild's expunge_all, so the test's rows stay usable)."""
    rows = db.session.scalars(public_products()).unique()
    search_sync.backend().rebuild([search_sync.to_doc(p) for p in rows])


def banner(data: bytes | None = None, name: str = "bia.jpg") -> Upload:
    return Upload(io.BytesIO(data if data is not None else jpeg()), name)


def campaign_values(**values: Any) -> dict[str, Any]:
    """What an official of Cao Bằng types for a campaign running on TODAY; `values` override."""
    return {
        "title": "Tháng hàng Việt Cao Bằng 2026",
        "summary": "Hàng Việt về miền núi.",
        "description": "## Chương trình\n\nGiảm giá **hạt dẻ** Trùng Khánh.",
        "starts_on": TODAY - timedelta(days=5),
        "ends_on": TODAY + timedelta(days=20),
        "province_id": province("Cao Bằng").id,
        "banner_alt": "",
        **values,
    }


def make_campaign(user: User, publish: bool = True, **values: Any) -> Campaign:
    campaign = campaigns.create_campaign(user, campaign_values(**values))
    if publish:
        campaigns.set_published(user, campaign.id, True)
    return campaign


def story_values(**values: Any) -> dict[str, Any]:
    """A Cao Bằng story of an exemplary producer, in no campaign; `values` override."""
    return {
        "title": "Gương điển hình: HTX Hạt dẻ Trùng Khánh",
        "kind": "exemplary",
        "summary": "Một hợp tác xã vùng cao đưa hạt dẻ đi khắp nước.",
        "body": "Hợp tác xã **Hạt dẻ** thành lập năm 2015.",
        "province_id": province("Cao Bằng").id,
        "campaign_id": None,
        "cover_alt": "",
        **values,
    }


def make_story(user: User, publish: bool = True, **values: Any) -> Story:
    story = stories.create_story(user, story_values(**values))
    if publish:
        stories.set_published(user, story.id, True)
    return story
