"""The baseline a developer might pick instead: SQLite FTS5, tuned the way SEARCH-NOTES says.

* Text is folded word by word with search_index.text.fold_word (fold(): accents off, đ → d;
  plus kỹ = kĩ) before it reaches FTS5 (`remove_diacritics 2` does not fold đ), documents and
  queries alike, so both engines match the same words.
  Unlike our Whoosh backend there is no accent-kept variant: "bò" and "bỏ" rank the same.
* `CROSS JOIN` makes SQLite run MATCH first and look the filter columns up by rowid
  (with a plain JOIN it drives from the products b-tree and runs MATCH per row).
* Facet counts follow the site's multi-select rule: one `GROUP BY province, category, stars,
  verified` over the matched rows, then each facet is tallied in Python from those groups
  with the *other* facets' filters applied; the total comes from the same groups.
* The last word is also a prefix while the user is typing (`"w"*`, in name/producer/place/
  group only, as in the Whoosh backend), with FTS5 prefix indexes of 2 and 3 characters.
* AND first; if that finds nothing and there are several words, OR (no spelling suggestion).
* Highlights for the hits on the page use the project's own mark()/snippet(), so both engines
  produce the same HTML and pay the same for it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from search_index import ProductDoc, SearchQuery
from search_index.highlight import Terms, highlights
from search_index.query import unique_names
from search_index.text import fold_word, words

FACETS = ("province", "category", "stars", "verified")
WEIGHTS = "bm25(6.0, 3.0, 2.5, 2.0, 1.0)"  # name, producer, place, group, description
PREFIX_COLUMNS = "{name producer place grp}"
MAX_WORDS = 12
ORDERS = {
    "relevance": "f.rank",
    "stars": "p.stars IS NULL, p.stars DESC, f.rank",
    "newest": "p.created DESC, p.id DESC",
    "price_asc": "p.price IS NULL, p.price, p.created DESC",
    "price_desc": "p.price IS NULL, p.price DESC, p.created DESC",
}
BROWSE_ORDERS = {
    **ORDERS,
    "relevance": ORDERS["newest"],
    "stars": "p.stars IS NULL, p.stars DESC, p.created DESC",
}

SCHEMA = f"""
PRAGMA journal_mode=WAL;
CREATE TABLE products(
    id INTEGER PRIMARY KEY, name TEXT, description TEXT, province TEXT, category TEXT,
    stars INTEGER, verified INTEGER, price INTEGER, created INTEGER);
CREATE VIRTUAL TABLE products_fts USING fts5(
    name, producer, place, grp, descr, tokenize='unicode61 remove_diacritics 2', prefix='2 3');
