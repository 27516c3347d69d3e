"""Full-text search behind one small interface (SearchBackend).

The catalogue hands plain ProductDocs in and gets ranked ids, facet counts, highlights and a
spelling suggestion back; it never imports Whoosh, and this package never imports the
catalogue or Flask. The backend is chosen by configuration through get_backend(), which
imports an engine's modules only when that engine is chosen: what both backends share (query
parsing in query.py, fields and boosts in weights.py) imports no engine, so a PostgreSQL
deployment never loads Whoosh (tests/search_index/test_postgres_loads_no_whoosh.py).
"""

from __future__ import annotations

from typing import Any

from search_index.base import IndexUnavailable, SearchBackend
from search_index.types import (
    SORTS,
    Drift,
    FacetCount,
    ProductDoc,
    SearchHit,
    SearchPage,
    SearchQuery,
)

__all__ = [
    "SORTS",
    "Drift",
    "FacetCount",
    "IndexUnavailable",
    "ProductDoc",
    "SearchBackend",
    "SearchHit",
    "SearchPage",
    "SearchQuery",
    "get_backend",
]

BACKENDS = ("whoosh", "postgres")


def get_backend(settings: dict[str, Any]) -> SearchBackend:
    """The backend named by settings["backend"] (default "whoosh"): Whoosh at
    settings["path"], or PostgreSQL at settings["url"] (tables in settings["schema"]).

    Whoosh only: settings["may_create"], a callable, is asked before an empty index is
    created where none exists (see WhooshBackend); without it one always is.

    Raises ValueError for an unknown name, so a typo in configuration fails at start-up
    rather than on the first search.
    """
    name = str(settings.get("backend") or "whoosh").lower()
    if name == "whoosh":
        from search_index.whoosh_backend import WhooshBackend

        path = settings.get("path")
        if not path:
            raise ValueError("the whoosh search backend needs a 'path'")
        return WhooshBackend(path, may_create=settings.get("may_create"))
    if name == "postgres":
        from search_index.postgres_backend import PostgresBackend
        from search_index.postgres_schema import DEFAULT_SCHEMA

        url = settings.get("url")
        if not url:
            raise ValueError("the postgres search backend needs a database 'url'")
        return PostgresBackend(str(url), schema=str(settings.get("schema") or DEFAULT_SCHEMA))
    raise ValueError(f"unknown search backend {name!r}; known: {', '.join(BACKENDS)}")
