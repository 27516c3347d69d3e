"""The engines behind one small adapter each, so the benchmark drives them alike.

Each has a reader (what the site's request handlers use) and a separate writer (a second
Whoosh instance, a second SQLite connection), as if the edit came from another process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import fts5_baseline
from search_index import ProductDoc, SearchQuery, get_backend


class _Backend:
    """An engine behind search_index.get_backend: a reader and a writer instance."""

    name = ""

    def __init__(self) -> None:
        self.backend = self._open()
        self.writer = self._open()  # another instance, like another process or host

    def _open(self) -> Any:
        raise NotImplementedError

    def build(self, docs: list[ProductDoc]) -> None:
        self.backend.rebuild(docs)

    def search(self, q: SearchQuery) -> tuple[int, list[int]]:
        page = self.backend.search(q)
        return page.total, page.ids

    def autocomplete(self, prefix: str) -> list[str]:
        return self.backend.autocomplete(prefix, 8)

    def update(self, doc: ProductDoc) -> None:
        self.writer.index([doc])

    def reopen(self) -> None:
        self.backend.close()
        self.backend = self._open()

    def close(self) -> None:
        self.backend.close()
        self.writer.close()


class Whoosh(_Backend):
    name = "Whoosh"

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__()

    def _open(self) -> Any:
        return get_backend({"backend": "whoosh", "path": str(self.path)})


class Fts5:
    name = "FTS5"

    def __init__(self, path: Path) -> None:
        self.path = path / "fts5.db"
        self.reader: fts5_baseline.Fts5Search | None = None
        self.writer: Any = None

    def build(self, docs: list[ProductDoc]) -> None:
        fts5_baseline.build(self.path, docs)
        self.reader = fts5_baseline.Fts5Search(self.path)
        self.writer = fts5_baseline.connect(self.path)

    def search(self, q: SearchQuery) -> tuple[int, list[int]]:
        page = self.reader.search(q)
        return page.total, page.ids

    def autocomplete(self, prefix: str) -> list[str]:
        return self.reader.autocomplete(prefix, 8)

    def update(self, doc: ProductDoc) -> None:
        fts5_baseline.update(self.writer, doc)

    def reopen(self) -> None:
        self.reader.close()
        self.reader = fts5_baseline.Fts5Search(self.path)

    def close(self) -> None:
        self.reader.close()
        self.writer.close()


class Postgres(_Backend):
    """The PostgreSQL backend in its own throwaway database on `server_url` (an admin URL,
    e.g. the dev cluster's postgresql+psycopg://postgres@127.0.0.1:55432/postgres)."""

    name = "PostgreSQL"

    def __init__(self, server_url: str, database: str) -> None:
        from sqlalchemy import create_engine, make_url
        from sqlalchemy.pool import NullPool

        self.database = database
        self.admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self._sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self._sql(f'CREATE DATABASE "{database}"')
        url = make_url(server_url).set(database=database)
        self.settings = {"backend": "postgres", "url": url.render_as_string(hide_password=False)}
        super().__init__()

    def _open(self) -> Any:
        return get_backend(self.settings)

    def _sql(self, statement: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(statement))

    def close(self) -> None:
        super().close()
        self._sql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self.admin.dispose()
