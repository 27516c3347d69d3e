"""The Markdown fields' preview (issue 14.7): one endpoint for the page's script and the
form's own "Xem trước" submit without JavaScript, both rendering with the public pages'
renderer and sanitiser; signed-in officials only, CSRF-protected, size-limited."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from catalog.extensions import db
from catalog.models import Campaign, Story
from catalog.platform.markdown_render import render_markdown
from catalog.promotion.promotion_common import MAX_MARKDOWN
from tests.factories import province
from tests.forms import csrf_token, post_form
from tests.listings.support import jpeg, owner
from tests.promotion.support import make_campaign, official

PREVIEW = "/quan-ly/xem-truoc-markdown"
CAMPAIGNS = "/quan-ly/chuong-trinh"
HOSTILE = (
    "## Lịch\n\n**Hạt dẻ** *Trùng Khánh*\n\n- một\n- hai\n\n[trang](https://example.vn) "
    '<script>alert("x")</script> [xấu](javascript:alert(1)) ![ảnh](https://evil.example/a.png)'
    '<img src=x onerror="alert(2)">'
)


def preview(client, text: str, token: str | None = "from-page"):  # type: ignore[no-untyped-def]
    data = {"text": text}
    if token == "from-page":
        data["csrf_token"] = csrf_token(client, f"{CAMPAIGNS}/moi")
    elif token is not None:
        data["csrf_token"] = token
    return client.post(PREVIEW, data=data)


def test_the_endpoint_renders_like_the_public_page_and_sanitises(app, client, login_as):
    login_as(official())
    response = preview(client, HOSTILE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["X-Markdown-Preview"] == "1"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert str(render_markdown(HOSTILE)) in html  # the very renderer of the public page
    assert "<h2>Lịch</h2>" in html and "<strong>Hạt dẻ</strong>" in html and "<li>hai</li>" in html
    assert 'href="https://example.vn"' in html
    # Raw HTML and a javascript: link come out as visible text, never as markup.
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    empty = preview(client, "   ")
    assert empty.status_code == 200 and "Chưa có nội dung để xem trước" in empty.get_data(
        as_text=True
    )


def test_oversized_text_is_refused_politely(app, client, login_as):
    login_as(official())
    response = preview(client, "x" * (MAX_MARKDOWN + 1))
    assert response.status_code == 413 and response.headers["X-Markdown-Preview"] == "1"
    assert "Nội dung quá dài để xem trước: tối đa 20.000 ký tự" in response.get_data(as_text=True)
    huge = preview(client, "đ" * (MAX_MARKDOWN * 7))  # a body past what any field could take
    assert huge.status_code == 413
    assert preview(client, "x" * MAX_MARKDOWN).status_code == 200


def test_no_csrf_token_no_sign_in_no_official_no_preview(app, client, login_as):
    login_as(official())
    for token in (None, "forged"):
        response = preview(client, "**x**", token=token)
        assert response.status_code == 400 and "X-Markdown-Preview" not in response.headers
    assert client.get(PREVIEW).status_code == 405
    anonymous = app.test_client()
    response = anonymous.post(PREVIEW, data={"text": "**x**"})
    assert response.status_code == 400  # no token either
    token = csrf_token(anonymous, "/tai-khoan/dang-nhap")
    response = anonymous.post(PREVIEW, data={"text": "**x**", "csrf_token": token})
    assert response.status_code == 302 and "/tai-khoan/dang-nhap" in response.headers["Location"]
    login_as(owner())
    response = client.post(PREVIEW, data={"text": "**x**", "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 403 and "X-Markdown-Preview" not in response.headers


def _campaign(**changes: object) -> dict:
    return {
        "title": "Hội chợ <b>OCOP</b> Cao Bằng",
        "starts_on": "01/11/2026",
        "ends_on": "30/11/2026",
        "province_id": str(province("Cao Bằng").id),
        "summary": "Phiên hàng cuối tuần.",
        "description": HOSTILE,
        "banner_alt": "Gian hàng",
        **changes,
    }


def test_without_js_the_form_comes_back_with_the_preview_and_every_value(app, client, login_as):
    login_as(official())
    form = client.get(f"{CAMPAIGNS}/moi").get_data(as_text=True)
    assert 'name="xem_truoc" value="description"' in form and "/quan-ly/xem-truoc-markdown" in form
    assert "**đậm**, *nghiêng*, - danh sách" in form and "js/markdown-preview." in form
    # Enter in a text box submits the first button: a save, not the preview.
    assert form.index('<button type="submit" hidden') < form.index('name="xem_truoc"')
    response = post_form(client, f"{CAMPAIGNS}/moi", _campaign(xem_truoc="description"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Campaign.id))) == 0  # nothing saved
    assert "<strong>Hạt dẻ</strong>" in page and "Xem trước nội dung (chưa lưu)" in page
    assert "<script>alert" not in page and "Hội chợ <b>OCOP" not in page
    assert 'value="Hội chợ &lt;b&gt;OCOP&lt;/b&gt; Cao Bằng"' in page
    assert 'value="01/11/2026"' in page and 'value="Gian hàng"' in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page  # the text box, as typed
    with_file = post_form(
        client,
        f"{CAMPAIGNS}/moi",
        {**_campaign(xem_truoc="description"), "banner": (io.BytesIO(jpeg()), "bia.jpg")},
    )
    assert "Hãy chọn lại ảnh trước khi lưu" in with_file.get_data(as_text=True)
    oversized = post_form(
        client, f"{CAMPAIGNS}/moi", _campaign(xem_truoc="description", description="x" * 20_001)
    )
    assert oversized.status_code == 200 and "Nội dung quá dài để xem trước" in oversized.get_data(
        as_text=True
    )
    saved = post_form(client, f"{CAMPAIGNS}/moi", _campaign())
    assert saved.status_code == 302  # the save button still saves


def test_preview_of_an_edit_keeps_the_version_and_saves_nothing(app, client, login_as):
    curator = login_as(official())
    campaign = make_campaign(curator, publish=False)
    url = f"{CAMPAIGNS}/{campaign.id}"
    response = post_form(client, url, _campaign(xem_truoc="description", description="*mới*"))
    assert response.status_code == 200 and "<em>mới</em>" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).description != "*mới*"
    bogus = post_form(client, url, _campaign(xem_truoc="title"))  # not a Markdown field: a save
    assert bogus.status_code == 302


def test_the_story_form_previews_its_body(app, client, login_as):
    login_as(official())
    url = "/quan-ly/bai-viet/moi"
    data = {
        "title": "Gương điển hình",
        "kind": "news",
        "province_id": str(province("Cao Bằng").id),
        "campaign_id": "",
        "summary": "",
        "body": "## Câu chuyện\n\n**HTX** Hồng Phúc",
        "cover_alt": "",
        "xem_truoc": "body",
    }
    response = post_form(client, url, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h2>Câu chuyện</h2>" in page
    assert db.session.scalar(select(func.count(Story.id))) == 0
