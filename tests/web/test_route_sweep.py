"""No 5xx from a number (issue 13): every rule of `app.url_map`, with extreme and odd values
in every placeholder, in every known numeric query parameter and in every known numeric
form field, as anonymous, producer, official and admin, answers below 500.

Nothing here lists routes: a new rule is swept the day it is added. The parameters and
fields are the ones the views read (found with grep: NUMERIC_PARAMS, NUMERIC_FIELDS); on top
of those, every name a view actually reads while it runs (recorded by the request's own
MultiDicts) is swept one by one, so a new `request.args.get("x")` is covered too.

Ids outside the database's integers are "not found" (404); filter values that name nothing
are refused (400) or match nothing: any answer below 500 passes here; the exact answers are
tested in tests/web/test_numbers.py.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, Rule

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Category, User
from tests.factories import create_published_product, create_user
from tests.promotion.support import make_campaign, make_story

pytestmark = pytest.mark.slow

# Past SQLite's 64-bit integers, past PostgreSQL's INTEGER (2**31), negative, zero, digits
# that str.isdigit() or Python's int() accept but are not ASCII, and a float's overflow.
ODD_NUMBERS = (
    str(2**63),
    str(10**20),
    str(2**31),
    "-1",
    "0",
    "²",
    "١٢",
    "1e309",
)
# String placeholders: a huge slug, a NUL byte (PostgreSQL refuses it in any text).
ODD_TEXT = ("a" * 3000, "\x00", "x%00y")
# Query-string parameters that carry numbers somewhere (grep request.args / args.get /
# args.getlist / the GET filter forms in catalog/).
NUMERIC_PARAMS = (
    "tinh",
    "province",
    "page",
    "per_page",
    "stars",
    "sao",
    "trang",
    "nam",
    "ky",
    "san_pham",
    "so_ban",
    "ward",
    "limit",
    "category",
    "nhom",
)
# Form fields that carry ids or numbers (grep request.form, IntegerField, coerce=...).
NUMERIC_FIELDS = (
    "product_id",
    "order_id",
    "entry_id",
    "province_id",
    "ward_id",
    "category_id",
    "campaign_id",
    "wards_for",
    "quantity",
    "handover",
    "stars",
    "nam",
    "so_ban",
    "san_pham",
    "provinces",
    "price_vnd",
    "version",
)
# Form values of the shape "kind:id" (bulk approve's "muc", photo actions).
SHAPED_FIELDS = {
    "muc": ("producer:{}", "listing:{}", "change:{}", "claim:{}"),
    "action": ("xoa:{}", "len:{}", "xuong:{}"),
}
# Every request is sent as each of these (signed in afresh each time, so the sign-out
# routes in the sweep end nothing for the next request).
ROLES = ("anonymous", "producer", "official", "admin")
# Who gets past each blueprint's gate: the query and form sweeps, which need the view to
# run, go as them; everyone else stops at the gate.
AUDIENCE = {
    "public": ("anonymous", "producer"),
    "api": ("anonymous",),
    "account": ("anonymous", "producer"),
    "producer": ("producer",),
    "official": ("official", "admin"),
}

_read_names: set[str] = set()


class RecordingArgs(ImmutableMultiDict):  # type: ignore[type-arg]
    """request.args and request.form that remember which names the view asked for."""

    def __contains__(self, key: object) -> bool:
        _read_names.add(str(key))
        return super().__contains__(key)

    def __getitem__(self, key: Any) -> Any:
        _read_names.add(str(key))
        return super().__getitem__(key)

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:
        _read_names.add(str(key))
        return super().get(key, default, type)

    def getlist(self, key: Any, type: Any = None) -> list[Any]:
        _read_names.add(str(key))
        return super().getlist(key, type)


class _LastError(logging.Handler):
    """The last unexpected exception the error page logged: names the crash in the report."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.last = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            self.last = f"{type(exc).__name__}: {str(exc)[:120]}"


