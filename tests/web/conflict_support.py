"""The eight edit forms of mutable records, as the lost-update tests drive them: each `Case`
builds its record through the real services and says which page holds the form, what two
tabs type, where the value under test is read back, and which service a racing write goes
through. Forms are read from the page the way a browser sends them (every field, its
hidden csrf_token and version)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from types import ModuleType
from typing import Any

from sqlalchemy import text

from catalog.accounts import staff
from catalog.certificates import certificates
from catalog.complaints import complaint_handling, complaints
from catalog.extensions import db
from catalog.listings import listing_values, listings, profiles
from catalog.models import Campaign, Complaint, OcopCertificate, OrderRequest, Producer, Story
from catalog.models import User as UserModel
from catalog.orders import order_inbox, orders
from catalog.promotion import campaigns, stories
from tests.factories import create_published_product, create_user, province
from tests.listings.support import cao_bang_ward, owner, published, reload
from tests.promotion.support import make_campaign, make_story
from tests.trust.support import data as certificate_data

Fields = dict[str, Any]


# -- reading a form off a page, as a browser would send it --------------------------------


class _FormReader(HTMLParser):
    """The fields of the form whose action is `action` (a form without one posts to the
    page itself): text inputs, checked boxes and radios, selected options, text areas."""

    def __init__(self, action: str, page: str) -> None:
        super().__init__()
        self.action, self.page = action, page
        self.fields: Fields = {}
        self.found = False
        self._inside = False
        self._select: tuple[str, bool] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._inside = (a.get("action") or self.page).split("#")[0] == self.action
            self.found = self.found or self._inside
        elif not self._inside:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = (a.get("name", ""), "multiple" in a)
            if "multiple" in a:
                self.fields.setdefault(a.get("name", ""), [])
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select[0], a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name", "")
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            if not self.fields[self._textarea]:  # a browser drops the newline after <textarea>
                data = data.removeprefix("\r").removeprefix("\n")
            self.fields[self._textarea] += data

    def _add(self, name: str, value: str) -> None:
        if isinstance(self.fields.get(name), list):
            self.fields[name].append(value)
        else:
            self.fields[name] = value


def form_on(html: str, action: str, page: str) -> Fields:
    reader = _FormReader(action, page)
    reader.feed(html)
    assert reader.found, f"no form posting to {action} on {page}"
    return reader.fields


def version_key(fields: Fields) -> str:
    (key,) = [k for k in fields if k == "version" or k.endswith("-version")]
    return key


def notice(html: str) -> str:
    """The conflict notice's HTML ('' when the page shows none)."""
    start = html.find('<section class="conflict-notice"')
    return html[start : html.index("</section>", start)] if start >= 0 else ""


# -- the eight edit paths -------------------------------------------------------------------


@dataclass
class Setup:
    """One record and its edit form: `first` and `second` are what two tabs type (posted
    to `action`, or `second_action`), `stored` reads the value under test back, `a_value` /
    `b_value` what it holds after each tab's save, `a_shown` how the notice shows the first
    tab's value, `b_shown` the second tab's typed text kept on the page; `race` names the
    service a save goes through and the record's table and id."""

    user: UserModel
    page: str
    action: str
    first: Fields
    second: Fields
    stored: Callable[[], Any]
    a_value: Any
    b_value: Any
    a_shown: str
    b_shown: str
    race: tuple[ModuleType, str, str, int]
    second_action: str | None = None


def _fresh(model: type, record_id: int) -> Any:
    db.session.expire_all()
    return db.session.get(model, record_id)


def listing() -> Setup:
    user = owner()
    product = published(user, "Miến dong Nguyên Bình")
    url = f"/co-so-cua-toi/san-pham/{product.id}"
    return Setup(
        user,
        url,
        url,
        {"price_vnd": "120.000"},
        {"price_vnd": "99.000", "unit": "hộp 500 g"},
        lambda: listing_values.working_copy(reload(product))["price_vnd"],
        120_000,
        99_000,
        "120.000",
        "99.000",
        (listings, "update", "products", product.id),
    )


def profile() -> Setup:
    user = owner()
    ward, _ = cao_bang_ward()
    typed = {
        "name": "Hợp tác xã Hạt dẻ Trùng Khánh",
        "type": "hop_tac_xa",
        "tax_code": "0100109106",
        "representative": "Nông Văn Thành",
        "province_id": str(province("Cao Bằng").id),
        "wards_for": str(province("Cao Bằng").id),
        "ward_code": str(ward),
        "address": "Xóm Nà Đoỏng",
        "action": "luu",
    }
    url = "/co-so-cua-toi/ho-so"
    return Setup(
        user,
        url,
        url,
        {**typed, "phone": "0987 654 321"},
        {**typed, "phone": "0911 222 333", "description": "Giới thiệu gõ ở thẻ thứ hai."},
        lambda: _fresh(Producer, user.producer_id).phone,
        "0987654321",
        "0911222333",
        "0987654321",
        "0911222333",
        (profiles, "update_profile", "producers", user.producer_id),
    )


