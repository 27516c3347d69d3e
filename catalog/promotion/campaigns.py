"""Campaigns: a month of Vietnamese goods, a provincial OCOP fair.

A campaign has dates, a province scope (none = nationwide, which only admins create), a
banner through the image pipeline, a Markdown description and an ordered list of published
products. Drafts are the officials' own; the public sees published campaigns, and the home
page those whose dates include today.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select, update

from catalog.database import write_transaction
from catalog.errors import NotFound
from catalog.extensions import db
from catalog.listings.listing_uploads import Upload
from catalog.models import Campaign, Product, User, campaign_products, visibility
from catalog.models.visibility import campaign_is_public
from catalog.platform import audit
from catalog.promotion import publication
from catalog.promotion.promotion_common import (
    PromotionError,
    load_in_scope,
    public_product_in_scope,
    within_scope,
)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIELDS = (
    "title",
    "summary",
    "description",
    "starts_on",
    "ends_on",
    "province_id",
    "banner_alt",
    "banner_digest",
    "status",
)


def local_today() -> date:
    """Today in Vietnam: a campaign ending on the 30th is still on at 6 a.m. on the 30th."""
    return datetime.now(LOCAL_TZ).date()


# -- reading -------------------------------------------------------------------------------


def get_campaign(user: User, campaign_id: int) -> Campaign:
    """A campaign the user may manage; NotFound / Forbidden otherwise."""
    return load_in_scope(Campaign, user, campaign_id)


def campaigns_for(user: User) -> list[Campaign]:
    """The campaigns an official manages (their provinces), newest dates first."""
    stmt = within_scope(select(Campaign), Campaign.province_id, user)
    stmt = stmt.order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    return list(db.session.scalars(stmt).unique())


def active_campaigns(today: date, limit: int = 6) -> list[Campaign]:
    """Published campaigns whose dates include `today` (home page), ending soonest first."""
    stmt = (
        select(Campaign)
        .where(campaign_is_public(), Campaign.starts_on <= today, Campaign.ends_on >= today)
        .order_by(Campaign.ends_on, Campaign.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt).unique())


def current_and_upcoming(today: date) -> tuple[list[Campaign], list[Campaign]]:
    """Published campaigns under way today, and those still to come (soonest first)."""
    stmt = (
        select(Campaign)
        .where(campaign_is_public(), Campaign.ends_on >= today)
        .order_by(Campaign.starts_on, Campaign.id)
    )
    rows = list(db.session.scalars(stmt).unique())
    return [c for c in rows if c.starts_on <= today], [c for c in rows if c.starts_on > today]


def get_public_campaign(slug: str) -> Campaign:
    """A published campaign; NotFound for a draft or an unknown slug."""
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.slug == slug, campaign_is_public())
    )
    if campaign is None:
        raise NotFound
    return campaign


def public_products(campaign: Campaign) -> list[Product]:
    """The campaign's products still public, in the chosen order."""
    stmt = (
        visibility.public_products()
        .join(campaign_products, campaign_products.c.product_id == Product.id)
        .where(campaign_products.c.campaign_id == campaign.id)
        .order_by(campaign_products.c.position, Product.id)
    )
    return list(db.session.scalars(stmt).unique())


# -- writing -------------------------------------------------------------------------------


def _values(user: User, values: dict[str, Any]) -> dict[str, Any]:
    """Checked, cleaned values; the province must be one the user covers."""
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts_on, date):
        raise PromotionError("Vui lòng nhập ngày bắt đầu.", field="starts_on")
    if not isinstance(ends_on, date):
        raise PromotionError("Vui lòng nhập ngày kết thúc.", field="ends_on")
    if ends_on < starts_on:
        raise PromotionError("Ngày kết thúc phải cùng hoặc sau ngày bắt đầu.", field="ends_on")
    province_id = publication.province(
        user,
        values,
        nationwide=(
            "Chương trình toàn quốc chỉ quản trị viên tạo được; vui lòng chọn tỉnh, thành phố."
        ),
        unknown="Vui lòng chọn một tỉnh, thành phố trong danh sách.",
        outside="Bạn chỉ tạo được chương trình của tỉnh, thành phố mình phụ trách.",
    )
    return {
        **publication.texts(
            values, title_label="tên chương trình", body="description", alt="banner_alt"
        ),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "province_id": province_id,
    }


