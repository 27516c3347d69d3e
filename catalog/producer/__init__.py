"""Producers' self-service: dashboard, business profile, product listings and photos."""

from flask import Blueprint

bp = Blueprint("producer", __name__, url_prefix="/co-so-cua-toi")
