"""SIGKILL a random gunicorn worker again and again while people register, add listings
with photos, submit them and officials approve them.

A write the server acknowledged (a 302 received) must be in the database and, for an
approved listing, in the search index after `flask search sync`. A write whose connection
was cut may or may not be there, but never half: no account without its producer, no listing
without its photo rows or photo files, no approval without its audit entry.
"""

from __future__ import annotations

import os
import queue
import random
import secrets
import signal
import string
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from catalog.extensions import db
from catalog.listings import listings
from catalog.models import AuditEntry, Product, ProductImage, User
from catalog.platform import search_sync
from catalog.platform.images import SIZES, variant_key
from tests.factories import PASSWORD, province
from tests.listings.support import DESCRIPTION, category_id, draft, found, jpeg, owner
from tests.listings.support import official as make_official
from tests.serving.gunicorn_support import Browser, Gunicorn, gunicorn

LOOP_S = 30.0
# After each kill the replacement is let boot, then work a little, before the next one.
KILL_EVERY_S = (0.3, 1.5)
PREFIX = "kill-"


def word() -> str:
    """A made-up search word, unique to one listing."""
    return "q" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(9))


@dataclass
class Log:
    """What every client thread saw: acknowledged writes, cut ones and all statuses."""

    registered: list[str] = field(default_factory=list)
    created: dict[int, str] = field(default_factory=dict)  # product id -> its word
    submitted: list[int] = field(default_factory=list)
    approved: list[int] = field(default_factory=list)
    cut: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, response: requests.Response) -> int:
        with self.lock:
            self.statuses[response.status_code] += 1
        return response.status_code


def _attempt(log: Log, what: str, call):  # type: ignore[no-untyped-def]
    """Run one request; a connection cut by a killed worker is counted, not raised."""
    try:
        return call()
    except (requests.ConnectionError, requests.Timeout, AssertionError):
        with log.lock:
            log.cut[what] += 1
        return None


def registrations(url: str, log: Log, stop: threading.Event, province_id: int) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        email = f"{PREFIX}{n}-{word()}@example.vn"
        data = {
            "business_name": f"HTX Thử nghiệm {word()}",
            "province_id": str(province_id),
            "email": email,
            "password": PASSWORD,
            "confirm": PASSWORD,
        }
        response = _attempt(
            log,
            "register",
            lambda data=data: Browser(url).post_form("/tai-khoan/dang-ky", data),
        )
        if response is not None and log.saw(response) == 302:
            log.registered.append(email)


def new_listings(
    url: str, log: Log, stop: threading.Event, email: str, values: dict, to_approve: queue.Queue
) -> None:
    browser = Browser(url)
    while not stop.is_set():
        if _attempt(log, "sign-in", lambda: browser.sign_in(email, PASSWORD) or True):
            break
    while not stop.is_set():
        token = word()
        fields = {**values, "name": f"{PREFIX}Mứt gừng {token}"}
        photo = {"photos": ("anh.jpg", jpeg((random.randrange(256), 90, 40)), "image/jpeg")}

        def create(fields=fields, photo=photo):  # type: ignore[no-untyped-def]
            return browser.post_form("/co-so-cua-toi/san-pham/moi", fields, files=photo)

        response = _attempt(log, "create", create)
        if response is None or log.saw(response) != 302:
            continue
        product_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        log.created[product_id] = token
        edit = f"/co-so-cua-toi/san-pham/{product_id}"
        response = _attempt(
            log,
            "submit",
            lambda edit=edit: browser.post_form(f"{edit}/gui-duyet", {}, form_url=edit),
        )
        if response is not None and log.saw(response) == 302:
            log.submitted.append(product_id)
            to_approve.put(product_id)


def approvals(
    url: str, log: Log, stop: threading.Event, email: str, to_approve: queue.Queue
) -> None:
    browser = Browser(url)
    signed_in = False
    while not stop.is_set():
        if not signed_in:
            signed_in = _attempt(log, "sign-in", lambda: browser.sign_in(email, PASSWORD) or True)
            continue
        try:
            product_id = to_approve.get(timeout=0.2)
        except queue.Empty:
            continue
        page = f"/quan-ly/san-pham/{product_id}"
        response = _attempt(
            log,
            "approve",
            lambda page=page: browser.post_form(page, {"decision": "approve", "note": ""}),
        )
        if response is not None and log.saw(response) == 302:
            log.approved.append(product_id)


