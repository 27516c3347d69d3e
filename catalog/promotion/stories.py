"""Stories: short articles officials publish for the promotion work the provincial plans ask
for (campaign news, exemplary producers — "gương điển hình", fair announcements).

A story has a cover through the image pipeline, Markdown text (rendered safely by
markdown_render), a province, an optional campaign, and links to the producers and products
it features, chosen from the official's provinces. Drafts are never public.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from catalog.database import write_transaction
from catalog.errors import NotFound
from catalog.extensions import db
from catalog.models import STORY_KINDS, Campaign, Producer, Product, Province, Story, User
from catalog.models.promotion import story_producers
from catalog.platform import audit
from catalog.platform.clock import utcnow
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


# -- reading -------------------------------------------------------------------------------


def get_story(user: User, story_id: int) -> Story:
    story = db.session.get(Story, story_id)
    if story is None:
        raise NotFound
    check_scope(user, story.province_id)
    return story


def stories_for(user: User) -> list[Story]:
    stmt = select(Story)
    provinces = scoped_province_ids(user)
    if provinces is not None:
        stmt = stmt.where(Story.province_id.in_(provinces or [-1]))
    stmt = stmt.order_by(Story.updated_at.desc(), Story.id.desc())
    return list(db.session.scalars(stmt).unique())


def _published():  # type: ignore[no-untyped-def]
    return (
        select(Story)
        .where(Story.status == "published")
        .order_by(Story.published_at.desc(), Story.id.desc())
    )


def latest_stories(limit: int = 3, offset: int = 0) -> list[Story]:
    return list(db.session.scalars(_published().offset(offset).limit(limit)).unique())


def count_published() -> int:
    stmt = select(func.count(Story.id)).where(Story.status == "published")
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


def get_public_story(slug: str) -> Story | None:
    return db.session.scalar(select(Story).where(Story.slug == slug, Story.status == "published"))


def campaign_choices(user: User) -> list[Campaign]:
    """Campaigns a story may belong to: those of the user's provinces, and nationwide ones."""
    stmt = select(Campaign)
    provinces = scoped_province_ids(user)
    if provinces is not None:
        stmt = stmt.where(
            Campaign.province_id.in_(provinces or [-1]) | Campaign.province_id.is_(None)
        )
    return list(db.session.scalars(stmt.order_by(Campaign.starts_on.desc())).unique())


# -- writing -------------------------------------------------------------------------------


def _values(user: User, values: dict[str, Any]) -> dict[str, Any]:
    kind = values.get("kind")
    if kind not in STORY_KINDS:
        raise PromotionError("Vui lòng chọn loại bài viết.", field="kind")
    province_id = values.get("province_id") or None
    if province_id is None and user.role != "admin":
        raise PromotionError("Vui lòng chọn tỉnh, thành phố.", field="province_id")
    if province_id is not None and (
        db.session.get(Province, province_id) is None or not user.covers(province_id)
    ):
        raise PromotionError(
            "Bạn chỉ đăng được bài của tỉnh, thành phố mình phụ trách.", field="province_id"
        )
    campaign_id = values.get("campaign_id") or None
    if campaign_id is not None and campaign_id not in {c.id for c in campaign_choices(user)}:
        raise PromotionError("Vui lòng chọn một chương trình trong danh sách.", field="campaign_id")
    return {
        "title": text(values, "title", MAX_TITLE, "tiêu đề", required=True),
        "summary": text(values, "summary", MAX_SUMMARY, "tóm tắt", required=False),
        "body": markdown_text(values, "body"),
        "cover_alt": text(values, "cover_alt", MAX_ALT, "mô tả ảnh", required=False),
        "kind": kind,
        "province_id": province_id,
        "campaign_id": campaign_id,
    }


def _snapshot(story: Story) -> dict[str, Any]:
    values = {name: getattr(story, name) for name in FIELDS}
    values["producer_ids"] = [p.id for p in story.producers]
    values["product_ids"] = [p.id for p in story.products]
    return values


def _require_alt(clean: dict[str, Any], digest: str | None) -> None:
    if digest and not clean["cover_alt"]:
        raise PromotionError(
            "Vui lòng mô tả ngắn nội dung ảnh bìa (cho người không xem được ảnh).",
            field="cover_alt",
        )


def create_story(user: User, values: dict[str, Any], cover: Any | None = None) -> Story:
    clean = _values(user, values)
    digest, _ = store_picture(cover, "cover")
    _require_alt(clean, digest)
    with write_transaction():
        story = Story(**clean, cover_digest=digest, status="draft", author_id=user.id)
        story.slug = unique_slug(Story, clean["title"])
        db.session.add(story)
        db.session.flush()
        audit.record(user, "story.create", "story", story.id, after=_snapshot(story))
    return story


def update_story(
    user: User, story_id: int, values: dict[str, Any], cover: Any | None = None
) -> Story:
    get_story(user, story_id)
    clean = _values(user, values)
    digest, _ = store_picture(cover, "cover")
    with write_transaction():
        story = get_story(user, story_id)
        _require_alt(clean, digest or story.cover_digest)
        before = _snapshot(story)
        for name, value in clean.items():
            setattr(story, name, value)
        if digest:
            story.cover_digest = digest
        audit.record(user, "story.update", "story", story.id, before=before, after=_snapshot(story))
    return story


def set_published(user: User, story_id: int, published: bool) -> Story:
    with write_transaction():
        story = get_story(user, story_id)
        before = story.status
        story.status = "published" if published else "draft"
        if published and story.published_at is None:
            story.published_at = utcnow()
        action = "story.publish" if published else "story.unpublish"
        audit.record(
            user,
            action,
            "story",
            story.id,
            before={"status": before},
            after={"status": story.status},
        )
    return story


def _linkable(user: User, kind: str, entry_id: int) -> Producer | Product:
    if kind == "product":
        entry: Producer | Product | None = public_product(entry_id)
        message = "Chỉ liên kết được sản phẩm đang hiển thị công khai."
    else:
        entry = db.session.get(Producer, entry_id)
        entry = entry if entry is not None and entry.status == "active" else None
        message = "Chỉ liên kết được cơ sở đang hoạt động."
    if entry is None:
        raise PromotionError(message)
    check_scope(user, entry.province_id)
    return entry


def set_link(user: User, story_id: int, kind: str, entry_id: int, linked: bool) -> Story:
    """Link (or unlink) a producer or product of the user's provinces to a story."""
    if kind not in LINK_KINDS:
        raise NotFound
    with write_transaction():
        story = get_story(user, story_id)
        links = story.producers if kind == "producer" else story.products
        current = next((e for e in links if e.id == entry_id), None)
        if linked and current is None:
            entry = _linkable(user, kind, entry_id)
            links.append(entry)  # type: ignore[arg-type]
        elif not linked and current is not None:
            links.remove(current)  # type: ignore[arg-type]
        elif not linked:
            raise NotFound
        else:
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
