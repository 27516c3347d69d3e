"""Small helpers shared by services."""

from catalog.models._common import utcnow

__all__ = ["utcnow"]
