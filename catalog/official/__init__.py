"""Officials' workspace: review queue, trust and certificates, complaints, promotion,
imports, reports, the audit log and (for admins) users. One views module per section."""

from flask import Blueprint

bp = Blueprint("official", __name__, url_prefix="/quan-ly")

from . import (  # noqa: E402, F401  (registers the routes)
    views,
    views_admin,
    views_complaints,
    views_imports,
    views_onboarding,
    views_promotion,
    views_reports,
    views_trust,
)