def certificate() -> Setup:
    curator = create_user("official", provinces=("Cao Bằng",))
    product = create_published_product("Trà hoa vàng Thạch An")
    cert = certificates.record_certificate(curator, product.id, certificate_data())
    page = f"/quan-ly/chung-nhan/{cert.id}"

    def state() -> tuple[bool, bool]:
        fresh = _fresh(OcopCertificate, cert.id)
        return fresh.verified_at is not None, fresh.revoked_at is not None

    return Setup(
        curator,
        page,
        f"{page}/xac-minh",
        {},
        {"thu-hoi-note": "Theo quyết định thu hồi số 99/QĐ-UBND."},
        state,
        (True, False),
        (True, True),
        "đã xác minh",
        "Theo quyết định thu hồi số 99/QĐ-UBND.",
        (certificates, "revoke_certificate", "ocop_certificates", cert.id),
        second_action=f"{page}/thu-hoi",
    )


def campaign() -> Setup:
    curator = create_user("official", provinces=("Cao Bằng",))
    entry = make_campaign(curator, publish=False)
    url = f"/quan-ly/chuong-trinh/{entry.id}"
    return Setup(
        curator,
        url,
        url,
        {"title": "Tháng hàng Việt, bản của thẻ một"},
        {"title": "Tháng hàng Việt, bản của thẻ hai"},
        lambda: _fresh(Campaign, entry.id).title,
        "Tháng hàng Việt, bản của thẻ một",
        "Tháng hàng Việt, bản của thẻ hai",
        "Tháng hàng Việt, bản của thẻ một",
        "Tháng hàng Việt, bản của thẻ hai",
        (campaigns, "update_campaign", "campaigns", entry.id),
    )


def story() -> Setup:
    curator = create_user("official", provinces=("Cao Bằng",))
    entry = make_story(curator, publish=False)
    url = f"/quan-ly/bai-viet/{entry.id}"
    return Setup(
        curator,
        url,
        url,
        {"summary": "Tóm tắt của thẻ một."},
        {"summary": "Tóm tắt của thẻ hai."},
        lambda: _fresh(Story, entry.id).summary,
        "Tóm tắt của thẻ một.",
        "Tóm tắt của thẻ hai.",
        "Tóm tắt của thẻ một.",
        "Tóm tắt của thẻ hai.",
        (stories, "update_story", "stories", entry.id),
    )


def complaint() -> Setup:
    curator = create_user("official", provinces=("Lạng Sơn",))
    product = create_published_product("Hồng Vành Khuyên Bảo Lâm", province_name="Lạng Sơn")
    report = complaints.Report("counterfeit", "Bao bì khác hẳn ảnh, nghi là hàng giả mạo.")
    filed = complaints.file_about_product(product.id, report).complaint
    url = f"/quan-ly/phan-anh/{filed.id}"
    return Setup(
        curator,
        url,
        url,
        {"status": "investigating", "note": "Thẻ một: đã gọi cho cơ sở."},
        {"status": "dismissed", "reply": "Thẻ hai: bao bì là mẫu mới của cơ sở."},
        lambda: _fresh(Complaint, filed.id).status,
        "investigating",
        "dismissed",
        "Đang xác minh",
        "Thẻ hai: bao bì là mẫu mới của cơ sở.",
        (complaint_handling, "handle", "complaints", filed.id),
    )


def order() -> Setup:
    seller = owner()
    product = create_published_product("Hạt dẻ Trùng Khánh", producer=seller.producer)
    ha_noi = province("Hà Nội").id
    ward = profiles.ward_choices(ha_noi)[0][0]
    buyer = orders.Buyer("Chị Lan", "0912345678", ha_noi, ward, "12 Hàng Bạc")
    placed = orders.place({product.id: 2}, buyer).created[0].order
    url = f"/co-so-cua-toi/don-hang/{placed.id}"
    return Setup(
        seller,
        url,
        url,
        {"status": "confirmed"},
        {"status": "cancelled", "note": "Thẻ hai: hết hàng vụ này."},
        lambda: _fresh(OrderRequest, placed.id).status,
        "confirmed",
        "cancelled",
        "Cơ sở đã xác nhận",
        "Thẻ hai: hết hàng vụ này.",
        (order_inbox, "advance", "order_requests", placed.id),
    )


def user() -> Setup:
    admin = create_user("admin")
    person = create_user("official", provinces=("Cao Bằng",))
    url = f"/quan-ly/nguoi-dung/{person.id}"
    return Setup(
        admin,
        url,
        url,
        {"provinces": [str(province("Hà Nội").id)]},
        {"provinces": [str(province("Lạng Sơn").id)]},
        lambda: [p.name for p in _fresh(UserModel, person.id).provinces],
        ["Hà Nội"],
        ["Lạng Sơn"],
        "Hà Nội",
        "Lạng Sơn",
        (staff, "update", "users", person.id),
    )


CASES: dict[str, Callable[[], Setup]] = {
    "listing": listing,
    "profile": profile,
    "certificate": certificate,
    "campaign": campaign,
    "story": story,
    "complaint": complaint,
    "order": order,
    "user": user,
}


def race(monkeypatch: Any, setup: Setup) -> None:
    """Make the save's service find its record changed under it: just before it runs,
    another write (raw SQL, behind the ORM's back) moves the row's version on, as a
    concurrent request committing in between would."""
    module, name, table, record_id = setup.race
    real = getattr(module, name)

    def behind_its_back(*args: Any, **kwargs: Any) -> Any:
        db.session.execute(
            text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"),  # noqa: S608
            {"id": record_id},
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, behind_its_back)