def killer(server: Gunicorn, stop: threading.Event, kills: list[int]) -> None:
    """Kill a random worker that is serving, as long as another one serves meanwhile (a
    replacement takes seconds to boot on a busy machine)."""
    rng = random.Random()
    while not stop.wait(rng.uniform(*KILL_EVERY_S)):
        pids = server.ready_pids()
        if len(pids) < server.workers - 1:
            continue  # let replacements boot: at least one other worker keeps serving
        victim = rng.choice(pids)
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            continue
        kills.append(victim)


def _variant_files_exist(uploads: Path, digest: str) -> bool:
    return all((uploads / variant_key(digest, size)).is_file() for size in SIZES)


@pytest.mark.gunicorn
def test_killing_workers_mid_write_loses_no_acknowledged_write(app, runner, tmp_path):
    cao_bang = province("Cao Bằng").id
    official = make_official()
    creator = owner()
    values = {
        "category_id": str(category_id()),
        "description": DESCRIPTION,
        "province_id": str(creator.producer.province_id),
    }
    to_approve: queue.Queue[int] = queue.Queue()
    waiting = {}
    for _ in range(6):  # listings already waiting for approval when the loop starts
        person = owner()
        token = word()
        product = listings.submit(person, draft(person, f"{PREFIX}Miến dong {token}"))
        waiting[product.id] = token
        to_approve.put(product.id)
    official_email, creator_email = official.email, creator.email
    db.session.commit()

    log, kills, stop = Log(), [], threading.Event()
    log.created.update(waiting)
    log.submitted.extend(waiting)
    started = time.monotonic()
    with gunicorn(app, tmp_path, workers=3) as server:
        threads = [
            threading.Thread(target=registrations, args=(server.url, log, stop, cao_bang)),
            threading.Thread(
                target=new_listings,
                args=(server.url, log, stop, creator_email, values, to_approve),
            ),
            threading.Thread(
                target=approvals, args=(server.url, log, stop, official_email, to_approve)
            ),
            threading.Thread(target=killer, args=(server, stop, kills)),
        ]
        for thread in threads:
            thread.start()
        time.sleep(LOOP_S)
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
        server.wait_for_workers()  # the master replaced every killed worker
        server_log = server.log()
    elapsed = time.monotonic() - started

    writes = len(log.registered) + len(log.created) - len(waiting) + len(log.approved)
    print(  # the figures for the report (pytest -s)
        f"\n{len(kills)} workers killed in {elapsed:.0f} s; acknowledged: "
        f"{len(log.registered)} registrations, {len(log.created) - len(waiting)} listings, "
        f"{len(log.submitted) - len(waiting)} submissions, {len(log.approved)} approvals; "
        f"cut: {dict(log.cut)}; statuses: {dict(log.statuses)}"
    )
    assert len(kills) >= 4
    assert writes >= 10, server_log[-4000:]
    assert not [s for s in log.statuses if s >= 500], log.statuses
    assert "database is locked" not in server_log

    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    uploads = Path(app.config["UPLOADS_DIR"])

    # Acknowledged registrations are there, and no account (acknowledged or not) is half.
    kill_users = db.session.scalars(select(User).where(User.email.like(f"{PREFIX}%"))).all()
    assert set(log.registered) <= {u.email for u in kill_users}
    for user in kill_users:
        assert user.producer is not None and user.producer.status == "pending", user.email

    # Listings: acknowledged ones exist; every one (cut or not) has its photo rows and files.
    kill_products = db.session.scalars(select(Product).where(Product.name.like(f"{PREFIX}%"))).all()
    assert set(log.created) <= {p.id for p in kill_products}
    for product in kill_products:
        images = db.session.scalars(
            select(ProductImage).where(ProductImage.product_id == product.id)
        ).all()
        assert images, product.name
        assert all(_variant_files_exist(uploads, image.digest) for image in images)
    by_id = {p.id: p for p in kill_products}
    for product_id in log.submitted:
        assert by_id[product_id].status in ("submitted", "published")

    # Approvals: published, audited once, and found by their word after the sync.
    for product_id in log.approved:
        assert by_id[product_id].status == "published"
    for product in kill_products:
        audits = db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "product.approve", AuditEntry.entity_id == product.id
            )
        ).all()
        assert len(audits) == (1 if product.status == "published" else 0), product.name
    for product_id in log.approved:
        assert product_id in found(log.created[product_id]), log.created[product_id]
    assert search_sync.check().clean
