"""Builders for the complaint tests: a published product in Lạng Sơn with its province's
official, complaints filed through the public form, and the tracking token read back from the
thank-you page."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Complaint, MailMessage, Product, User
from tests.factories import create_user
from tests.forms import post_form
from tests.listings.support import owner, published

MESSAGE = "Mua ở chợ Đông Kinh, bao bì khác hẳn ảnh, nghi là hàng giả mạo nhãn hiệu."
TOKEN_LINK = re.compile(r"/phan-anh/theo-doi/([A-Za-z0-9_\-]+)")


def lang_son_product(name: str = "Hồng Vành Khuyên Bảo Lâm") -> tuple[Product, User]:
    """A public product of a Lạng Sơn producer, and the Lạng Sơn official who approved it."""
    curator = create_user("official", provinces=("Lạng Sơn",))
    seller = owner(province_name="Lạng Sơn", name="HTX Hồng Bảo Lâm")
    return published(seller, name, curator), curator


def complaint_url(product: Product) -> str:
    return f"/phan-anh/san-pham/{product.id}"


def file(client: Any, url: str, ip: str = "203.0.113.50", **values: str) -> Any:
    data = {"kind": "counterfeit", "message": MESSAGE, **values}
    return post_form(client, url, data, environ_base={"REMOTE_ADDR": ip})


def token_of(response: Any) -> str:
    match = TOKEN_LINK.search(response.get_data(as_text=True))
    assert match, "no tracking link on the page"
    return match.group(1)


def only_complaint() -> Complaint:
    db.session.expire_all()
    rows = db.session.scalars(select(Complaint)).all()
    assert len(rows) == 1
    return rows[0]


def mail_to(address: str) -> list[MailMessage]:
    return list(db.session.scalars(select(MailMessage).where(MailMessage.to == address)))
