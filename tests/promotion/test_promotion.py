"""Featured products, campaigns and stories: the services' rules (scope, dates, published
products only, audit) and the officials' and public pages, with hostile input."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from catalog.errors import Forbidden
from catalog.extensions import db
from catalog.models import AuditEntry, Campaign, Story
from catalog.platform.markdown_render import render_markdown
from catalog.promotion import campaigns, featured, stories
from catalog.promotion.promotion_common import PromotionError
from tests.factories import create_user, province
from tests.forms import csrf_token, post_form
from tests.listings.support import draft, jpeg, owner, png
from tests.promotion.support import (
    TODAY,
    campaign_values,
    index_public,
    make_campaign,
    make_story,
    official,
    product_in,
)

CAMPAIGNS = "/quan-ly/chuong-trinh"
HOSTILE = '<script>alert("x")</script>'


def actions(entity_type: str, entity_id: int) -> list[str]:
    stmt = select(AuditEntry.action).where(
        AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id
    )
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


# -- Markdown ---------------------------------------------------------------------------------


def test_markdown_keeps_simple_formatting_and_starts_headings_at_h2():
    html = str(
        render_markdown(
            "# Tiêu đề\n\n## Phần\n\n### Mục\n\n##### Nhỏ\n\nĐoạn **đậm** *nghiêng*.\n\n"
            "> trích\n\n- một\n- hai\n\n"
            "1. a\n\n[Sở Công Thương](https://sct.caobang.gov.vn) [thư](mailto:a@b.vn)"
        )
    )
    assert "<h2>Tiêu đề</h2>" in html and "<h2>Phần</h2>" in html and "<h1" not in html
    assert "<h3>Mục</h3>" in html and "<h4>Nhỏ</h4>" in html
    assert "<strong>đậm</strong>" in html and "<em>nghiêng</em>" in html
    assert "<blockquote>" in html and "<ul>" in html and "<ol>" in html
    assert '<a href="https://sct.caobang.gov.vn" rel="nofollow noopener">' in html
    assert '<a href="mailto:a@b.vn" rel="nofollow noopener">' in html


@pytest.mark.parametrize(
    "source",
    [
        HOSTILE,
        "<img src=x onerror=alert(1)>",
        '<a href="https://x.vn" onclick="alert(1)">x</a>',
        "[bấm](javascript:alert(1))",
        "[bấm](JaVaScRiPt:alert(1))",
        "[bấm](data:text/html;base64,PHNjcmlwdD4=)",
        "[bấm](vbscript:msgbox)",
        "![ảnh](https://evil.example/x.png)",
        "<style>body{display:none}</style>",
        "<iframe src=https://evil.example></iframe>",
        '[x](https://a.vn" onmouseover="alert(1))',
        "```\n<script>alert(1)</script>\n```",
        "<!-- <script> -->",
    ],
)
def test_markdown_drops_scripts_images_raw_html_and_bad_links(source):
    html = str(render_markdown(source)).lower()
    assert "<script" not in html and "<img" not in html and "<style" not in html
    assert "<iframe" not in html and "javascript:" not in html.replace("(javascript:", "")
    assert not re.search(r"<[^>]+\son\w+=", html)  # no event handler attribute on a tag
    assert 'href="javascript' not in html and 'href="data' not in html
    assert 'href="vbscript' not in html


def test_markdown_refuses_relative_links_and_bounds_huge_input():
    assert "href" not in str(render_markdown("[trong](/quan-ly/) [x](//evil.example)"))
    started = time.perf_counter()
    for source in ("> " * 100_000 + "x", "*a " * 100_000, "- " * 100_000, "<" * 100_000):
        html = render_markdown(source)
        assert len(html) < 200_000
    assert time.perf_counter() - started < 5
    assert render_markdown("[" * 100_000) == render_markdown("[" * 100_000)  # cut, cached
    assert render_markdown("") == "" and render_markdown(None) == ""


# -- featured products ------------------------------------------------------------------------


def test_official_features_a_product_and_home_shows_it_first(app, client, login_as):
    curator = official()
    older = product_in("Cao Bằng", "Hạt dẻ Trùng Khánh", curator)
    newer = product_in("Cao Bằng", "Miến dong Nguyên Bình", curator)
    login_as(curator)
    for product in (older, newer):
        response = post_form(
            client, f"/quan-ly/noi-bat/{product.id}/them", form_url="/quan-ly/noi-bat"
        )
        assert response.status_code == 302
    assert [p.id for p in featured.home_products(2)] == [newer.id, older.id]
    page = client.get("/").get_data(as_text=True)
    assert page.index("Miến dong Nguyên Bình") < page.index("Hạt dẻ Trùng Khánh")
    assert actions("product", older.id)[-1] == "product.feature"
    listing = client.get("/quan-ly/noi-bat").get_data(as_text=True)
    assert "Bỏ nổi bật" in listing and "Miến dong Nguyên Bình" in listing
    response = post_form(client, f"/quan-ly/noi-bat/{newer.id}/bo", form_url="/quan-ly/noi-bat")
    assert response.status_code == 302
    db.session.expire_all()
    assert [p.id for p in featured.home_products(1)] == [older.id]
    assert actions("product", newer.id)[-1] == "product.unfeature"


def test_home_falls_back_to_best_products_when_nothing_is_featured(app):
    product = product_in("Cao Bằng", "Hạt dẻ Trùng Khánh")
    assert [p.id for p in featured.home_products(12)] == [product.id]


def test_featuring_is_limited_to_the_officials_provinces_and_public_products(app, client, login_as):
    curator = official()
    elsewhere = product_in("Lạng Sơn", "Na Chi Lăng")
    login_as(curator)
    token = csrf_token(client, "/quan-ly/noi-bat")
    assert (
        client.post(f"/quan-ly/noi-bat/{elsewhere.id}/them", data={"csrf_token": token}).status_code
        == 403
    )
    assert (
        client.post(f"/quan-ly/noi-bat/{elsewhere.id}/bo", data={"csrf_token": token}).status_code
        == 403
    )
    assert (
        client.post("/quan-ly/noi-bat/999999/them", data={"csrf_token": token}).status_code == 404
    )
    assert client.post(f"/quan-ly/noi-bat/{elsewhere.id}/them").status_code == 400  # no CSRF
    maker = owner()
    unpublished = draft(maker, "Hạt dẻ chưa duyệt")
    response = client.post(f"/quan-ly/noi-bat/{unpublished.id}/them", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Chỉ chọn được sản phẩm đang hiển thị công khai." in response.get_data(as_text=True)
    # The picker lists published products of their provinces only.
    mine = product_in("Cao Bằng", "Na Trùng Khánh", curator)
    index_public()  # the picker searches the index
    page = client.get("/quan-ly/noi-bat?q=Na").get_data(as_text=True)
    assert "Na Trùng Khánh" in page and "Na Chi Lăng" not in page
    assert f"/quan-ly/noi-bat/{mine.id}/them" in page
    with pytest.raises(Forbidden):
        featured.feature(curator, elsewhere.id)


# -- campaigns: rules -------------------------------------------------------------------------


def test_dates_must_be_in_order_and_officials_cannot_go_nationwide(app):
    curator = official()
    with pytest.raises(PromotionError, match="Ngày kết thúc phải cùng hoặc sau") as refusal:
        campaigns.create_campaign(curator, campaign_values(ends_on=TODAY - timedelta(days=30)))
    assert refusal.value.field == "ends_on"
    with pytest.raises(PromotionError, match="toàn quốc") as refusal:
        campaigns.create_campaign(curator, campaign_values(province_id=None))
    assert refusal.value.field == "province_id"
    with pytest.raises(PromotionError, match="phụ trách"):
        campaigns.create_campaign(curator, campaign_values(province_id=province("Lạng Sơn").id))
    one_day = campaigns.create_campaign(curator, campaign_values(starts_on=TODAY, ends_on=TODAY))
    assert one_day.starts_on == one_day.ends_on
    nationwide = campaigns.create_campaign(create_user("admin"), campaign_values(province_id=None))
    assert nationwide.province_id is None and nationwide.slug.startswith("thang-hang-viet")
    assert actions("campaign", nationwide.id) == ["campaign.create"]


def test_active_campaigns_follow_their_dates_and_status(app):
    curator = official()
    on = make_campaign(curator, title="Đang diễn ra")
    make_campaign(curator, title="Bản nháp", publish=False)
    later = make_campaign(
        curator,
        title="Sắp tới",
        starts_on=TODAY + timedelta(days=1),
        ends_on=TODAY + timedelta(days=9),
    )
    assert [c.id for c in campaigns.active_campaigns(TODAY)] == [on.id]
    assert [c.id for c in campaigns.active_campaigns(on.starts_on)] == [on.id]
    assert [c.id for c in campaigns.active_campaigns(on.ends_on)] == [on.id]
    assert campaigns.active_campaigns(on.starts_on - timedelta(days=1)) == []
    assert on.id not in [c.id for c in campaigns.active_campaigns(on.ends_on + timedelta(days=1))]
    assert later.id in [c.id for c in campaigns.active_campaigns(later.starts_on)]
    current, upcoming = campaigns.current_and_upcoming(TODAY)
    assert [c.id for c in current] == [on.id] and [c.id for c in upcoming] == [later.id]
    assert actions("campaign", on.id) == ["campaign.create", "campaign.publish"]


def test_campaign_products_are_published_in_scope_and_ordered(app):
    curator = official()
    campaign = make_campaign(curator)
    first = product_in("Cao Bằng", "Hạt dẻ Trùng Khánh", curator)
    second = product_in("Cao Bằng", "Miến dong Nguyên Bình", curator)
    elsewhere = product_in("Lạng Sơn", "Na Chi Lăng")
    for product in (first, second, first):  # adding twice keeps one
        campaigns.add_product(curator, campaign.id, product.id)
    campaigns.move_product(curator, campaign.id, second.id, -1)
    assert campaigns.product_ids(campaign) == [second.id, first.id]
    assert [p.id for p in campaigns.public_products(campaign)] == [second.id, first.id]
    with pytest.raises(Forbidden):
        campaigns.add_product(curator, campaign.id, elsewhere.id)
    unpublished = draft(owner(), "Chưa duyệt")
    with pytest.raises(PromotionError, match="đang hiển thị công khai"):
        campaigns.add_product(curator, campaign.id, unpublished.id)
    campaigns.add_product(create_user("admin"), campaign.id, elsewhere.id)  # admins: any
    campaigns.remove_product(curator, campaign.id, second.id)
    assert campaigns.product_ids(campaign) == [first.id, elsewhere.id]
    assert "campaign.reorder" in actions("campaign", campaign.id)


# -- campaigns: officials' pages ----------------------------------------------------------------


def test_official_creates_edits_and_publishes_a_campaign_through_the_pages(app, client, login_as):
    curator = login_as(official())
    product = product_in("Cao Bằng", "Hạt dẻ Trùng Khánh", curator)
    response = post_form(
        client,
        f"{CAMPAIGNS}/moi",
        {
            "title": "Hội chợ OCOP Cao Bằng",
            "starts_on": "2026-11-01",
            "ends_on": "30/11/2026",
            "province_id": str(province("Cao Bằng").id),
            "summary": "Phiên hàng cuối tuần.",
            "description": "## Lịch\n\nThứ bảy, chủ nhật.",
            "banner": (io.BytesIO(png()), "bia.png"),
            "banner_alt": "Gian hàng hội chợ",
        },
    )
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign).where(Campaign.title == "Hội chợ OCOP Cao Bằng"))
    assert campaign.status == "draft" and campaign.banner_digest
    edit = response.headers["Location"]
    products_url = f"{CAMPAIGNS}/{campaign.id}/san-pham"
    index_public()  # the picker searches the index
    page = client.get(f"{products_url}?q=hạt dẻ").get_data(as_text=True)
    assert "Hạt dẻ Trùng Khánh" in page and 'value="them"' in page
    response = post_form(
        client, f"{products_url}?q=hạt dẻ", {"action": "them", "product_id": product.id}
    )
    assert response.status_code == 302
    assert campaigns.product_ids(campaign) == [product.id]
    response = post_form(client, f"{CAMPAIGNS}/{campaign.id}/dang", form_url=edit)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).status == "published"
    public = client.get(f"/chuong-trinh/{campaign.slug}").get_data(as_text=True)
    assert "Hội chợ OCOP Cao Bằng" in public and "<h2>Lịch</h2>" in public
    assert f"/anh/{campaign.banner_digest}-thumb.webp 320w" in public
    assert 'alt="Gian hàng hội chợ"' in public and "Hạt dẻ Trùng Khánh" in public
    assert "01/11/2026" in public and "30/11/2026" in public


def _campaign_form(**changes: object) -> dict:
    values = {
        "title": "Tháng hàng Việt",
        "starts_on": "2026-11-01",
        "ends_on": "2026-11-30",
        "province_id": "",
        "summary": "",
        "description": "",
        "banner_alt": "",
    }
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2026-10-01"}, "Ngày kết thúc phải cùng hoặc sau ngày bắt đầu."),
        ({"starts_on": "31/02/2026"}, "Ngày không hợp lệ"),
        ({"starts_on": ""}, "Vui lòng điền mục này."),
        ({"title": "x" * 201}, "Tối đa 200 ký tự."),
        ({"province_id": ""}, "Chương trình toàn quốc chỉ quản trị viên tạo được"),
        ({"province_id": "99999"}, "Vui lòng chọn một mục trong danh sách."),
        ({"banner": (io.BytesIO(b"just text, no picture"), "bia.jpg")}, "Không đọc được ảnh"),
        ({"banner": (io.BytesIO(jpeg()), "bia.jpg")}, "Vui lòng mô tả ngắn nội dung ảnh bìa"),
    ],
)
def test_bad_campaign_input_is_refused_next_to_the_field(app, client, login_as, changes, message):
    login_as(official())
    values = _campaign_form(province_id=str(province("Cao Bằng").id))
    values.update(changes)
    response = post_form(client, f"{CAMPAIGNS}/moi", values)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and 'class="error-message"' in page
    assert db.session.scalar(select(Campaign.id)) is None


def test_a_too_big_banner_gets_the_pipelines_message(app, client, login_as):
    app.config["MAX_UPLOAD_BYTES"] = 200
    curator = login_as(official())
    values = _campaign_form(province_id=str(province("Cao Bằng").id), banner_alt="Ảnh")
    values["banner"] = (io.BytesIO(jpeg()), "bia.jpg")
    response = post_form(client, f"{CAMPAIGNS}/moi", values)
    assert response.status_code == 422
    assert "Ảnh quá lớn" in response.get_data(as_text=True)
    assert campaigns.campaigns_for(curator) == []


def test_cao_bang_official_cannot_touch_lang_son_campaigns(app, client, login_as):
    lang_son = make_campaign(official("Lạng Sơn"), province_id=province("Lạng Sơn").id)
    nationwide = make_campaign(create_user("admin"), province_id=None, title="Cả nước")
    mine = make_campaign(official(), title="Của Cao Bằng")
    elsewhere = product_in("Lạng Sơn", "Na Chi Lăng")
    login_as(official())
    token = csrf_token(client, CAMPAIGNS + "/moi")
    for campaign in (lang_son, nationwide):
        assert client.get(f"{CAMPAIGNS}/{campaign.id}").status_code == 403
        assert client.get(f"{CAMPAIGNS}/{campaign.id}/san-pham").status_code == 403
        data = {**_campaign_form(), "csrf_token": token}
        assert client.post(f"{CAMPAIGNS}/{campaign.id}", data=data).status_code == 403
        assert (
            client.post(f"{CAMPAIGNS}/{campaign.id}/go", data={"csrf_token": token}).status_code
            == 403
        )
    response = client.post(
        f"{CAMPAIGNS}/{mine.id}/san-pham",
        data={"csrf_token": token, "action": "them", "product_id": elsewhere.id},
    )
    assert response.status_code == 403
    assert campaigns.product_ids(mine) == []
    listing = client.get(CAMPAIGNS).get_data(as_text=True)
    assert "Của Cao Bằng" in listing and lang_son.title not in listing and "Cả nước" not in listing
    # moving one's own campaign to Lạng Sơn is refused too
    data = _campaign_form(province_id=str(province("Lạng Sơn").id), csrf_token=token)
    assert client.post(f"{CAMPAIGNS}/{mine.id}", data=data).status_code == 422
    assert client.get(f"{CAMPAIGNS}/999999").status_code == 404
    bad = {"csrf_token": token, "action": "them", "product_id": "abc"}
    assert client.post(f"{CAMPAIGNS}/{mine.id}/san-pham", data=bad).status_code == 404
    bad["action"] = "xoa-het"
    assert client.post(f"{CAMPAIGNS}/{mine.id}/san-pham", data=bad).status_code == 400


def test_promotion_pages_are_for_officials_only(app, client, login_as):
    anonymous = client.get(CAMPAIGNS)
    assert anonymous.status_code == 302 and "/dang-nhap" in anonymous.headers["Location"]
    login_as("producer")
    for url in (CAMPAIGNS, "/quan-ly/bai-viet", "/quan-ly/noi-bat", f"{CAMPAIGNS}/moi"):
        assert client.get(url).status_code == 403


# -- campaigns: public pages --------------------------------------------------------------------


def test_public_campaign_pages_hide_drafts_and_escape_hostile_text(app, client):
    curator = official()
    today = campaigns.local_today()
    hostile = make_campaign(
        curator,
        title=f"Tháng {HOSTILE}",
        summary=f"Tóm tắt {HOSTILE}",
        description=f"Mô tả {HOSTILE} [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
    )
    hidden = make_campaign(curator, title="Bản nháp bí mật", publish=False)
    later = make_campaign(
        curator,
        title="Phiên hàng sắp tới",
        starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=12),
    )
    assert client.get(f"/chuong-trinh/{hidden.slug}").status_code == 404
    assert client.get("/chuong-trinh/khong-co").status_code == 404
    for url in (f"/chuong-trinh/{hostile.slug}", "/", "/chuong-trinh"):
        page = client.get(url).get_data(as_text=True)
        assert HOSTILE not in page and "&lt;script&gt;" in page, url
        assert 'href="javascript' not in page and "<img src=x" not in page
        assert "Bản nháp bí mật" not in page
    home = client.get("/").get_data(as_text=True)
    assert "Chương trình đang diễn ra" in home and later.title not in home
    listing = client.get("/chuong-trinh").get_data(as_text=True)
    assert later.title in listing and "Sắp diễn ra" in listing
    campaigns.set_published(curator, hostile.id, False)
    assert client.get(f"/chuong-trinh/{hostile.slug}").status_code == 404
    assert "Chương trình đang diễn ra" not in client.get("/").get_data(as_text=True)


def test_home_does_not_show_a_campaign_outside_its_dates(app, client):
    today = campaigns.local_today()
    make_campaign(
        official(),
        title="Đã kết thúc hôm qua",
        starts_on=today - timedelta(days=9),
        ends_on=today - timedelta(days=1),
    )
    assert "Đã kết thúc hôm qua" not in client.get("/").get_data(as_text=True)


# -- stories ------------------------------------------------------------------------------------


def test_a_story_is_written_linked_published_and_shown_where_it_belongs(app, client, login_as):
    curator = login_as(official())
    product = product_in("Cao Bằng", "Hạt dẻ Trùng Khánh", curator)
    campaign = make_campaign(curator)
    response = post_form(
        client,
        "/quan-ly/bai-viet/moi",
        {
            "title": "Gương điển hình Trùng Khánh",
            "kind": "exemplary",
            "province_id": str(province("Cao Bằng").id),
            "campaign_id": str(campaign.id),
            "summary": "Tóm tắt",
            "body": f"## Hành trình\n\nTừ 2015. {HOSTILE}",
            "cover": (io.BytesIO(jpeg()), "bia.jpg"),
            "cover_alt": "Vườn hạt dẻ",
        },
    )
    assert response.status_code == 302
    story = db.session.scalar(select(Story).where(Story.title == "Gương điển hình Trùng Khánh"))
    assert story.status == "draft" and story.cover_digest
    assert client.get(f"/tin-tuc/{story.slug}").status_code == 404
    links = f"/quan-ly/bai-viet/{story.id}/lien-ket"
    index_public()  # the product picker searches the index
    page = client.get(f"{links}?q=Trùng Khánh").get_data(as_text=True)
    assert "Cơ sở: HTX Hạt dẻ Trùng Khánh" in page
    for kind, entry in (("co-so", product.producer_id), ("san-pham", product.id)):
        response = post_form(client, links, {"kind": kind, "entry_id": entry, "action": "them"})
        assert response.status_code == 302
    post_form(
        client, f"/quan-ly/bai-viet/{story.id}/dang", form_url=f"/quan-ly/bai-viet/{story.id}"
    )
    public = client.get(f"/tin-tuc/{story.slug}")
    text = public.get_data(as_text=True)
    assert public.status_code == 200 and "<h2>Hành trình</h2>" in text and HOSTILE not in text
    assert "Cơ sở được nêu trong bài" in text and "Hạt dẻ Trùng Khánh" in text
    assert f"/anh/{story.cover_digest}-large.webp" in text and campaign.title in text
    assert "Gương điển hình Trùng Khánh" in client.get("/").get_data(as_text=True)
    assert "Gương điển hình Trùng Khánh" in client.get("/tin-tuc").get_data(as_text=True)
    producer_page = client.get(f"/co-so/{product.producer.slug}").get_data(as_text=True)
    assert "Bài viết về cơ sở" in producer_page and "Gương điển hình Trùng Khánh" in producer_page
    assert actions("story", story.id)[:2] == ["story.create", "story.link_producer"]
    assert "story.publish" in actions("story", story.id)


def test_story_scope_and_bad_input(app, client, login_as):
    curator = official()
    lang_son_story = make_story(official("Lạng Sơn"), province_id=province("Lạng Sơn").id)
    mine = make_story(curator, publish=False)
    elsewhere = product_in("Lạng Sơn", "Na Chi Lăng")
    login_as(curator)
    token = csrf_token(client, "/quan-ly/bai-viet/moi")
    assert client.get(f"/quan-ly/bai-viet/{lang_son_story.id}").status_code == 403
    assert (
        client.post(
            f"/quan-ly/bai-viet/{lang_son_story.id}/go", data={"csrf_token": token}
        ).status_code
        == 403
    )
    data = {"csrf_token": token, "kind": "san-pham", "entry_id": elsewhere.id, "action": "them"}
    assert client.post(f"/quan-ly/bai-viet/{mine.id}/lien-ket", data=data).status_code == 403
    data["kind"] = "nguoi-dung"
    assert client.post(f"/quan-ly/bai-viet/{mine.id}/lien-ket", data=data).status_code == 400
    response = client.post(
        "/quan-ly/bai-viet/moi",
        data={
            "csrf_token": token,
            "title": "",
            "kind": "quang-cao",
            "province_id": "",
            "body": "x" * 20_001,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vui lòng chọn một mục trong danh sách." in page or "Giá trị không hợp lệ" in page
    assert "Tối đa 20000 ký tự." in page
    assert client.get(f"/tin-tuc/{mine.slug}").status_code == 404
    with pytest.raises(PromotionError, match="phụ trách"):
        stories.create_story(
            curator, {"title": "x", "kind": "news", "province_id": province("Lạng Sơn").id}
        )
    assert client.get("/tin-tuc?page=99").status_code == 404
