"""No Vietnamese left in the interface of English pages (issue 14.8).

Each main public page of the demo catalogue is rendered with ?hl=en; its interface text
(tests/web/interface_text.py: everything outside elements marked lang="vi", the way
Vietnamese product, producer and place data is rendered) must hold no Vietnamese letter.
A failure names the page and the text, to translate in messages.po or to mark as data.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Campaign, Category, Producer, Product, Province, Story
from catalog.orders import cart
from tests.orders.support import add
from tests.web.interface_text import vietnamese_interface_text


def _first_slug(model: type, *where: object) -> str:
    slug = db.session.scalars(select(model.slug).where(*where).order_by(model.id)).first()
    assert slug, f"no {model.__name__} in the demo catalogue"
    return str(slug)


def _pages() -> dict[str, str]:
    product = db.session.scalars(
        select(Product)
        .where(Product.status == "published", Product.certificate_year.is_not(None))
        .order_by(Product.id)
    ).first()
    assert product is not None
    return {
        "home": "/",
        "listing": "/san-pham",
        "listing filtered": "/san-pham?sao=5",
        "search": "/tim-kiem?q=mat+ong",
        "search in English": "/tim-kiem?q=honey",
        "search, nothing found": "/tim-kiem?q=xyzzy+qwerty",
        "product": f"/san-pham/{product.slug}",
        "producer": f"/co-so/{product.producer.slug}",
        "trusted producer": f"/co-so/{_first_slug(Producer, Producer.trusted.is_(True))}",
        "verified producer": f"/co-so/{_first_slug(Producer, Producer.verified.is_(True))}",
        "province": f"/tinh/{_first_slug(Province)}",
        "old province": "/tinh/bac-ninh?tu=bac-giang",
        "OCOP group": f"/nhom/{_first_slug(Category)}",
        "cart": "/gio-hang",
        "badges": "/huong-dan/nhan-tin-cay",
        "campaigns": "/chuong-trinh",
        "campaign": f"/chuong-trinh/{_first_slug(Campaign)}",
        "stories": "/tin-tuc",
        "story": f"/tin-tuc/{_first_slug(Story)}",
        "complaint form": f"/phan-anh/san-pham/{product.id}",
        "producer complaint form": f"/phan-anh/co-so/{product.producer_id}",
        "not found": "/khong-co-trang-nay",
    }


def test_english_pages_have_no_vietnamese_interface_text(demo_client):
    problems: dict[str, list[str]] = {}
    pages = _pages()
    published = select(Product).where(Product.status == "published").order_by(Product.id)
    orderable = next(p for p in db.session.scalars(published) if cart.orderable_product(p.id))
    demo_client.get("/?hl=en")
    add(demo_client, orderable)  # the cart lives in the session cookie: nothing is written
    assert orderable.name in demo_client.get("/gio-hang").get_data(as_text=True)
    pages["cart, filled"] = "/gio-hang"
    for name, url in pages.items():
        response = demo_client.get(url + ("&" if "?" in url else "?") + "hl=en")
        assert response.status_code in (200, 404), (name, response.status_code)
        found = vietnamese_interface_text(response.get_data(as_text=True))
        if found:
            problems[f"{name} ({url})"] = sorted(set(found))
    demo_client.get("/?hl=vi")
    assert problems == {}, "\n".join(
        f"{page}:\n  " + "\n  ".join(texts) for page, texts in problems.items()
    )


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<p>Price <span lang="vi">Mật ong</span></p>', []),
        ("<p>Giá</p>", ["<p> Giá"]),
        ('<img src="x" alt="Ảnh">', ["<img Ảnh>"]),
        ('<div lang="vi"><img src="x" alt="Ảnh"><p>Giá<br>tiền</p></div>', []),
        ('<a href="/" lang="vi" hreflang="vi">Tiếng Việt</a>', []),
        ("<script>var s = 'Giá';</script><p>ok</p>", []),
    ],
)
def test_the_checker_tells_interface_from_data(html, found):
    assert vietnamese_interface_text(html) == found


def test_the_demo_sample_notes_read_in_english(demo_client):
    """The demo's fixed notes are labels, translated on English pages; in Vietnamese they
    read as written."""
    trusted = _first_slug(Producer, Producer.trusted.is_(True))
    english = demo_client.get(f"/co-so/{trusted}?hl=en").get_data(as_text=True)
    vietnamese = demo_client.get(f"/co-so/{trusted}?hl=vi").get_data(as_text=True)
    assert "production site checked on the spot (sample data)." in english
    assert "Đã kiểm tra giấy đăng ký kinh doanh" not in english
    assert "Đã kiểm tra giấy đăng ký kinh doanh và cơ sở sản xuất tại chỗ" in vietnamese
