"""The officials' workspace menu: one entry per section, shown only to those allowed.

Listing endpoints here (rather than in the template) keeps the menu in one place while each
section lives in its own views module.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask_login import current_user

# endpoint, label, roles that see it, endpoint-name prefixes of the section's other pages
SECTIONS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("official.dashboard", "Hồ sơ chờ duyệt", ("official", "admin"), ("queue_",)),
    ("official.producers", "Cơ sở sản xuất", ("official", "admin"), ("producer_", "onboard_")),
    ("official.certificates", "Chứng nhận OCOP", ("official", "admin"), ("certificate",)),
    ("official.complaints", "Phản ánh", ("official", "admin"), ("complaint",)),
    ("official.campaigns", "Chương trình", ("official", "admin"), ("campaign",)),
    ("official.stories", "Bài viết", ("official", "admin"), ("story",)),
    ("official.featured", "Sản phẩm nổi bật", ("official", "admin"), ("featured_",)),
    ("official.imports", "Nhập danh sách", ("official", "admin"), ("import",)),
    ("official.reports", "Báo cáo", ("official", "admin"), ("report",)),
    ("official.audit_log", "Nhật ký", ("official", "admin"), ("audit",)),
    ("official.users", "Người dùng", ("admin",), ("user",)),
    # The person's own account (password, "sign out everywhere"), on the account blueprint.
    ("account.settings", "Tài khoản của tôi", ("official", "admin"), ()),
)


def official_menu() -> list[dict[str, Any]]:
    """The sections this user may open that exist in this build, the current one marked."""
    if not current_user.is_authenticated:
        return []
    items = []
    here = request.endpoint or ""
    short = here.split(".", 1)[-1]
    for endpoint, label, roles, prefixes in SECTIONS:
        if current_user.role not in roles or endpoint not in current_app.view_functions:
            continue
        current = here == endpoint or (here.startswith("official.") and short.startswith(prefixes))
        items.append({"url": url_for(endpoint), "label": label, "current": current})
    return items
