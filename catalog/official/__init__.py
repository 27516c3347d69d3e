"""Officials' workspace: the review queue and decisions (the full workspace comes later)."""

from flask import Blueprint

bp = Blueprint("official", __name__, url_prefix="/quan-ly")

from . import views  # noqa: E402, F401  (registers the routes)
