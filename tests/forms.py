"""Posting forms the way a browser does: CSRF stays on in tests (as in production), so a test
first opens the page that holds the form and sends back its hidden csrf_token, and the
hidden version of the record an edit form was opened at (catalog/web/edit_conflicts.py;
a test that sets "version" itself sends its own).

    from tests.forms import post_form
    response = post_form(client, "/tai-khoan/dang-nhap", {"email": ..., "password": ...})
    response = post_form(client, "/tai-khoan/dang-xuat", {}, form_url="/")  # token from "/"
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _TokenFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.token: str | None = None
        self.versions: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag != "input" or values.get("type") != "hidden":
            return
        name = values.get("name") or ""
        if name == "csrf_token" and self.token is None:
            self.token = values.get("value")
        elif name == "version" or name.endswith("-version"):
            self.versions.setdefault(name, values.get("value") or "")


def find_csrf_token(html: str) -> str | None:
    finder = _TokenFinder()
    finder.feed(html)
    return finder.token


def hidden_versions(html: str) -> dict[str, str]:
    """The hidden version fields of the page's edit forms, by name."""
    finder = _TokenFinder()
    finder.feed(html)
    return finder.versions


def form_fields(client: Any, url: str) -> dict[str, str]:
    """The CSRF token of the first form on the page at `url` (GET with the client's
    cookies) and the versions its edit forms were opened at."""
    response = client.get(url)
    html = response.get_data(as_text=True)
    token = find_csrf_token(html)
    if not token:
        raise AssertionError(f"no csrf_token input on {url} (HTTP {response.status_code})")
    return {**hidden_versions(html), "csrf_token": token}


def csrf_token(client: Any, url: str) -> str:
    """The CSRF token of the first form on the page at `url` (GET with the client's cookies)."""
    return form_fields(client, url)["csrf_token"]


def post_form(
    client: Any,
    url: str,
    data: dict[str, Any] | None = None,
    *,
    form_url: str | None = None,
    follow_redirects: bool = False,
    **kwargs: Any,
) -> Any:
    """POST `data` to `url` with a valid CSRF token (and the edit forms' versions, unless
    `data` names them) taken from `form_url` (default: `url`)."""
    fields = form_fields(client, form_url or url)
    payload = {**fields, **(data or {}), "csrf_token": fields["csrf_token"]}
    return client.post(url, data=payload, follow_redirects=follow_redirects, **kwargs)