class Sweep:
    """One test client, signed in as `role` before every request, that keeps every answer
    of 500 or more (and the exception behind it)."""

    def __init__(self, app: Flask, users: dict[str, User | None], errors: _LastError) -> None:
        self.app = app
        self.client = app.test_client()
        self.users = users
        self.errors = errors
        self.failures: list[str] = []
        self.count = 0

    def send(self, role: str, method: str, url: str, data: dict[str, Any] | None = None) -> int:
        self._sign_in(role)
        self.errors.last = ""
        self.count += 1
        try:
            response = self.client.open(url, method=method, data=data)
        except Exception as exc:  # a crash is what we are looking for
            db.session.rollback()
            self.failures.append(f"{role} {method} {url[:160]} {data or ''} raised {exc!r}")
            return 599
        status = response.status_code
        response.close()
        if status >= 500:
            shown = {k: str(v)[:40] for k, v in (data or {}).items()}
            self.failures.append(
                f"{role} {method} {url[:160]} {shown or ''} → {status} {self.errors.last}"
            )
        return status

    def _sign_in(self, role: str) -> None:
        user = self.users[role]
        with self.client.session_transaction() as session:
            session.clear()
            if user is not None:
                fresh = db.session.get(User, user.id)
                assert fresh is not None
                db.session.refresh(fresh)
                session["_user_id"] = fresh.get_id()
                session["_fresh"] = True

    def assert_clean(self) -> None:
        shown = "\n".join(sorted(set(self.failures))[:60])
        assert not self.failures, f"{len(self.failures)} of {self.count} requests → 5xx:\n{shown}"


@pytest.fixture
def world(app: Flask) -> Iterator[dict[str, Any]]:
    """A producer with a draft and a published listing, an official of its province, an
    admin, a campaign and a story: the real ids and slugs the placeholders start from."""
    seller = create_user("producer")
    curator = create_user("official", provinces=("Cao Bằng",))
    admin = create_user("admin")
    live = create_published_product("Hạt dẻ Trùng Khánh", producer=seller.producer)
    mine = create_published_product("Miến dong Nguyên Bình", producer=seller.producer)
    with write_transaction():
        mine.status = "draft"
        live.category_id = db.session.scalar(select(Category.id).order_by(Category.position))
    campaign = make_campaign(curator)
    story = make_story(curator)
    app.request_class = type(
        "RecordingRequest", (app.request_class,), {"parameter_storage_class": RecordingArgs}
    )
    errors = _LastError()
    logging.getLogger("catalog.web.error_pages").addHandler(errors)
    yield {
        "users": {"anonymous": None, "producer": seller, "official": curator, "admin": admin},
        "errors": errors,
        "ids": {
            "product_id": live.id,
            "producer_id": seller.producer_id,
            "campaign_id": campaign.id,
            "story_id": story.id,
            "user_id": seller.id,
            "draft_id": mine.id,
        },
        "slugs": {
            "public.product": live.slug,
            "public.qr_product": live.slug,
            "public.producer": seller.producer.slug,
            "public.qr_producer": seller.producer.slug,
            "public.campaign": campaign.slug,
            "public.story": story.slug,
            "public.province": "cao-bang",
            "public.category": live.category.slug,
            "api.category": live.category.slug,
        },
    }
    logging.getLogger("catalog.web.error_pages").removeHandler(errors)


def _rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: r.rule)


def _roles(rule: Rule) -> tuple[str, ...]:
    return AUDIENCE.get(rule.endpoint.partition(".")[0], ("anonymous",))


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) & {"GET", "POST"})


def _is_int(rule: Rule, name: str) -> bool:
    # werkzeug keeps a rule's converters in no public attribute
    return isinstance(rule._converters.get(name), IntegerConverter)


def _valid_value(rule: Rule, name: str, world: dict[str, Any]) -> str:
    """A value of the placeholder that reaches the view (a real row where there is one)."""
    if _is_int(rule, name):
        ids = world["ids"]
        if rule.endpoint.startswith("producer.") and name == "product_id":
            return str(ids["draft_id"])
        return str(ids.get(name, 1))
    fixed = {"fmt": "csv", "size": "medium", "filename": "css/site.css", "province": "cao-bang"}
    return world["slugs"].get(rule.endpoint, fixed.get(name, "x"))


