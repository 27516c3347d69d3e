"""Accounts: register, verify e-mail, sign in and out, reset a password, accept invitations."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/tai-khoan")

from . import handover_views, views  # noqa: E402,F401
