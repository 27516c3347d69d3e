"""Officials' workspace: the review queue and decisions (the full workspace comes later)."""

from flask import Blueprint

bp = Blueprint("official", __name__, url_prefix="/quan-ly")
