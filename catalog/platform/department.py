"""The provincial department in charge is named by configuration (CHOVIET_DEPARTMENT_NAME),
never hard-coded: OCOP is coordinated by different departments from one province to the next."""

from __future__ import annotations

from flask import current_app


def department_name() -> str:
    """The configured department's name, e.g. "Sở Nông nghiệp và Môi trường"."""
    return str(current_app.config["DEPARTMENT_NAME"])
