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
from catalog.models import Campaign, Product, Province, User, campaign_products
from catalog.platform import audit
from catalog.platform.search_sync import public_products_query
from catalog.platform.slugs import unique_slug
from catalog.promotion.promotion_common import (
    MAX_ALT,
    MAX_SUMMARY,
    MAX_TITLE,
    PromotionError,
    check_scope,
    markdown_text,
    public_product,
    scoped_province_ids,
    store_picture,
    text,
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
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound
    check_scope(user, campaign.province_id)
    return campaign


def campaigns_for(user: User) -> list[Campaign]:
    """The campaigns an official manages (their provinces), newest dates first."""
    stmt = select(Campaign)
    provinces = scoped_province_ids(user)
    if provinces is not None:
        stmt = stmt.where(Campaign.province_id.in_(provinces or [-1]))
    stmt = stmt.order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    return list(db.session.scalars(stmt).unique())


def active_campaigns(today: date, limit: int = 6) -> list[Campaign]:
    """Published campaigns whose dates include `today` (home page), ending soonest first."""
    stmt = (
        select(Campaign)
        .where(
            Campaign.status == "published", Campaign.starts_on <= today, Campaign.ends_on >= today
        )
        .order_by(Campaign.ends_on, Campaign.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt).unique())


def current_and_upcoming(today: date) -> tuple[list[Campaign], list[Campaign]]:
    """Published campaigns under way today, and those still to come (soonest first)."""
    stmt = (
        select(Campaign)
        .where(Campaign.status == "published", Campaign.ends_on >= today)
        .order_by(Campaign.starts_on, Campaign.id)
    )
    rows = list(db.session.scalars(stmt).unique())
    return [c for c in rows if c.starts_on <= today], [c for c in rows if c.starts_on > today]


def get_public_campaign(slug: str) -> Campaign | None:
    return db.session.scalar(
        select(Campaign).where(Campaign.slug == slug, Campaign.status == "published")
    )


def public_products(campaign: Campaign) -> list[Product]:
    """The campaign's products still public, in the chosen order."""
    stmt = (
        public_products_query()
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
    province_id = values.get("province_id") or None
    if province_id is None and user.role != "admin":
        raise PromotionError(
            "Chương trình toàn quốc chỉ quản trị viên tạo được; vui lòng chọn tỉnh, thành phố.",
            field="province_id",
        )
    if province_id is not None:
        if db.session.get(Province, province_id) is None:
            raise PromotionError(
                "Vui lòng chọn một tỉnh, thành phố trong danh sách.", field="province_id"
            )
        if not user.covers(province_id):
            raise PromotionError(
                "Bạn chỉ tạo được chương trình của tỉnh, thành phố mình phụ trách.",
                field="province_id",
            )
    return {
        "title": text(values, "title", MAX_TITLE, "tên chương trình", required=True),
        "summary": text(values, "summary", MAX_SUMMARY, "tóm tắt", required=False),
        "description": markdown_text(values, "description"),
        "banner_alt": text(values, "banner_alt", MAX_ALT, "mô tả ảnh", required=False),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "province_id": province_id,
    }


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    return {name: getattr(campaign, name) for name in FIELDS}


def _require_alt(clean: dict[str, Any], digest: str | None) -> None:
    if digest and not clean["banner_alt"]:
        raise PromotionError(
            "Vui lòng mô tả ngắn nội dung ảnh bìa (cho người không xem được ảnh).",
            field="banner_alt",
        )


def create_campaign(user: User, values: dict[str, Any], banner: Any | None = None) -> Campaign:
    """A new draft campaign; the banner is processed before the transaction."""
    clean = _values(user, values)
    digest, _ = store_picture(banner, "banner")
    _require_alt(clean, digest)
    with write_transaction():
        campaign = Campaign(**clean, banner_digest=digest, status="draft", created_by_id=user.id)
        campaign.slug = unique_slug(Campaign, clean["title"], hint=str(clean["starts_on"].year))
        db.session.add(campaign)
        db.session.flush()
        audit.record(user, "campaign.create", "campaign", campaign.id, after=_snapshot(campaign))
    return campaign


def update_campaign(
    user: User, campaign_id: int, values: dict[str, Any], banner: Any | None = None
) -> Campaign:
    """Edit a campaign of the user's provinces (the slug stays, so shared links keep working)."""
    get_campaign(user, campaign_id)
    clean = _values(user, values)
    digest, _ = store_picture(banner, "banner")
    with write_transaction():
        campaign = get_campaign(user, campaign_id)
        _require_alt(clean, digest or campaign.banner_digest)
        before = _snapshot(campaign)
        for name, value in clean.items():
            setattr(campaign, name, value)
        if digest:
            campaign.banner_digest = digest
        audit.record(
            user,
            "campaign.update",
            "campaign",
            campaign.id,
            before=before,
            after=_snapshot(campaign),
        )
    return campaign


def set_published(user: User, campaign_id: int, published: bool) -> Campaign:
    with write_transaction():
        campaign = get_campaign(user, campaign_id)
        before = campaign.status
        campaign.status = "published" if published else "draft"
        action = "campaign.publish" if published else "campaign.unpublish"
        audit.record(
            user,
            action,
            "campaign",
            campaign.id,
            before={"status": before},
            after={"status": campaign.status},
        )
    return campaign


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
        product = public_product(product_id)
        if product is None:
            raise PromotionError("Chỉ thêm được sản phẩm đang hiển thị công khai.")
        check_scope(user, product.province_id)
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