INSERT INTO products_fts(products_fts, rank) VALUES('rank', '{WEIGHTS}');
"""
INDEXES = """
CREATE INDEX products_created ON products(created);
CREATE INDEX products_facets ON products(province, category, stars, verified);
"""


@dataclass
class Page:
    total: int
    ids: list[int]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    highlights: list[dict[str, str]] = field(default_factory=list)


def _row(doc: ProductDoc) -> tuple:
    created = int(doc.created_at.timestamp()) if doc.created_at else None
    return (doc.id, doc.name, doc.description, doc.province_slug, doc.category_slug,
            doc.ocop_stars, int(doc.verified), doc.price_vnd, created)  # fmt: skip


def _fts_row(doc: ProductDoc) -> tuple:
    place = " ".join([doc.province_name, *doc.province_aliases])
    texts = (doc.name, doc.producer_name, place, doc.category_name or "", doc.description)
    return (doc.id, *(_fold_text(t) for t in texts))


def _fold_text(text: str) -> str:
    """Accent-free words, i/y unified (kỹ = kĩ), as the Whoosh analyzer indexes them."""
    return " ".join(fold_word(w) for w in words(text))


def connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-65536")  # 64 MiB
    return db


def build(path: Path, docs: Iterable[ProductDoc]) -> None:
    """A fresh database with every document, FTS5 segments merged (optimize)."""
    db = connect(path)
    db.executescript(SCHEMA)
    db.execute("BEGIN")
    for doc in docs:
        db.execute("INSERT INTO products VALUES (?,?,?,?,?,?,?,?,?)", _row(doc))
        db.execute("INSERT INTO products_fts(rowid, name, producer, place, grp, descr) "
                   "VALUES (?,?,?,?,?,?)", _fts_row(doc))  # fmt: skip
    for statement in INDEXES.strip().splitlines():
        db.execute(statement)
    db.execute("COMMIT")
    db.execute("INSERT INTO products_fts(products_fts) VALUES('optimize')")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    db.close()


def update(db: sqlite3.Connection, doc: ProductDoc) -> None:
    """Replace one product in one transaction (what the site's sync would do)."""
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT OR REPLACE INTO products VALUES (?,?,?,?,?,?,?,?,?)", _row(doc))
    db.execute("DELETE FROM products_fts WHERE rowid = ?", (doc.id,))
    db.execute("INSERT INTO products_fts(rowid, name, producer, place, grp, descr) "
               "VALUES (?,?,?,?,?,?)", _fts_row(doc))  # fmt: skip
    db.execute("COMMIT")


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def match_expression(text: str, joiner: str = " AND ", min_prefix: int = 2) -> str | None:
    folded = []
    for w in words(text)[:MAX_WORDS]:
        f = fold_word(w)
        if f not in folded:
            folded.append(f)
    if not folded:
        return None
    parts = [_quote(w) for w in folded]
    if text and not text[-1].isspace() and len(folded[-1]) >= min_prefix:
        parts[-1] = f"({parts[-1]} OR {PREFIX_COLUMNS} : {parts[-1]}*)"
    return joiner.join(parts)


def _filters(q: SearchQuery) -> dict[str, set]:
    filters: dict[str, set] = {}
    if q.provinces:
        filters["province"] = set(q.provinces)
    if q.categories:
        filters["category"] = set(q.categories)
    if q.stars:
        filters["stars"] = set(q.stars)
    if q.verified is not None:
        filters["verified"] = {int(q.verified)}
    return filters


def _where(filters: dict[str, set]) -> tuple[str, list]:
    sql, args = [], []
    for name, values in filters.items():
        sql.append(f"p.{name} IN ({','.join('?' * len(values))})")
        args += sorted(values)
    return "".join(" AND " + s for s in sql), args


class Fts5Search:
    def __init__(self, path: Path) -> None:
        self.db = connect(path)

    def close(self) -> None:
        self.db.close()

    def search(self, q: SearchQuery) -> Page:
        per_page = min(100, max(1, q.per_page))
        offset = (max(1, q.page) - 1) * per_page
        expr = match_expression(q.text)
        filters = _filters(q)
        page, matched = self._run(expr, q, filters, per_page, offset)
        if not matched and expr and len(words(q.text)) > 1:
            expr = match_expression(q.text, joiner=" OR ")
            page, matched = self._run(expr, q, filters, per_page, offset)
        if expr:
            page.highlights = self._highlights(page.ids, q.text)
        return page

    def _run(self, expr, q: SearchQuery, filters, per_page: int, offset: int) -> tuple[Page, int]:
        """The page and the number of text matches before filters."""
        cols = ", ".join(f"p.{c}" for c in FACETS)
        if expr:
            source = "products_fts AS f CROSS JOIN products AS p ON p.id = f.rowid"
            where, args = "f.products_fts MATCH ?", [expr]
            orders = ORDERS
        else:
            source, where, args, orders = "products AS p", "1", [], BROWSE_ORDERS
        groups = self.db.execute(
            f"SELECT {cols}, count(*) FROM {source} WHERE {where} GROUP BY {cols}", args
        ).fetchall()
        facets, total = _tally(groups, filters)
        matched = sum(row[-1] for row in groups)
        if not total:
            return Page(0, [], facets), matched
        extra, extra_args = _where(filters)
        order = orders.get(q.sort, orders["relevance"])
        rows = self.db.execute(
            f"SELECT p.id FROM {source} WHERE {where}{extra} ORDER BY {order} LIMIT ? OFFSET ?",
            [*args, *extra_args, per_page, offset],
        ).fetchall()
        return Page(total, [r[0] for r in rows], facets), matched

    def _highlights(self, ids: list[int], text: str) -> list[dict[str, str]]:
        folded = [fold_word(w) for w in words(text)]
        typing = bool(text) and not text[-1].isspace() and len(folded[-1]) >= 2
        terms = Terms(frozenset(folded), folded[-1] if typing else None)
        out = []
        for pid in ids:
            name, desc = self.db.execute(
                "SELECT name, description FROM products WHERE id = ?", (pid,)
            ).fetchone()
            out.append(highlights(name, desc, terms))
        return out

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        expr = match_expression(prefix, min_prefix=1)
        if not expr:
            return []
        expr = "{name} : (" + expr.replace(PREFIX_COLUMNS + " : ", "") + ")"
        rows = self.db.execute(
            "SELECT p.name FROM products_fts AS f CROSS JOIN products AS p ON p.id = f.rowid "
            "WHERE f.products_fts MATCH ? ORDER BY f.rank LIMIT ?",
            (expr, limit * 4),
        ).fetchall()
        return unique_names((name for (name,) in rows), limit)


def _tally(groups: list[tuple], filters: dict[str, set]) -> tuple[dict, int]:
    """Multi-select facet counts and the filtered total from GROUP BY rows."""
    counters = {name: Counter() for name in FACETS}
    total = 0
    checks = [(FACETS.index(name), values) for name, values in filters.items()]
    for row in groups:
        n = row[-1]
        failed = [i for i, values in checks if row[i] not in values]
        if not failed:
            total += n
        if len(failed) > 1:
            continue
        for i, name in enumerate(FACETS):
            if (not failed or failed == [i]) and row[i] is not None:
                counters[name][row[i]] += n
    facets = {name: sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0]))) for name, c in
              counters.items()}  # fmt: skip
    return facets, total
