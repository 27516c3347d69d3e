"""Posting forms the way a browser does: CSRF stays on in tests (as in production), so a test
first opens the page that holds the form and sends back its hidden csrf_token.

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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") == "csrf_token" and self.token is None:
            self.token = values.get("value")


def find_csrf_token(html: str) -> str | None:
    finder = _TokenFinder()
    finder.feed(html)
    return finder.token


def csrf_token(client: Any, url: str) -> str:
    """The CSRF token of the first form on the page at `url` (GET with the client's cookies)."""
    response = client.get(url)
    token = find_csrf_token(response.get_data(as_text=True))
    if not token:
        raise AssertionError(f"no csrf_token input on {url} (HTTP {response.status_code})")
    return token


def post_form(
    client: Any,
    url: str,
    data: dict[str, Any] | None = None,
    *,
    form_url: str | None = None,
    follow_redirects: bool = False,
    **kwargs: Any,
) -> Any:
    """POST `data` to `url` with a valid CSRF token taken from `form_url` (default: `url`)."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, form_url or url)
    return client.post(url, data=payload, follow_redirects=follow_redirects, **kwargs)
