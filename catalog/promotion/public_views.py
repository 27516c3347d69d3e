"""Public promotion pages: campaigns (current and upcoming, and one campaign) and stories.
Drafts are not found (the services raise NotFound: 404). Markdown is rendered to sanitised
HTML here, once per view."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from catalog.catalogue.browse import Page
from catalog.models.statuses import PublicationStatus
from catalog.platform.markdown_render import render_markdown
from catalog.promotion import campaigns, stories
from catalog.web.blueprints import public as bp
from catalog.web.params import page_number

STORIES_PER_PAGE = 12


@bp.get("/chuong-trinh", endpoint="campaigns")
def campaigns_page() -> ResponseReturnValue:
    today = campaigns.local_today()
    current, upcoming = campaigns.current_and_upcoming(today)
    return render_template("public/campaigns.html", current=current, upcoming=upcoming, today=today)


@bp.get("/chuong-trinh/<slug>")
def campaign(slug: str) -> ResponseReturnValue:
    item = campaigns.get_public_campaign(slug)
    return render_template(
        "public/campaign.html",
        campaign=item,
        description=render_markdown(item.description),
        products=campaigns.public_products(item),
        today=campaigns.local_today(),
        related_stories=stories.stories_of_campaign(item.id),
    )


@bp.get("/tin-tuc", endpoint="stories")
def stories_page() -> ResponseReturnValue:
    number = page_number(request.args)
    total = stories.count_published()
    page = Page(
        items=stories.latest_stories(STORIES_PER_PAGE, (number - 1) * STORIES_PER_PAGE),
        total=total,
        page=number,
        per_page=STORIES_PER_PAGE,
    )
    if number > 1 and not page.items:
        abort(404)
    return render_template("public/stories.html", page=page)


@bp.get("/tin-tuc/<slug>")
def story(slug: str) -> ResponseReturnValue:
    item = stories.get_public_story(slug)
    producers, products = stories.public_links(item)
    campaign_item = (
        item.campaign
        if item.campaign and item.campaign.status == PublicationStatus.PUBLISHED
        else None
    )
    return render_template(
        "public/story.html",
        story=item,
        body=render_markdown(item.body),
        producers=producers,
        products=products,
        campaign=campaign_item,
    )
