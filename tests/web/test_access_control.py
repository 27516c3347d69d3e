"""Who may open the producer pages: a producer sees and changes only its own profile and
listings. Every route of the blueprint is listed here; a new route without a row fails
`test_every_producer_route_is_in_the_matrix`.

- another producer's listing id → 404 (the listing is simply not there), never its data
- anonymous → sent to sign in (302) or 401
- officials and admins are not producers → 403; a producer account without a business → 403
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.extensions import db
from catalog.listings import listing_values
from catalog.models import AuditEntry, Product
from tests.factories import create_user
from tests.forms import csrf_token
from tests.listings.support import PRODUCERS, draft, owner, published, reload

# (method, path template, form data) — {id} is a listing id.
OWN_ROUTES = [
    ("GET", "/", None),
    ("GET", "/ho-so", None),
    ("POST", "/ho-so", {"name": "Chiếm quyền", "action": "luu"}),
    ("GET", "/phuong-xa?tinh=4", None),
    ("GET", "/ho-so/nhan-quan-ly", None),
    ("POST", "/ho-so/nhan-quan-ly", {"tax_code": "0100109106", "message": "x"}),
    ("GET", "/san-pham/moi", None),
    ("POST", "/san-pham/moi", {"name": "Sản phẩm mới"}),
    ("GET", "/tem-nhan", None),
    ("GET", "/tem-nhan/tai-ve?kich-thuoc=vua", None),
    ("GET", "/don-hang", None),
]
# Order requests: {order} / {blocked} are ids that are not this producer's (another producer's
# are tested in test_orders.py); what matters here is who gets past the door at all.
ORDER_ROUTES = [
    ("GET", "/don-hang/{order}", None),
    ("POST", "/don-hang/{order}", {"status": "confirmed", "note": "x"}),
    ("POST", "/don-hang/{order}/chan-so", {}),
    ("POST", "/don-hang/so-bi-chan/{blocked}/bo-chan", {}),
]
LISTING_ROUTES = [
    ("GET", "/san-pham/{id}", None),
    ("POST", "/san-pham/{id}", {"name": "Bị sửa trộm", "province_id": "4"}),
    ("POST", "/san-pham/{id}/anh", {"action": "xoa:{digest}"}),
    ("POST", "/san-pham/{id}/gui-duyet", {}),
    ("POST", "/san-pham/{id}/huy-thay-doi", {}),
    ("POST", "/san-pham/{id}/tam-an", {}),
    ("POST", "/san-pham/{id}/hien-thi-lai", {}),
    ("GET", "/san-pham/{id}/xoa", None),
    ("POST", "/san-pham/{id}/xoa", {}),
]
ALL_ROUTES = OWN_ROUTES + LISTING_ROUTES + ORDER_ROUTES


PLACEHOLDERS = {
    "<int:product_id>": "{id}",
    "<int:order_id>": "{order}",
    "<int:blocked_id>": "{blocked}",
}


def test_every_producer_route_is_in_the_matrix(app):
    covered = {(m, path.split("?")[0]) for m, path, _ in ALL_ROUTES}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("producer.")]
    assert rules, "no producer.* routes: the blueprint's name changed?"
    for rule in rules:
        path = rule.rule.removeprefix(PRODUCERS) or "/"
        for argument, placeholder in PLACEHOLDERS.items():
            path = path.replace(argument, placeholder)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, path) in covered, f"{method} {rule.rule} has no access test"


def request(
    client,
    method: str,
    path: str,
    data: dict | None,
    *,
    token: str | None = None,
    product: Product | None = None,
):  # type: ignore[no-untyped-def]
    url = PRODUCERS + path.format(id=product.id if product else 0, order=0, blocked=0)
    if method == "GET":
        return client.get(url)
    digest = product.images[0].digest if product and product.images else ""
    form = {k: v.format(digest=digest) for k, v in (data or {}).items()}
    if token:
        form["csrf_token"] = token
    return client.post(url, data=form)


@pytest.fixture
def victim(app):  # type: ignore[no-untyped-def]
    """Another producer with a draft and a published listing, and private details."""
    user = owner(name="HTX Bí Mật Số Một", phone="0987654321", tax_code="0101243150")
    return user, draft(user, "Hạt dẻ của người khác", photos=2), published(user, "Miến dong riêng")


def test_another_producers_listings_are_not_found(client, login_as, victim):
    _, secret_draft, secret_live = victim
    login_as(owner())
    token = csrf_token(client, f"{PRODUCERS}/")
    audit_before = db.session.scalars(select(AuditEntry.id)).all()
    for method, path, data in LISTING_ROUTES:
        for product in (secret_draft, secret_live):
            response = request(client, method, path, data, token=token, product=product)
            assert response.status_code == 404, (method, path)
            page = response.get_data(as_text=True)
            assert product.name not in page and "HTX Bí Mật" not in page
    # Nothing changed and nothing was recorded.
    assert db.session.scalars(select(AuditEntry.id)).all() == audit_before
    assert reload(secret_draft).name == "Hạt dẻ của người khác"
    assert len(reload(secret_draft).images) == 2
    assert reload(secret_live).status == "published"


def test_a_listing_id_that_does_not_exist_is_not_found(client, login_as):
    login_as(owner())
    assert client.get(f"{PRODUCERS}/san-pham/999999").status_code == 404


def test_own_pages_show_only_own_data(client, login_as, victim):
    victim_user, secret_draft, secret_live = victim
    me = login_as(owner())
    mine = draft(me, "Sản phẩm của tôi")
    for method, path, _ in OWN_ROUTES:
        if method != "GET":
            continue
        page = client.get(PRODUCERS + path).get_data(as_text=True)
        for secret in (
            secret_draft.name,
            secret_live.name,
            "HTX Bí Mật",
            "0987654321",
            "0101243150",
        ):
            assert secret not in page, (path, secret)
    assert mine.name in client.get(f"{PRODUCERS}/").get_data(as_text=True)
    assert listing_values.own_product(me, secret_draft.id) is None
    assert [p.id for p in listing_values.own_products(me)] == [mine.id]
    assert victim_user.producer.name == "HTX Bí Mật Số Một"


def test_a_profile_post_changes_only_the_signed_in_producer(client, login_as, victim):
    victim_user, _, _ = victim
    me = login_as(owner())
    token = csrf_token(client, f"{PRODUCERS}/ho-so")
    client.post(f"{PRODUCERS}/ho-so", data={"name": "Tên mới của tôi", "csrf_token": token})
    db.session.expire_all()
    assert victim_user.producer.name == "HTX Bí Mật Số Một"
    assert me.producer.name != "HTX Bí Mật Số Một"


def test_anonymous_visitors_are_sent_to_sign_in(client, victim):
    _, secret_draft, _ = victim
    token = csrf_token(client, "/tai-khoan/dang-nhap")
    for method, path, data in ALL_ROUTES:
        response = request(client, method, path, data, token=token, product=secret_draft)
        assert response.status_code in (302, 401), (method, path)
        if response.status_code == 302:
            assert "dang-nhap" in response.location
        assert secret_draft.name not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["official", "admin"])
def test_officials_and_admins_are_not_producers(client, login_as, victim, role):
    _, secret_draft, _ = victim
    login_as(create_user(role, provinces=("Cao Bằng",)))
    token = csrf_token(client, "/")  # the sign-out form
    for method, path, data in ALL_ROUTES:
        response = request(client, method, path, data, token=token, product=secret_draft)
        assert response.status_code == 403, (role, method, path)
        assert secret_draft.name not in response.get_data(as_text=True)


def test_a_producer_account_without_a_business_is_refused(client, login_as, victim):
    from catalog.database import write_transaction

    _, secret_draft, _ = victim
    user = create_user("producer")
    with write_transaction():
        user.producer_id = None
    login_as(user)
    token = csrf_token(client, "/")
    for method, path, data in ALL_ROUTES:
        response = request(client, method, path, data, token=token, product=secret_draft)
        assert response.status_code == 403, (method, path)


def test_posts_without_a_csrf_token_are_refused(client, login_as):
    user = login_as(owner())
    product = draft(user)
    for method, path, data in ALL_ROUTES:
        if method == "POST":
            response = request(client, method, path, data, product=product)
            assert response.status_code == 400, path
    assert reload(product).status == "draft" and len(reload(product).images) == 1


def test_producer_pages_are_never_cached(client, login_as):
    login_as(owner())
    response = client.get(f"{PRODUCERS}/")
    assert response.headers["Cache-Control"] == "private, no-store"