CAMPAIGN = publication.Kind(
    model=Campaign,
    name="campaign",
    picture="banner",
    owner="created_by_id",
    clean=_values,
    snapshot=lambda campaign: publication.fields_of(campaign, FIELDS),
    slug_hint=lambda clean: str(clean["starts_on"].year),
)


def create_campaign(user: User, values: dict[str, Any], banner: Upload | None = None) -> Campaign:
    """A new draft campaign; the banner is processed before the transaction."""
    return publication.create(CAMPAIGN, user, values, banner)


def update_campaign(
    user: User, campaign_id: int, values: dict[str, Any], banner: Upload | None = None
) -> Campaign:
    """Edit a campaign of the user's provinces (the slug stays, so shared links keep working)."""
    return publication.update(CAMPAIGN, user, campaign_id, values, banner)


def set_published(user: User, campaign_id: int, published: bool) -> Campaign:
    return publication.set_published(CAMPAIGN, user, campaign_id, published)


def product_ids(campaign: Campaign) -> list[int]:
    stmt = (
        select(campaign_products.c.product_id)
        .where(campaign_products.c.campaign_id == campaign.id)
        .order_by(campaign_products.c.position, campaign_products.c.product_id)
    )
    return list(db.session.scalars(stmt))


def add_product(user: User, campaign_id: int, product_id: int) -> Campaign:
    """Append a published product of the user's provinces (admins: any) to the list."""
    with write_transaction():
        campaign = get_campaign(user, campaign_id)
        refusal = "Chỉ thêm được sản phẩm đang hiển thị công khai."
        product = public_product_in_scope(user, product_id, refusal)
        if product_id in product_ids(campaign):
            return campaign
        last = db.session.scalar(
            select(func.max(campaign_products.c.position)).where(
                campaign_products.c.campaign_id == campaign.id
            )
        )
        db.session.execute(
            insert(campaign_products).values(
                campaign_id=campaign.id, product_id=product_id, position=(last or 0) + 1
            )
        )
        audit.record(
            user,
            "campaign.add_product",
            "campaign",
            campaign.id,
            after={"product_id": product_id, "product": product.name},
        )
    db.session.expire(campaign, ["products"])
    return campaign


def remove_product(user: User, campaign_id: int, product_id: int) -> Campaign:
    with write_transaction():
        campaign = get_campaign(user, campaign_id)
        if product_id not in product_ids(campaign):
            raise NotFound
        db.session.execute(
            delete(campaign_products).where(
                campaign_products.c.campaign_id == campaign.id,
                campaign_products.c.product_id == product_id,
            )
        )
        audit.record(
            user,
            "campaign.remove_product",
            "campaign",
            campaign.id,
            before={"product_id": product_id},
        )
    db.session.expire(campaign, ["products"])
    return campaign


def move_product(user: User, campaign_id: int, product_id: int, step: int) -> Campaign:
    """Move a product one place up (-1) or down (+1); positions are renumbered 1..n."""
    with write_transaction():
        campaign = get_campaign(user, campaign_id)
        order = product_ids(campaign)
        if product_id not in order:
            raise NotFound
        index = order.index(product_id)
        target = min(max(index + step, 0), len(order) - 1)
        order.insert(target, order.pop(index))
        for position, pid in enumerate(order, start=1):
            db.session.execute(
                update(campaign_products)
                .where(
                    campaign_products.c.campaign_id == campaign.id,
                    campaign_products.c.product_id == pid,
                )
                .values(position=position)
            )
        audit.record(
            user, "campaign.reorder", "campaign", campaign.id, after={"product_ids": order}
        )
    db.session.expire(campaign, ["products"])
    return campaign
