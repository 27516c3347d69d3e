"""Stories: short articles officials publish for the promotion work the provincial plans ask
for (campaign news, exemplary producers — "gương điển hình", fair announcements).

A story has a cover through the image pipeline, Markdown text (rendered safely by
markdown_render), a province, an optional campaign, and links to the producers and products
it features, chosen from the official's provinces. Drafts are never public.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Select, func, select

from catalog.database import write_transaction
from catalog.errors import NotFound
from catalog.extensions import db
from catalog.listings.listing_uploads import Upload
from catalog.models import STORY_KINDS, Campaign, Producer, Product, Story, User
from catalog.models.promotion import story_producers
from catalog.models.statuses import ProducerStatus
from catalog.models.visibility import story_is_public
from catalog.platform import audit
from catalog.platform.clock import utcnow
from catalog.promotion import publication
from catalog.promotion.promotion_common import (
    PromotionError,
    check_scope,
    load_in_scope,
    public_product_in_scope,
    within_scope,
)

FIELDS = (
    "title",
    "kind",
    "summary",
    "body",
    "province_id",
    "campaign_id",
    "cover_alt",
    "cover_digest",
    "status",
)
LINK_KINDS = ("producer", "product")
Linked = TypeVar("Linked", Producer, Product)


# -- reading -------------------------------------------------------------------------------


def get_story(user: User, story_id: int) -> Story:
    """A story the user may edit; NotFound / Forbidden otherwise."""
    return load_in_scope(Story, user, story_id)


def stories_for(user: User) -> list[Story]:
    stmt = within_scope(select(Story), Story.province_id, user)
    stmt = stmt.order_by(Story.updated_at.desc(), Story.id.desc())
    return list(db.session.scalars(stmt).unique())


def _published() -> Select[Story]:
    return (
        select(Story).where(story_is_public()).order_by(Story.published_at.desc(), Story.id.desc())
    )


def latest_stories(limit: int = 3, offset: int = 0) -> list[Story]:
    return list(db.session.scalars(_published().offset(offset).limit(limit)).unique())


def count_published() -> int:
    stmt = select(func.count(Story.id)).where(story_is_public())
    return db.session.scalar(stmt) or 0


def stories_about_producer(producer_id: int, limit: int = 6) -> list[Story]:
    """Published stories featuring a producer (its public page lists them)."""
    stmt = (
        _published()
        .join(story_producers, story_producers.c.story_id == Story.id)
        .where(story_producers.c.producer_id == producer_id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt).unique())


def get_public_story(slug: str) -> Story:
    """A published story; NotFound for a draft or an unknown slug."""
    story = db.session.scalar(select(Story).where(Story.slug == slug, story_is_public()))
    if story is None:
        raise NotFound
    return story


def campaign_choices(user: User) -> list[Campaign]:
    """Campaigns a story may belong to: those of the user's provinces, and nationwide ones."""
    stmt = within_scope(select(Campaign), Campaign.province_id, user, nationwide=True)
    return list(db.session.scalars(stmt.order_by(Campaign.starts_on.desc())).unique())


# -- writing -------------------------------------------------------------------------------


def _values(user: User, values: dict[str, Any]) -> dict[str, Any]:
    kind = values.get("kind")
    if kind not in STORY_KINDS:
        raise PromotionError("Vui lòng chọn loại bài viết.", field="kind")
    outside = "Bạn chỉ đăng được bài của tỉnh, thành phố mình phụ trách."
    province_id = publication.province(
        user,
        values,
        nationwide="Vui lòng chọn tỉnh, thành phố.",
        unknown=outside,
        outside=outside,
    )
    campaign_id = values.get("campaign_id") or None
    if campaign_id is not None and campaign_id not in {c.id for c in campaign_choices(user)}:
        raise PromotionError("Vui lòng chọn một chương trình trong danh sách.", field="campaign_id")
    return {
        **publication.texts(values, title_label="tiêu đề", body="body", alt="cover_alt"),
        "kind": kind,
        "province_id": province_id,
        "campaign_id": campaign_id,
    }


def _snapshot(story: Story) -> dict[str, Any]:
    values = publication.fields_of(story, FIELDS)
    values["producer_ids"] = [p.id for p in story.producers]
    values["product_ids"] = [p.id for p in story.products]
    return values


def _stamp_first_publication(story: Story) -> None:
    """The date a story first went out stays, whatever later unpublishing and publishing."""
    if story.published_at is None:
        story.published_at = utcnow()


STORY = publication.Kind(
    model=Story,
    name="story",
    picture="cover",
    owner="author_id",
    clean=_values,
    snapshot=_snapshot,
    on_publish=_stamp_first_publication,
)


def create_story(user: User, values: dict[str, Any], cover: Upload | None = None) -> Story:
    """A new draft story; the cover is processed before the transaction."""
    return publication.create(STORY, user, values, cover)


def update_story(
    user: User, story_id: int, values: dict[str, Any], cover: Upload | None = None
) -> Story:
    """Edit a story of the user's provinces (the slug stays, so shared links keep working)."""
    return publication.update(STORY, user, story_id, values, cover)


def set_published(user: User, story_id: int, published: bool) -> Story:
    return publication.set_published(STORY, user, story_id, published)


def _active_producer(user: User, producer_id: int) -> Producer:
    producer = db.session.get(Producer, producer_id)
    if producer is None or producer.status != ProducerStatus.ACTIVE:
        raise PromotionError("Chỉ liên kết được cơ sở đang hoạt động.")
    check_scope(user, producer.province_id)
    return producer


def _public_product(user: User, product_id: int) -> Product:
    refusal = "Chỉ liên kết được sản phẩm đang hiển thị công khai."
    return public_product_in_scope(user, product_id, refusal)


def _toggle(
    links: list[Linked],
    linked: bool,
    load: Callable[[User, int], Linked],
    user: User,
    entry_id: int,
) -> bool:
    """Add the entry (`load` checks it may be linked) or remove it; False when it is already
    linked, NotFound when it is not linked and should be removed."""
    current = next((e for e in links if e.id == entry_id), None)
    if linked and current is None:
        links.append(load(user, entry_id))
    elif not linked and current is not None:
        links.remove(current)
    elif not linked:
        raise NotFound
    else:
        return False
    return True


def set_link(user: User, story_id: int, kind: str, entry_id: int, linked: bool) -> Story:
    """Link (or unlink) a producer or product of the user's provinces to a story."""
    if kind not in LINK_KINDS:
        raise NotFound
    with write_transaction():
        story = get_story(user, story_id)
        if kind == "producer":
            changed = _toggle(story.producers, linked, _active_producer, user, entry_id)
        else:
            changed = _toggle(story.products, linked, _public_product, user, entry_id)
        if not changed:
            return story
        audit.record(
            user,
            f"story.{'link' if linked else 'unlink'}_{kind}",
            "story",
            story.id,
            after={f"{kind}_id": entry_id},
        )
    return story


def public_links(story: Story) -> tuple[list[Producer], list[Product]]:
    """The featured producers and products the public may open (active, published)."""
    producers = [p for p in story.producers if p.status == "active"]
    return producers, [p for p in story.products if p.is_public]


def stories_of_campaign(campaign_id: int, limit: int = 6) -> list[Story]:
    stmt = _published().where(Story.campaign_id == campaign_id).limit(limit)
    return list(db.session.scalars(stmt).unique())
