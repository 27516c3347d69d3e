"""Several gunicorn workers and six writer processes on one database (SQLite by default,
PostgreSQL on the second pass), through the real pages with CSRF tokens.

Each write below is a read-modify-write on the server, where two workers interleaving
without the write lock would lose or duplicate something:
- registrations all using the same business name: each producer's slug is "the first free
  one" (read the taken slugs, then insert), so a lost update gives two equal slugs;
- photos added to one published listing from two sessions: the pending change's photo list
  is read, extended and written back, and capped at 8 photos;
- two officials approving the same pending producers: the status is read, checked and
  changed, so an approval may happen only once (one audit entry, one 302).
No response may be a 500 (a "database is locked" that reached a person), and the server log
must show none.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest
from sqlalchemy import func, select

from catalog.extensions import db
from catalog.listings import listing_values
from catalog.models import AuditEntry, Producer, Product, User
from tests.factories import PASSWORD, create_producer, create_user, province
from tests.listings.support import DESCRIPTION, category_id, image_bytes, owner, published
from tests.serving.gunicorn_support import Browser, gunicorn

SHARED_NAME = "HTX Chè Shan tuyết Cao Bằng"
REGISTRATIONS_PER_PROCESS = 6
PHOTO_ATTEMPTS_PER_PROCESS = 5
PENDING_PRODUCERS = 8
# A photo sent from a form the other session saved over in between is refused as stale
# (409: its other values would overwrite the other save), never lost silently.
EXPECTED = {"register": {302}, "photos": {302, 409, 422}, "approve": {302, 422}}


def register(base_url: str, worker: int, province_id: int) -> list[tuple[str, int]]:
    """Spawned: registrations with the shared business name; returns (e-mail, status)."""
    results = []
    for n in range(REGISTRATIONS_PER_PROCESS):
        email = f"dang-ky-{worker}-{n}@example.vn"
        response = Browser(base_url).post_form(
            "/tai-khoan/dang-ky",
            {
                "business_name": SHARED_NAME,
                "province_id": str(province_id),
                "email": email,
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
        )
        results.append((email, response.status_code))
    return results


def add_photos(base_url: str, worker: int, email: str, listing: dict) -> list[tuple[str, int]]:
    """Spawned: the owner, in its own session, adds photos to the same published listing."""
    browser = Browser(base_url)
    browser.sign_in(email, PASSWORD)
    edit = f"/co-so-cua-toi/san-pham/{listing['id']}"
    results = []
    for n in range(PHOTO_ATTEMPTS_PER_PROCESS):
        colour = (40 * worker + 3 * n, 255 - 20 * n, 17 * worker)
        fields = {k: v for k, v in listing.items() if k != "id"}
        photo = ("anh.png", image_bytes("PNG", colour), "image/png")
        response = browser.post_form(edit, fields, files={"photos": photo})
        results.append((f"{worker}-{n}", response.status_code))
    return results


def approve(base_url: str, email: str, producer_ids: list[int]) -> list[tuple[int, int]]:
    """Spawned: an official approves every pending producer of the list, in order."""
    browser = Browser(base_url)
    browser.sign_in(email, PASSWORD)
    results = []
    for producer_id in producer_ids:
        page = f"/quan-ly/co-so/{producer_id}"
        response = browser.post_form(page, {"decision": "approve", "note": ""})
        results.append((producer_id, response.status_code))
    return results


@pytest.mark.gunicorn
def test_parallel_writers_under_gunicorn_lose_nothing(app, tmp_path):
    cao_bang = province("Cao Bằng").id
    officials = [
        create_user("official", provinces=("Cao Bằng",), email=f"can-bo-{i}@example.vn").email
        for i in range(2)
    ]
    pending = [create_producer(status="pending").id for _ in range(PENDING_PRODUCERS)]
    person = owner()
    product = published(person, "Trà hoa vàng Ba Chẽ")
    listing = {
        "id": product.id,
        "name": product.name,
        "category_id": str(category_id()),
        "description": DESCRIPTION,
        "province_id": str(product.province_id),
    }
    email = person.email
    db.session.commit()

    with gunicorn(app, tmp_path, workers=4) as server:
        with ProcessPoolExecutor(6, mp_context=multiprocessing.get_context("spawn")) as pool:
            jobs = {
                "register": [pool.submit(register, server.url, w, cao_bang) for w in range(2)],
                "photos": [
                    pool.submit(add_photos, server.url, w, email, listing) for w in range(2)
                ],
                "approve": [
                    pool.submit(approve, server.url, officials[0], pending),
                    pool.submit(approve, server.url, officials[1], pending[::-1]),
                ],
            }
            results = {role: [r for job in js for r in job.result()] for role, js in jobs.items()}
        log = server.log()

    for role, answers in results.items():
        assert {status for _, status in answers} <= EXPECTED[role], (role, answers)
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-3000:]
    db.session.expire_all()

    # Registrations: each acknowledged one exists once, with its own producer and slug.
    emails = [e for e, status in results["register"] if status == 302]
    assert len(emails) == 2 * REGISTRATIONS_PER_PROCESS
    users = db.session.scalars(select(User).where(User.email.in_(emails))).all()
    assert sorted(u.email for u in users) == sorted(emails)
    producers = db.session.scalars(select(Producer).where(Producer.name == SHARED_NAME)).all()
    assert sorted(p.id for p in producers) == sorted(u.producer_id for u in users)
    assert len({p.slug for p in producers}) == len(producers)

    # Photos: every acknowledged photo is in the pending change, never more than the cap;
    # each one sent from a current form was either kept or refused at the cap.
    added = [key for key, status in results["photos"] if status == 302]
    stale = [key for key, status in results["photos"] if status == 409]
    images = listing_values.working_copy(db.session.get(Product, product.id))["images"]
    assert len(images) == 1 + len(added)
    current = 2 * PHOTO_ATTEMPTS_PER_PROCESS - len(stale)
    assert len(added) == min(current, listing_values.MAX_PHOTOS - 1)

    # Approvals: each producer approved exactly once, the second official told politely.
    acknowledged = sorted(pid for pid, status in results["approve"] if status == 302)
    assert acknowledged == sorted(pending)
    for producer_id in pending:
        assert db.session.get(Producer, producer_id).status == "active"
        entries = db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "producer.approve", AuditEntry.entity_id == producer_id
            )
        )
        assert entries == 1, producer_id
