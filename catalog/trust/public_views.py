"""The public page that explains each trust badge in plain words (/huong-dan/nhan-tin-cay).

Every badge on the site links to its section here (macros/components.html: badge_help), so
a buyer who wonders what "Đã xác minh" means reads the rule the officials apply, quoted from
the one place it is written (verification.VERIFIED_MEANING)."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from catalog.models.certificates import EXPIRY_WARNING_DAYS
from catalog.trust.verification import VERIFIED_MEANING
from catalog.web.blueprints import public as bp

# The page's sections, by anchor: components.html links each badge to one of them.
SECTIONS = ("dia-chi-tin-cay", "da-xac-minh", "ocop", "ocop-tu-khai", "du-lieu-mau")


@bp.get("/huong-dan/nhan-tin-cay", endpoint="badges")
def badges() -> ResponseReturnValue:
    return render_template(
        "public/badges.html",
        verified_meaning=VERIFIED_MEANING,
        warning_days=EXPIRY_WARNING_DAYS,
    )
