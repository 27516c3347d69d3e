"""What the browser journeys share: one Chromium per module, a Journey (a page in a fresh
browser context on the test app, served on loopback) that checks and photographs each step,
and database reads that never hold a lock while the browser writes.

The app runs in a server thread beside the test. Outside a request, this codebase begins
every transaction as a write (SQLite BEGIN IMMEDIATE, PostgreSQL's advisory lock), so a
transaction left open by the test would make every POST from the browser wait and fail.
Set-up therefore goes through `settled()`, and reads through `read()`, both of which end
their transaction and hand back plain values, never ORM objects.

The officials' journeys through the test client (issue 5's scenario) share the entries'
names, the CSV an official imports and the sign-in through the login form (last section).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask
from sqlalchemy import select

from catalog.database import mark_read_only, reset_read_only
from catalog.extensions import db
from catalog.models import MailMessage
from tests.factories import PASSWORD
from tests.forms import post_form
from tests.helpers import csv_bytes, row
from tests.live_server import CHROMIUM_ARGS, require_chromium, serve
from tests.page_checks import ARTIFACTS, VIEWPORTS, axe_script, page_problems

SHOTS = ARTIFACTS / "journeys"
SERIOUS = ("serious", "critical")
# Generous for a loaded two-core machine; a step that needs longer is broken, not slow.
STEP_TIMEOUT_MS = 20_000
T = TypeVar("T")


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (its own browser download is impossible here);
    fails with a clear message when Chromium is missing."""
    from playwright.sync_api import expect, sync_playwright

    path = require_chromium()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        expect.set_options(timeout=STEP_TIMEOUT_MS)
        try:
            yield browser
        finally:
            expect.set_options(timeout=None)  # back to Playwright's default
            browser.close()


@dataclass
class Journey:
    """One person's path through the site in one viewport. `check(step)` runs axe-core and
    the sideways-scroll check on the page open and saves its screenshot as
    tests/artifacts/journeys/<journey>-<viewport>-<step>.png; problems and script errors
    are gathered for one assertion at the end (`assert_clean`)."""

    page: Any
    base: str
    name: str
    viewport: str
    axe: str
    problems: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def go(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, (path, response and response.status)
        return response

    def shot_path(self, step: str) -> Path:
        return SHOTS / f"{self.name}-{self.viewport}-{step}.png"

    def check(self, step: str) -> None:
        """The page open passes the page checks."""
        self.page.wait_for_load_state("load")
        label = f"{self.name}-{self.viewport}-{step}"
        self.problems += page_problems(
            self.page, label, self.axe, impacts=SERIOUS, shot=self.shot_path(step)
        )

    def shot(self, step: str) -> None:
        """A screenshot only: a form filled in before it is sent, or a page already checked
        in another state (axe-core takes a second or more per page on a busy machine)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        # From the top: scrolled to a field, the sticky header would cover the page mid-way.
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(self.shot_path(step)), full_page=True)

    def assert_clean(self) -> None:
        assert self.script_errors == [], self.script_errors
        assert self.problems == [], self.problems


@contextmanager
def journey(app: Flask, browser: Any, name: str, viewport: str) -> Iterator[Journey]:
    """`app` served on loopback and a fresh browser context (no cookies) of the viewport's
    size; console errors and uncaught exceptions of the page are recorded. Content Security
    Policy stays in force, so a page that breaks it shows up as a console error."""
    width, height = VIEWPORTS[viewport]
    with serve(app) as base:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="vi-VN", service_workers="block"
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        page = context.new_page()
        trip = Journey(page, base, name, viewport, axe_script())
        page.on("pageerror", lambda exc: trip.script_errors.append(f"{page.url}: {exc}"))
        page.on(
            "console",
            lambda msg: (
                trip.script_errors.append(f"{page.url}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )
        try:
            yield trip
        finally:
            context.close()


# -- the database, from the test's side -------------------------------------------------------


def settled(build: Callable[[], T]) -> T:
    """Run set-up (factories, services) and end its transaction; `build` must return plain
    values (ids, names, e-mail addresses), not ORM objects that would load lazily later."""
    try:
        return build()
    finally:
        db.session.rollback()


def read(query: Callable[[], T]) -> T:
    """Run `query` in a fresh read-only transaction (it sees what the server thread has
    committed) and end it at once; `query` must return plain values."""
    token = mark_read_only(True)
    try:
        db.session.rollback()
        db.session.expire_all()
        return query()
    finally:
        db.session.rollback()
        reset_read_only(token)


def mail_to(address: str) -> list[tuple[str, str]]:
    """(subject, body) of each message in the outbox for `address`, oldest first."""

    def query() -> list[tuple[str, str]]:
        stmt = select(MailMessage).where(MailMessage.to == address).order_by(MailMessage.id)
        return [(m.subject, m.body) for m in db.session.scalars(stmt)]

    return read(query)


def link_path(body: str, prefix: str) -> str:
    """The path of the first link in a mail body starting with `prefix` (mails carry the
    configured site URL, not the loopback server's)."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S+)", body)
    assert match, body
    return match.group(1)


# -- the officials' journeys through the test client ------------------------------------------

QUEUE = "/quan-ly/"
IMPORTS = "/quan-ly/nhap-danh-sach"
REPORT = "/quan-ly/bao-cao"
EXPORT = "/quan-ly/bao-cao/xuat"
LOG = "/quan-ly/nhat-ky"
PRODUCER_NAME = "HTX Hạt dẻ Trùng Khánh"
LISTING = "Hạt dẻ rang củi Trùng Khánh"
REPORTER = "nguoi-mua@example.vn"
EVIDENCE = "Kiểm tra thực tế cơ sở ngày 12/3/2026; giấy phép kinh doanh còn hiệu lực."
COMPLAINT = "Mua ở chợ Đông Kinh, bao bì khác hẳn ảnh, nghi là hàng giả mạo nhãn hiệu."
CAMPAIGN = "Tháng hàng Việt Cao Bằng"
# Imported rows: (product, producer, group); the second lacks its OCOP group.
IMPORTED = (
    ("Trà hoa vàng Phục Hòa", "HTX Trà hoa vàng Phục Hòa", "Thực phẩm"),
    ("Miến dong Nguyên Bình", "HTX Miến dong Nguyên Bình", ""),
    ("Rượu ngô Bảo Lạc", "HTX Rượu ngô Bảo Lạc", "Đồ uống"),
)


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def sign_in(client: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    response = post_form(client, "/tai-khoan/dang-nhap", {"email": email, "password": password})
    assert response.status_code == 302, text(response)[:500]


def last_id(response: Any) -> int:
    """The id at the end of a redirect's Location."""
    assert response.status_code == 302, text(response)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def import_csv() -> bytes:
    return csv_bytes(
        *(
            row(
                product_name=product,
                producer_name=producer,
                province="Cao Bằng",
                category=group,
                producer_type="Hợp tác xã",
                phone=f"091200011{n}",
                ocop_stars="",
            )
            for n, (product, producer, group) in enumerate(IMPORTED)
        )
    )
