"""The promotion pages (officials' and public) are valid HTML (W3C Nu, one call) and pass
axe-core with no serious or critical violation at 1280 and 390 px, without sideways scroll."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from catalog.models import Campaign, Product, Story, User
from catalog.promotion import campaigns, featured, stories
from tests.forms import csrf_token
from tests.page_checks import browser_page_problems, html_problems, rendered
from tests.promotion.support import banner, campaign_values, official, product_in, story_values

MARKDOWN = (
    "## Lịch hội chợ\n\nThứ bảy và chủ nhật, **8 giờ – 21 giờ**.\n\n- Gian hàng OCOP\n"
    "- Ẩm thực vùng cao\n\n> Hàng Việt cho người Việt.\n\n[Sở Công Thương](https://example.vn)"
)


@pytest.fixture
def promotion(app: Flask) -> tuple[User, Campaign, Story, Product]:
    """An official's published campaign with products and banner, a linked story, a
    featured product; returns (official, campaign, story, product)."""
    curator = official()
    product = product_in("Cao Bằng", "Hạt dẻ Trùng Khánh", curator)
    other = product_in("Cao Bằng", "Miến dong Nguyên Bình", curator)
    today = campaigns.local_today()
    campaign = campaigns.create_campaign(
        curator,
        campaign_values(
            title="Hội chợ OCOP Cao Bằng 2026",
            description=MARKDOWN,
            starts_on=today - timedelta(days=2),
            ends_on=today + timedelta(days=20),
            banner_alt="Gian hàng hội chợ OCOP",
        ),
        banner(),
    )
    campaigns.set_published(curator, campaign.id, True)
    for item in (product, other):
        campaigns.add_product(curator, campaign.id, item.id)
    story = stories.create_story(
        curator,
        story_values(body=MARKDOWN, campaign_id=campaign.id, cover_alt="Vườn hạt dẻ"),
        banner(),
    )
    stories.set_link(curator, story.id, "producer", product.producer_id, True)
    stories.set_link(curator, story.id, "product", product.id, True)
    stories.set_published(curator, story.id, True)
    featured.feature(curator, other.id)
    return curator, campaign, story, product


def official_pages(campaign: Campaign, story: Story) -> dict[str, str]:
    return {
        "promo-featured": "/quan-ly/noi-bat?q=Hạt",
        "promo-campaigns": "/quan-ly/chuong-trinh",
        "promo-campaign-new": "/quan-ly/chuong-trinh/moi",
        "promo-campaign-edit": f"/quan-ly/chuong-trinh/{campaign.id}",
        "promo-campaign-products": f"/quan-ly/chuong-trinh/{campaign.id}/san-pham?q=Hạt",
        "promo-stories": "/quan-ly/bai-viet",
        "promo-story-new": "/quan-ly/bai-viet/moi",
        "promo-story-edit": f"/quan-ly/bai-viet/{story.id}",
        "promo-story-links": f"/quan-ly/bai-viet/{story.id}/lien-ket?q=Trùng",
    }


def public_pages(campaign: Campaign, story: Story, product: Product) -> dict[str, str]:
    return {
        "promo-home": "/",
        "promo-campaign-list": "/chuong-trinh",
        "promo-campaign": f"/chuong-trinh/{campaign.slug}",
        "promo-story-list": "/tin-tuc",
        "promo-story": f"/tin-tuc/{story.slug}",
        "promo-producer": f"/co-so/{product.producer.slug}",
    }


def test_promotion_pages_are_valid_html(client, login_as, promotion, tmp_path):
    curator, campaign, story, product = promotion
    login_as(curator)
    urls = {**official_pages(campaign, story), **public_pages(campaign, story, product)}
    documents = rendered(client, urls)
    token = csrf_token(client, "/quan-ly/chuong-trinh/moi")
    refused = client.post(
        "/quan-ly/chuong-trinh/moi",
        data={"csrf_token": token, "title": "", "starts_on": "2026-12-01", "ends_on": "1/1/2026"},
    )
    assert refused.status_code == 422
    documents["promo-campaign-errors"] = refused.get_data(as_text=True)
    refused = client.post("/quan-ly/bai-viet/moi", data={"csrf_token": token, "kind": "x"})
    assert refused.status_code == 422
    documents["promo-story-errors"] = refused.get_data(as_text=True)
    previewed = client.post(  # the "Xem trước" button without JavaScript
        f"/quan-ly/bai-viet/{story.id}",
        data={
            "csrf_token": token,
            "title": "Tin",
            "body": "## Mục\n\n- **một**",
            "xem_truoc": "body",
        },
    )
    assert previewed.status_code == 200
    documents["promo-story-preview"] = previewed.get_data(as_text=True)
    assert html_problems(documents, tmp_path) == []


@pytest.mark.slow
def test_promotion_pages_pass_axe_and_fit_phones(app, client, login_as, promotion):
    curator, campaign, story, product = promotion
    login_as(curator)
    pages = {**official_pages(campaign, story), **public_pages(campaign, story, product)}
    assert browser_page_problems(app, pages, client=client) == []
