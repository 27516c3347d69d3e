"""No lost update (issue 13.6): every edit form of a mutable record carries the record's
version. Two tabs open the same form; the first saves; the second's save is refused with
409, the record keeps the first one's values, the page shows them beside what the second
typed (kept in the form) and carries the new version, so pressing save again saves. A
hostile version is stale, never a 500; a write racing another (StaleDataError) is a 409."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from catalog.extensions import db
from catalog.models import Campaign
from catalog.promotion import campaigns
from tests.forms import csrf_token, post_form
from tests.page_checks import html_problems
from tests.web.conflict_support import CASES, Setup, form_on, notice, race, version_key

HOSTILE_VERSIONS = ("", "0", "-1", "abc", "²", "١٢", "1e309", "1.0", " 1", "0x1", "9" * 30)


@pytest.fixture(params=list(CASES))
def case(request: pytest.FixtureRequest, app: Any, login_as: Any) -> Setup:
    setup = CASES[request.param]()
    login_as(setup.user)
    return setup


def _tab(client: Any, setup: Setup, action: str) -> dict[str, Any]:
    """The form as a browser tab opened it: every field, its token and version."""
    html = client.get(setup.page).get_data(as_text=True)
    return form_on(html, action, setup.page)


def _post(client: Any, action: str, fields: dict[str, Any]) -> Any:
    return client.post(action, data=fields)


def _two_tabs(client: Any, case: Setup) -> tuple[str, Any]:
    """Open the form in two tabs, save the first; returns the version the second was
    opened at and the answer to its save."""
    second_action = case.second_action or case.action
    first_tab = _tab(client, case, case.action)
    second_tab = _tab(client, case, second_action)
    saved = _post(client, case.action, {**first_tab, **case.first})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    assert case.stored() == case.a_value
    return second_tab[version_key(second_tab)], _post(
        client, second_action, {**second_tab, **case.second}
    )


def test_a_stale_save_is_refused_with_both_values_and_saves_on_second_press(client, case):
    second_action = case.second_action or case.action
    opened_at, refused = _two_tabs(client, case)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert case.stored() == case.a_value, "the second save overwrote the first"
    shown = notice(html)
    assert "Người khác vừa sửa mục này" in shown
    assert case.a_shown in shown, "the other person's current value is not shown"
    assert case.b_shown in html, "what the second tab typed was not kept"

    again = form_on(html, second_action, case.page)
    assert again[version_key(again)] not in ("", opened_at), "the page kept the old version"
    resaved = _post(client, second_action, again)
    assert resaved.status_code == 302, resaved.get_data(as_text=True)[:2000]
    assert case.stored() == case.b_value


@pytest.mark.parametrize("hostile", HOSTILE_VERSIONS)
def test_a_hostile_version_is_stale_never_a_crash(client, case, hostile):
    action = case.second_action or case.action
    fields = {**_tab(client, case, action), **case.second}
    before = case.stored()
    response = _post(client, action, {**fields, version_key(fields): hostile})
    assert response.status_code == 409
    assert case.stored() == before


def test_a_missing_version_is_stale(client, case):
    action = case.second_action or case.action
    fields = {**_tab(client, case, action), **case.second}
    before = case.stored()
    del fields[version_key(fields)]
    response = _post(client, action, fields)
    assert response.status_code == 409
    assert "Người khác vừa sửa mục này" in notice(response.get_data(as_text=True))
    assert case.stored() == before


def test_a_write_racing_another_is_refused_with_409(client, case, monkeypatch):
    """The form is current, but another transaction moves the row on between the check and
    the write: the ORM's version check (StaleDataError) refuses it, shown as a conflict."""
    action = case.second_action or case.action
    fields = {**_tab(client, case, action), **case.second}
    before = case.stored()
    race(monkeypatch, case)
    response = _post(client, action, fields)
    assert response.status_code == 409
    assert "Người khác vừa sửa mục này" in notice(response.get_data(as_text=True))
    assert case.stored() == before


def test_an_unguarded_stale_write_is_a_409_page_not_a_500(app, client, login_as, monkeypatch):
    """A racing write on a path with no edit form (the publish button) still answers 409."""
    from tests.promotion.support import make_campaign, official

    curator = login_as(official())
    entry = make_campaign(curator, publish=False)
    setup = Setup(curator, "", "", {}, {}, lambda: None, 0, 0, "", "", (campaigns, "", "", 0))
    setup.race = (campaigns, "set_published", "campaigns", entry.id)
    race(monkeypatch, setup)
    url = f"/quan-ly/chuong-trinh/{entry.id}"
    response = post_form(client, f"{url}/dang", {}, form_url=url)
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Campaign, entry.id).status == "draft"


def test_the_conflict_pages_are_valid_html(app, client, login_as, tmp_path: Path):
    documents = {}
    for name, build in CASES.items():
        case = build()
        login_as(case.user)
        _, refused = _two_tabs(client, case)
        assert refused.status_code == 409
        documents[f"conflict-{name}"] = refused.get_data(as_text=True)
    assert html_problems(documents, tmp_path) == []


def test_the_edit_page_shows_no_notice_and_carries_the_version(client, case):
    html = client.get(case.page).get_data(as_text=True)
    fields = form_on(html, case.second_action or case.action, case.page)
    assert fields[version_key(fields)].isdigit()
    assert notice(html) == ""
    assert csrf_token(client, case.page)
