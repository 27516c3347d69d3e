"""Parsing query-string parameters defensively: bad values never reach a query.

Pages are lenient (an invalid value is dropped and the visitor still gets a page); the API
is strict (ParamError → 400 with a JSON message) because a program should learn its mistake.
"""

from __future__ import annotations

from collections.abc import Iterable

from werkzeug.datastructures import MultiDict

from catalog.models import OCOP_STARS
from catalog.platform.vietnamese import clean_text

MAX_PAGE = 10_000
MAX_QUERY_LEN = 200


class ParamError(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def page_number(args: MultiDict, *, strict: bool = False) -> int:
    raw = args.get("page", "1")
    try:
        page = int(raw)
    except (TypeError, ValueError):
        page = 0
    if 1 <= page <= MAX_PAGE:
        return page
    if strict:
        raise ParamError("page", f"page phải là số nguyên từ 1 đến {MAX_PAGE}.")
    return 1


def per_page(args: MultiDict, default: int, *, maximum: int = 100) -> int:
    raw = args.get("per_page")
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise ParamError("per_page", f"per_page phải là số nguyên từ 1 đến {maximum}.")
    return value


def star_values(values: Iterable[str], *, strict: bool = False) -> tuple[int, ...]:
    result: set[int] = set()
    for raw in values:
        for part in str(raw).split(","):
            part = part.strip()
            if not part:
                continue
            if part.isdigit() and int(part) in OCOP_STARS:
                result.add(int(part))
            elif strict:
                raise ParamError("stars", "stars phải là 3, 4 hoặc 5.")
    return tuple(sorted(result))


def choice(
    args: MultiDict, name: str, options: Iterable[str], default: str, *, strict: bool = False
) -> str:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if raw in options:
        return raw
    if strict:
        raise ParamError(name, f"{name} phải là một trong: {', '.join(options)}.")
    return default


def query_text(args: MultiDict) -> str:
    """The search text, NFC-cleaned and cut to a sane length."""
    return clean_text(args.get("q", ""))[:MAX_QUERY_LEN]


def boolean(args: MultiDict, name: str, *, strict: bool = False) -> bool | None:
    raw = (args.get(name) or "").strip().lower()
    if raw == "":
        return None
    if raw in ("1", "true", "yes", "co", "có"):
        return True
    if raw in ("0", "false", "no", "khong", "không"):
        return False
    if strict:
        raise ParamError(name, f"{name} phải là true hoặc false.")
    return None
