"""Order requests from buyers: "add to cart" on the product page, the cart (kept in the
signed session, no account), the checkout form that sends one request per producer, and the
private tracking page.

Everything works without JavaScript: the province → ward choice is a "Chọn tỉnh" button that
redraws the form with that province's wards, keeping what was typed (with JavaScript,
static/js/site.js fills the ward list from `wards` instead, and adds a filter box to long
lists). "Thêm vào giỏ hàng" posts and lands on the cart; with JavaScript the same form is
sent by fetch (`Accept: application/json`), answered with JSON, and the buyer stays on the
product page. Spam guards as for
complaints: a honeypot field (a filled one gets a thank-you page and nothing is stored) and a
per-IP limit (CHOVIET_ORDER_RATE) that counts only sent requests, not typos.
"""

from __future__ import annotations

import secrets
from types import SimpleNamespace
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from wtforms import EmailField, HiddenField, StringField, TelField

from catalog.catalogue import browse
from catalog.extensions import limiter
from catalog.listings import profiles
from catalog.models import ORDER_STATES
from catalog.orders import cart, orders
from catalog.platform import geo
from catalog.web import too_many
from catalog.web.blueprints import public as bp
from catalog.web.error_pages import render_error
from catalog.web.fields import int_or_none, options
from catalog.web.forms_common import (
    Form,
    email_field,
    id_select,
    paragraph_field,
    phone_field,
    text_field,
)
from catalog.web.forms_errors import show_refusal
from catalog.web.i18n import current_locale
from catalog.web.private_pages import private_token_page

CART_KEY = "cart"
CART_COUNT_COOKIE = "gio_hang_sl"
PROVINCE_BUTTON = "chon-tinh"
ENDPOINTS = ("public.checkout",)


class AddToCartForm(Form):
    product_id = HiddenField()
    quantity = text_field(lazy_gettext("Số lượng"), id="dat-hang-so-luong", default="1")


class OrderForm(Form):
    name = text_field(
        lazy_gettext("Họ và tên người nhận"),
        required=True,
        max_length=orders.NAME_MAX,
        id="dh-ho-ten",
    )
    phone = phone_field(
        lazy_gettext("Số điện thoại"), required=True, kind=TelField, id="dh-dien-thoai"
    )
    email = email_field("E-mail", orders.EMAIL_MAX, kind=EmailField, id="dh-email")
    province_id = id_select(lazy_gettext("Tỉnh, thành phố"), required=True, id="dh-tinh")
    ward_code = id_select(
        lazy_gettext("Phường, xã, đặc khu"),
        required=True,
        invalid="Vui lòng chọn phường, xã thuộc tỉnh đã chọn.",
        id="dh-phuong-xa",
    )
    address = text_field(
        lazy_gettext("Địa chỉ nhận hàng"),
        required=True,
        max_length=orders.ADDRESS_MAX,
        id="dh-dia-chi",
    )
    note = paragraph_field(
        lazy_gettext("Ghi chú cho cơ sở"),
        optional=True,
        max_length=orders.NOTE_MAX,
        id="dh-ghi-chu",
    )
    # The honeypot: hidden from people (and screen readers); bots fill every field.
    website = StringField(lazy_gettext("Trang web của bạn (để trống ô này)"), id="dh-trang-web")

    def buyer(self) -> orders.Buyer:
        return orders.Buyer(
            province_id=self.province_id.data,
            ward_code=self.ward_code.data,
            locale=current_locale(),
            **self.texts("name", "phone", "address", "email", "note"),
        )


@bp.app_context_processor
def _order_globals() -> dict[str, Any]:
    """For the form folded into product pages (public/_order_form.html)."""
    return {
        "new_order_form": lambda: AddToCartForm(formdata=None),
        "takes_orders": cart.takes_orders,
        "CART_COUNT_COOKIE": CART_COUNT_COOKIE,
    }


