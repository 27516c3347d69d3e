"""Full-text search behind one small interface (SearchBackend).

The catalogue hands plain ProductDocs in and gets ranked ids, facet counts, highlights and a
spelling suggestion back; it never imports Whoosh, and this package never imports the
catalogue or Flask. The backend is chosen by configuration through get_backend().
"""

from __future__ import annotations

from typing import Any

from .base import SearchBackend
from .types import SORTS, Drift, FacetCount, ProductDoc, SearchHit, SearchPage, SearchQuery

__all__ = [
    "SORTS",
    "Drift",
    "FacetCount",
    "ProductDoc",
    "SearchBackend",
    "SearchHit",
    "SearchPage",
    "SearchQuery",
    "get_backend",
]

BACKENDS = ("whoosh",)


def get_backend(settings: dict[str, Any]) -> SearchBackend:
    """The backend named by settings["backend"] (default "whoosh") at settings["path"].

    Raises ValueError for an unknown name, so a typo in configuration fails at start-up
    rather than on the first search.
    """
    name = str(settings.get("backend") or "whoosh").lower()
    if name == "whoosh":
        from .whoosh_backend import WhooshBackend

        path = settings.get("path")
        if not path:
            raise ValueError("the whoosh search backend needs a 'path'")
        return WhooshBackend(path)
    raise ValueError(f"unknown search backend {name!r}; known: {', '.join(BACKENDS)}")
