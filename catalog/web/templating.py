"""Jinja filters and globals: money, dates, stars, image URLs and srcset."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from flask import Flask, request, url_for
from markupsafe import Markup

from catalog.platform.department import department_name
from catalog.platform.images import SIZES
from catalog.platform.number_format import format_number, format_vnd
from catalog.platform.vietnamese import ZALO_HOSTS, mobile_phone
from catalog.web.official_nav import official_menu

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def format_date(value: date | datetime | None) -> str:
    """23/11/2026, in Vietnam's time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).date()
    return value.strftime("%d/%m/%Y")


def format_phone(value: str | None) -> str:
    """0912345678 → '0912 345 678'; 02438123456 → '024 3812 3456' (easier to read aloud)."""
    if not value:
        return ""
    if len(value) == 10:
        return f"{value[:4]} {value[4:7]} {value[7:]}"
    if len(value) == 11:
        return f"{value[:3]} {value[3:7]} {value[7:]}"
    return value


def zalo_url(zalo: str | None, phone: str | None) -> str | None:
    """The "Nhắn Zalo" link: the producer's own Zalo (a zalo.me link or a mobile number),
    else its phone when that is a mobile; None (no button) for a landline, since Zalo
    accounts belong to mobile numbers (platform.vietnamese.mobile_phone)."""
    if zalo:
        parts = urlsplit(zalo)
        if parts.scheme in ("http", "https") and (parts.hostname or "").lower() in ZALO_HOSTS:
            return zalo
        number = mobile_phone(zalo)
        if number is not None:
            return f"https://zalo.me/{number}"
    number = mobile_phone(phone)
    return None if number is None else f"https://zalo.me/{number}"


def image_url(digest: str | None, size: str = "medium") -> str:
    if not digest:
        return url_for("static", filename="img/placeholder.svg")
    return url_for("public.image", digest=digest, size=size)


def image_srcset(digest: str | None) -> Markup:
    if not digest:
        return Markup("")
    parts = [f"{image_url(digest, name)} {width}w" for name, width in SIZES.items()]
    return Markup(", ".join(parts))


def url_with(**changes: Any) -> str:
    """The current URL with some query parameters replaced (None removes one)."""
    args = request.args.copy()
    for key, value in changes.items():
        args.poplist(key)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            for item in value:
                args.add(key, item)
        else:
            args[key] = value
    base = url_for(request.endpoint or "public.home", **(request.view_args or {}))
    query = urlencode(list(args.items(multi=True)))
    return f"{base}?{query}" if query else base


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["vnd"] = format_vnd  # 150.000 ₫ / 150,000 ₫ by the page's language
    app.jinja_env.filters["num"] = format_number  # counts: 1.234 / 1,234
    app.jinja_env.filters["date_vn"] = format_date
    app.jinja_env.filters["phone"] = format_phone
    app.jinja_env.globals["image_url"] = image_url
    app.jinja_env.globals["image_srcset"] = image_srcset
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["zalo_url"] = zalo_url
    app.jinja_env.globals["SITE_NAME"] = "Chợ Việt"
    app.context_processor(lambda: {"now_year": date.today().year})
    app.context_processor(lambda: {"DEPARTMENT_NAME": department_name()})
    app.jinja_env.globals["official_menu"] = official_menu
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