@bp.after_app_request
def _sync_cart_count(response: Response) -> Response:
    """Keep the `gio_hang_sl` cookie equal to the number of products in the session cart.

    Why a cookie, read by static/js/site.js, rather than the count printed in the header:
    the header is on every page, and anonymous catalogue pages are meant to be cached and
    shared; a count rendered on the server would make each of them private to one visitor
    (and read the session on every page). A JSON endpoint would cost every page a second
    request on a slow phone connection. The cookie is readable by scripts on purpose: it
    holds one small number, only ever displayed, never trusted (the cart itself stays in the
    signed session). Without JavaScript the header shows a plain "Giỏ hàng" link.

    It is refreshed only by responses that used the session anyway (adding, the cart page,
    signing out…), so a page that never touched the session stays cacheable."""
    if not getattr(session, "accessed", False):
        return response
    count = str(len(_items()) or "")
    if request.cookies.get(CART_COUNT_COOKIE, "") == count:
        return response
    if count:
        response.set_cookie(
            CART_COUNT_COOKIE,
            count,
            path="/",
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            httponly=False,
        )
    else:
        response.delete_cookie(CART_COUNT_COOKIE, path="/")
    return response


def _wants_json() -> bool:
    """The product page's script asks for JSON; a plain form post gets pages."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _items() -> dict[int, int]:
    return cart.parse(session.get(CART_KEY))


def _save(items: dict[int, int]) -> None:
    if items:
        session[CART_KEY] = cart.dump(items)
    else:
        session.pop(CART_KEY, None)


def _set_choices(form: OrderForm) -> None:
    form.province_id.choices = options(
        ((p.id, p.name) for p in geo.all_provinces()),
        gettext("— Chọn tỉnh, thành phố —"),
        data=True,
    )
    wards = profiles.ward_choices(form.province_id.data)
    form.ward_code.choices = options(wards, gettext("— Chọn phường, xã —"), data=True)


def _cart_page(form: OrderForm, status: int = 200, **context: Any) -> ResponseReturnValue:
    items = _items()
    view = cart.load(items)
    if view.kept != items:
        _save(view.kept)
    _set_choices(form)
    html = render_template("public/cart.html", view=view, form=form, **context)
    return private_token_page(current_app.make_response((html, status)))


@bp.get("/gio-hang")
def cart_page() -> ResponseReturnValue:
    return _cart_page(OrderForm(formdata=None))


@bp.post("/gio-hang/them")
def add_to_cart() -> ResponseReturnValue:
    form = AddToCartForm()
    product = browse.get_public_product_by_id(int_or_none(form.product_id.data) or 0)
    if product is None:
        abort(404)
    if form.validate_on_submit():
        try:
            quantity = cart.parse_quantity(form.quantity.data)
            _save(cart.add(_items(), product.id, quantity))
        except cart.CartError as exc:
            form.quantity.errors = [*form.quantity.errors, str(exc)]
        else:
            added = gettext("Đã thêm %(n)s × %(name)s vào giỏ hàng.", n=quantity, name=product.name)
            if _wants_json():
                count = len(_items())
                return jsonify(message=added, count=count, cart_url=url_for(".cart_page"))
            flash(added, "success")
            return redirect(url_for(".cart_page"))
    if _wants_json():
        errors = [str(e) for e in form.quantity.errors] or [
            gettext("Không thêm được vào giỏ hàng. Vui lòng tải lại trang rồi thử lại.")
        ]
        return jsonify(message=" ".join(errors), field="quantity"), 422
    related = browse.related_products(product)
    html = render_template("public/product.html", product=product, related=related, order_form=form)
    return current_app.make_response((html, 422))


@bp.get("/phuong-xa")
def wards() -> ResponseReturnValue:
    """The wards of a province (`?tinh=<province id>`), for the checkout's script: public
    reference data (vietnam-provinces), the same list the form validates against."""
    choices = profiles.ward_choices(int_or_none(request.args.get("tinh")))
    payload = {"wards": [{"code": code, "name": name} for code, name in choices]}
    response = jsonify(payload)
    response.status_code = 200 if choices else 404
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.post("/gio-hang/sua")
def update_cart() -> ResponseReturnValue:
    """One line of the cart: a new quantity, or "Bỏ" (remove)."""
    form = Form()
    if not form.validate_on_submit():
        abort(400)
    product_id = int_or_none(request.form.get("product_id"))
    items = _items()
    if product_id is None or product_id not in items:
        flash(gettext("Sản phẩm này không còn trong giỏ hàng."), "info")
        return redirect(url_for(".cart_page"))
    if request.form.get("action") == "xoa":
        _save(cart.remove(items, product_id))
        flash(gettext("Đã bỏ sản phẩm khỏi giỏ hàng."), "success")
        return redirect(url_for(".cart_page"))
    try:
        quantity = cart.parse_quantity(request.form.get("quantity"))
    except cart.CartError as exc:
        bad = {product_id: (str(exc), str(request.form.get("quantity", ""))[:10])}
        return _cart_page(OrderForm(formdata=None), 422, line_errors=bad)
    _save(cart.set_quantity(items, product_id, quantity))
    flash(gettext("Đã cập nhật số lượng."), "success")
    return redirect(url_for(".cart_page"))


def _counted(_response: Any) -> bool:
    return bool(g.get("order_counted"))


def _rate() -> str:
    return current_app.config["ORDER_RATE"]


@bp.post("/gio-hang/dat-hang")
@limiter.limit(_rate, deduct_when=_counted)
def checkout() -> ResponseReturnValue:
    form = OrderForm()
    _set_choices(form)
    if request.form.get("website"):
        g.order_counted = True
        return _honeypot()
    if _choosing_province(form):
        if profiles.ward_name(form.province_id.data, form.ward_code.data) is None:
            form.ward_code.data = None
        return _cart_page(form, province_chosen=True)
    if form.validate_on_submit():
        try:
            placed = orders.place(_items(), form.buyer())
        except orders.OrderError as exc:
            show_refusal(form, exc)
        else:
            g.order_counted = True
            _save(placed.remaining)
            return _sent(placed.created, placed.refused)
    return _cart_page(form, 422)


def _choosing_province(form: OrderForm) -> bool:
    """The "Chọn tỉnh" button after changing the province (Enter in a field presses the
    first button of the form too: with the province unchanged that is a submit)."""
    if request.form.get("action") != PROVINCE_BUTTON:
        return False
    chosen = form.province_id.data
    return chosen is not None and int_or_none(request.form.get("wards_for")) != chosen


def _sent(created: list[Any], refused: list[str]) -> ResponseReturnValue:
    html = render_template("public/order_sent.html", created=created, refused=refused)
    return private_token_page(current_app.make_response(html))


def _honeypot() -> ResponseReturnValue:
    """What a bot sees: the usual page with links that lead nowhere; nothing is stored."""
    view = cart.load(_items())
    fake = [
        SimpleNamespace(
            order=SimpleNamespace(
                code=f"DH-{secrets.randbelow(900000) + 100000:06d}",
                producer=group.producer,
                total_vnd=group.total_vnd,
                has_unpriced=group.has_unpriced,
            ),
            token=secrets.token_urlsafe(orders.TOKEN_BYTES),
        )
        for group in view.groups
    ]
    _save({})
    return _sent(fake, [])


@bp.get("/don-hang/theo-doi/<token>")
def order_status(token: str) -> ResponseReturnValue:
    order = orders.find_by_token(token)
    if order is None:
        return private_token_page(current_app.make_response(render_error(404)))
    html = render_template("public/order_status.html", order=order, states=ORDER_STATES)
    return private_token_page(current_app.make_response(html))


def _too_many_words(wait: str) -> tuple[str, str]:
    """The order form's own words on its 429 page (Vietnamese only, like the form's)."""
    return (
        "Bạn đã gửi nhiều yêu cầu đặt hàng",
        "Để chống thư rác, mỗi địa chỉ mạng chỉ gửi được một số yêu cầu đặt hàng "
        "trong một khoảng thời gian. Giỏ hàng của bạn vẫn được giữ nguyên; vui lòng đợi "
        f"khoảng {wait} rồi gửi lại, hoặc gọi điện trực tiếp cho cơ sở. Cảm ơn bạn đã thông cảm.",
    )


too_many.explain(ENDPOINTS, _too_many_words, translate_wait=False)
