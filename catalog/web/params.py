"""Parsing query-string and form parameters defensively: bad values never reach a query.

Numbers follow one rule (catalog.platform.numbers): ASCII digits only, never past what the
database's integers hold. A filter value that names nothing (an unknown province, stars 9)
is refused everywhere: ParamError, answered once for the whole app with 400 and a message
naming it (catalog.web.error_pages: a page, JSON under /api/). Navigation (page, sort) is
lenient on pages (a bad value gives the first page) and strict in the API, because a
program should learn its mistake.
"""

from __future__ import annotations

from collections.abc import Iterable

from werkzeug.datastructures import MultiDict

from catalog.models import OCOP_STARS
from catalog.platform.numbers import MAX_ID, row_id, whole_number
from catalog.platform.vietnamese import clean_text

MAX_PAGE = 10_000
MAX_QUERY_LEN = 200


class ParamError(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def number(
    args: MultiDict,
    name: str,
    *,
    minimum: int = 0,
    maximum: int = MAX_ID,
    default: int | None = None,
    strict: bool = False,
) -> int | None:
    """A whole number parameter; absent or empty: `default`. Anything else that is not a
    number in [minimum, maximum]: ParamError when strict, else `default`."""
    raw = args.get(name)
    if raw is None or str(raw).strip() == "":
        return default
    value = whole_number(raw, minimum=minimum, maximum=maximum)
    if value is None:
        if strict:
            raise ParamError(name, f"{name} phải là số nguyên từ {minimum} đến {maximum}.")
        return default
    return value


def id_param(args: MultiDict, name: str, *, strict: bool = False) -> int | None:
    """An id in a query string or form (tinh=4, product_id=12): None when absent or, unless
    strict, when it could name no row (non-ASCII digits, past the database's integers)."""
    return number(args, name, minimum=1, strict=strict)


def form_id(value: object) -> int | None:
    """An id posted in a form field or read from a "kind:id" value: None if it names no row."""
    return row_id(value)


def page_number(args: MultiDict, *, strict: bool = False, name: str = "page") -> int:
    """The page asked for, 1 to MAX_PAGE; otherwise 1, or ParamError when strict."""
    value = number(args, name, minimum=1, maximum=MAX_PAGE, strict=strict)
    return 1 if value is None else value


def per_page(args: MultiDict, default: int, *, maximum: int = 100) -> int:
    """Items per page, 1 to `maximum` (API only: always strict)."""
    value = number(args, "per_page", minimum=1, maximum=maximum, strict=True)
    return default if value is None else value


def star_values(
    values: Iterable[str], *, strict: bool = False, name: str = "stars"
) -> tuple[int, ...]:
    """OCOP stars (3, 4, 5), repeated or comma-separated. A value that is none of them is
    a filter that names nothing: ParamError when strict, else dropped."""
    result: set[int] = set()
    for raw in values:
        for part in str(raw).split(","):
            if not part.strip():
                continue
            stars = whole_number(part, minimum=min(OCOP_STARS), maximum=max(OCOP_STARS))
            if stars is not None and stars in OCOP_STARS:
                result.add(stars)
            elif strict:
                raise ParamError(name, f"Số sao OCOP ({name}) phải là 3, 4 hoặc 5.")
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


def query_text(
    args: MultiDict, name: str = "q", *, limit: int = MAX_QUERY_LEN, strict: bool = False
) -> str:
    """Free text (a search), NFC-cleaned, control characters dropped (PostgreSQL cannot
    even compare text holding NUL), cut to a sane length; longer: ParamError when strict."""
    text = clean_text(args.get(name, ""))
    if strict and len(text) > limit:
        raise ParamError(name, f"{name} dài tối đa {limit} ký tự (đã gửi {len(text)}).")
    return text[:limit]


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
