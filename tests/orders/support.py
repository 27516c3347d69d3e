"""Builders for the order tests: producers with an account and a priced published product,
the cart filled and sent through the real forms, tracking tokens read back from the page."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import MailMessage, OrderRequest, Product, User
from catalog.platform import reference
from tests.factories import create_producer, create_published_product, create_user, province
from tests.forms import post_form

TOKEN_LINK = re.compile(r"/don-hang/theo-doi/([A-Za-z0-9_\-]+)")
IP = "203.0.113.70"


def shop(
    product_name: str = "Hạt dẻ Trùng Khánh",
    producer_name: str = "HTX Hạt dẻ Trùng Khánh",
    *,
    price: int | None = 150_000,
    unit: str | None = "kg",
    province_name: str = "Cao Bằng",
    account: bool = True,
    **producer_values: Any,
) -> tuple[Product, User | None]:
    """A published, priced product of an active producer, and the producer's account."""
    values = {"phone": "02063851234", **producer_values}
    producer = create_producer(producer_name, province_name=province_name, **values)
    person = create_user("producer", producer=producer) if account else None
    product = create_published_product(product_name, producer=producer)
    with write_transaction():
        product.price_vnd = price
        product.unit = unit
    return product, person


def ha_noi() -> tuple[int, int]:
    """(province id, a ward code of Hà Nội)."""
    province_id = province("Hà Nội").id
    return province_id, reference.wards_of(province_id)[0][0]


def add(client: Any, product: Product, quantity: str = "2") -> Any:
    data = {"product_id": product.id, "quantity": quantity}
    return post_form(client, "/gio-hang/them", data, form_url=f"/san-pham/{product.slug}")


def buyer(**values: Any) -> dict[str, Any]:
    province_id, ward = ha_noi()
    return {
        "name": "Chị Lan",
        "phone": "0912345678",
        "province_id": province_id,
        "ward_code": ward,
        "address": "12 Hàng Bạc",
        "note": "",
        "email": "",
        **values,
    }


def checkout(client: Any, form_url: str, ip: str = IP, **values: Any) -> Any:
    """Send the cart. `form_url` is any page with a form (the CSRF token is per session)."""
    return post_form(
        client,
        "/gio-hang/dat-hang",
        buyer(**values),
        form_url=form_url,
        environ_base={"REMOTE_ADDR": ip},
    )


def tokens_of(response: Any) -> list[str]:
    """The tracking tokens on the page, each once, in order."""
    return list(dict.fromkeys(TOKEN_LINK.findall(response.get_data(as_text=True))))


def all_orders() -> list[OrderRequest]:
    db.session.expire_all()
    return list(db.session.scalars(select(OrderRequest).order_by(OrderRequest.id)))


def mail_to(address: str) -> list[MailMessage]:
    return list(db.session.scalars(select(MailMessage).where(MailMessage.to == address)))


def product_url(product: Product) -> str:
    return f"/san-pham/{product.slug}"
