"""Small helpers shared by services."""

from ..models._common import utcnow

__all__ = ["utcnow"]