def _path(rule: Rule, values: dict[str, str]) -> str:
    """The rule's path with `values` put in as they are (quoted), bypassing url_for, which
    would refuse the odd ones."""
    path = rule.rule
    for name in rule.arguments:
        placeholder = re.compile(r"<(?:[^<>]*:)?" + re.escape(name) + ">")
        path = placeholder.sub(lambda _m, n=name: quote(values[n], safe=""), path)
    return path


def _odd_values(rule: Rule, name: str) -> tuple[str, ...]:
    return ODD_NUMBERS if _is_int(rule, name) else ODD_NUMBERS + ODD_TEXT


def _path_variants(rule: Rule, world: dict[str, Any]) -> Iterator[str]:
    """Every placeholder in turn given every odd value, the others valid."""
    valid = {name: _valid_value(rule, name, world) for name in rule.arguments}
    for name in sorted(rule.arguments):
        for odd in _odd_values(rule, name):
            yield _path(rule, {**valid, name: odd})


def _odd_form(value: str) -> dict[str, Any]:
    form: dict[str, Any] = {name: value for name in NUMERIC_FIELDS}
    for name, shapes in SHAPED_FIELDS.items():
        form[name] = [shape.format(value) for shape in shapes]
    return form


@pytest.mark.parametrize("role", ROLES)
def test_odd_ids_in_every_placeholder(app: Flask, world: dict[str, Any], role: str) -> None:
    """Every rule with a placeholder, every odd value, GET and POST (CSRF on: a refusal
    with 400 is fine), as each role."""
    sweep = Sweep(app, world["users"], world["errors"])
    for rule in _rules(app):
        if not rule.arguments:
            continue
        for url in _path_variants(rule, world):
            for method in _methods(rule):
                sweep.send(role, method, url)
    assert sweep.count > 500, "the sweep found almost no rules: did the url_map change?"
    sweep.assert_clean()


@pytest.mark.parametrize("role", ROLES)
def test_odd_posts_reach_the_handlers(app: Flask, world: dict[str, Any], role: str) -> None:
    """POST rules with CSRF off, so the handler code runs: odd ids in the path, and odd
    values in every known numeric form field, then in every field the handler reads."""
    app.config["WTF_CSRF_ENABLED"] = False
    sweep = Sweep(app, world["users"], world["errors"])
    for rule in _rules(app):
        if "POST" not in _methods(rule):
            continue
        for url in _path_variants(rule, world):
            sweep.send(role, "POST", url, _odd_form("1"))
        if role not in _roles(rule):
            continue
        valid = {name: _valid_value(rule, name, world) for name in rule.arguments}
        url = _path(rule, valid)
        _read_names.clear()
        sweep.send(role, "POST", url, {})
        read = sorted(_read_names - {"csrf_token"})
        for value in (*ODD_NUMBERS, "\x00"):
            sweep.send(role, "POST", url, _odd_form(value))
            for name in read:
                shapes = SHAPED_FIELDS.get(name, ("{}",))
                sweep.send(role, "POST", url, {name: [s.format(value) for s in shapes]})
    sweep.assert_clean()


@pytest.mark.parametrize("role", ROLES)
def test_odd_numbers_in_every_query_parameter(app: Flask, world: dict[str, Any], role: str) -> None:
    """Every GET rule, opened with valid placeholders: all known numeric parameters at once
    with each odd value, then each parameter the view reads alone."""
    sweep = Sweep(app, world["users"], world["errors"])
    for rule in _rules(app):
        if "GET" not in _methods(rule) or rule.endpoint == "static":
            continue
        if role not in _roles(rule):
            continue
        valid = {name: _valid_value(rule, name, world) for name in rule.arguments}
        base = _path(rule, valid)
        _read_names.clear()
        sweep.send(role, "GET", base)
        read = sorted(_read_names - {"csrf_token"})
        for value in ODD_NUMBERS + ODD_TEXT[:2]:
            everything = urlencode([(name, value) for name in NUMERIC_PARAMS])
            sweep.send(role, "GET", f"{base}?{everything}")
            for name in read:
                sweep.send(role, "GET", f"{base}?{urlencode({name: value})}")
    sweep.assert_clean()
