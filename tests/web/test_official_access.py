"""Every route of the officials' blueprint, read from the URL map (so routes added later are
covered without editing this file): anonymous visitors are sent to sign in, producers get
403, and an official of another province gets 403 on every page about a Lạng Sơn entry.

Routes that take an id get the id of a Lạng Sơn entry of the right type, chosen by the
argument's name (SAMPLE_IDS). A new argument name fails loudly: add it there.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import (
    Campaign,
    Complaint,
    ImportBatch,
    OcopCertificate,
    ProducerClaim,
    Story,
)
from catalog.platform import audit
from tests.factories import create_user, province
from tests.forms import csrf_token
from tests.listings.support import draft, owner
from tests.review.support import official

PROVINCE = "Lạng Sơn"
# Argument name -> key of the fixture's entries. Add a row when a route takes a new one.
SAMPLE_IDS = {
    "producer_id": "producer",
    "product_id": "product",
    "claim_id": "claim",
    "complaint_id": "complaint",
    "campaign_id": "campaign",
    "story_id": "story",
    "batch_id": "batch",
    "import_id": "batch",
    "certificate_id": "certificate",
    "user_id": "user",
    "entry_id": "live_edit",
}
# Entries that belong to a person rather than a province: "not yours" may be 404 instead.
PERSONAL = {"batch_id", "import_id"}


def official_rules(app):  # type: ignore[no-untyped-def]
    """(rule, method) of every officials' route; never empty, so that a test looping over
    them cannot pass by checking nothing."""
    rules = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("official.")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
    assert rules, "no official.* routes: the blueprint's name changed?"
    return rules


def path_arguments(rule) -> set[str]:  # type: ignore[no-untyped-def]
    """The rule's arguments taken from the path (not those its `defaults` supply)."""
    return set(rule.arguments) - set(rule.defaults or ())


def url_for_rule(rule, ids: dict[str, int]) -> str:  # type: ignore[no-untyped-def]
    values = {}
    for name in path_arguments(rule):
        assert name in SAMPLE_IDS, (
            f"{rule.endpoint} takes <{name}>: add it to SAMPLE_IDS in "
            "tests/web/test_official_access.py with the kind of Lạng Sơn entry it names"
        )
        values[name] = ids[SAMPLE_IDS[name]]
    path = rule.rule
    for name, value in values.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    return path


@pytest.fixture
def lang_son(app):  # type: ignore[no-untyped-def]
    """One Lạng Sơn entry of every kind an official page can be about."""
    here = province(PROVINCE).id
    curator = official(PROVINCE)
    producer_user = owner(status="pending", name="HTX Na Chi Lăng", province_name=PROVINCE)
    product = draft(producer_user, "Na Chi Lăng")
    claimant = create_user("producer")
    with write_transaction():
        claim = ProducerClaim(producer_id=producer_user.producer_id, user_id=claimant.id)
        complaint = Complaint(
            token_hash="a" * 64,
            kind="counterfeit",
            province_id=here,
            product_id=product.id,
            producer_id=producer_user.producer_id,
            subject="Na giả",
            message="Hàng không đúng xuất xứ.",
        )
        today = date.today()
        campaign = Campaign(
            slug="na-lang-son",
            title="Mùa na Lạng Sơn",
            starts_on=today,
            ends_on=today + timedelta(days=30),
            province_id=here,
        )
        story = Story(slug="guong-na", title="Gương điển hình na", province_id=here)
        batch = ImportBatch(
            original_name="ds.csv",
            file_format="csv",
            stored_name="x.csv",
            uploaded_by_id=curator.id,
        )
        certificate = OcopCertificate(
            product_id=product.id,
            decision_no="12/QĐ-UBND",
            decision_date=today - timedelta(days=100),
            issuing_council="UBND tỉnh Lạng Sơn",
            stars=4,
            expires_on=today + timedelta(days=900),
        )
        db.session.add_all([claim, complaint, campaign, story, batch, certificate])
        live_edit = audit.record(
            producer_user,
            "listing.live_edit",
            "product",
            product.id,
            before={"price_vnd": None},
            after={"price_vnd": 1000},
        )
    return {
        "live_edit": live_edit.id,
        "producer": producer_user.producer_id,
        "product": product.id,
        "claim": claim.id,
        "complaint": complaint.id,
        "campaign": campaign.id,
        "story": story.id,
        "batch": batch.id,
        "certificate": certificate.id,
        "user": curator.id,
    }


def send(client, method: str, url: str, token: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": token})


def test_anonymous_visitors_are_sent_to_sign_in(app, client, lang_son):
    token = csrf_token(client, "/tai-khoan/dang-nhap")
    for rule, method in official_rules(app):
        response = send(client, method, url_for_rule(rule, lang_son), token)
        assert response.status_code == 302, (rule.endpoint, method, response.status_code)
        assert "dang-nhap" in response.location, (rule.endpoint, method)


def test_producers_are_forbidden_everywhere(app, client, login_as, lang_son):
    login_as(owner())
    token = csrf_token(client, "/")
    for rule, method in official_rules(app):
        response = send(client, method, url_for_rule(rule, lang_son), token)
        assert response.status_code == 403, (rule.endpoint, method, response.status_code)
        assert "HTX Na Chi Lăng" not in response.get_data(as_text=True)


def test_an_official_of_another_province_is_forbidden_on_lang_son_entries(
    app, client, login_as, lang_son
):
    login_as(official("Cao Bằng"))
    token = csrf_token(client, "/")
    checked = 0
    for rule, method in official_rules(app):
        if not path_arguments(rule):
            continue
        response = send(client, method, url_for_rule(rule, lang_son), token)
        allowed = {403, 404} if path_arguments(rule) & PERSONAL else {403}
        assert response.status_code in allowed, (rule.endpoint, method, response.status_code)
        assert "HTX Na Chi Lăng" not in response.get_data(as_text=True), rule.endpoint
        checked += 1
    assert checked > 0


def test_sample_ids_exist_so_the_403s_mean_something(app, client, login_as, lang_son):
    """An admin opens every entity page without a server error and without 404 (except a
    certificate scan: this product has none)."""
    login_as(create_user("admin"))
    opened = 0
    for rule, method in official_rules(app):
        if method != "GET" or not path_arguments(rule):
            continue
        response = client.get(url_for_rule(rule, lang_son))
        assert response.status_code < 500, (rule.endpoint, response.status_code)
        if rule.endpoint != "official.certificate_scan":
            assert response.status_code != 404, rule.endpoint
        opened += 1
    assert opened > 0
