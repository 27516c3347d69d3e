"""Autocomplete suggestions with where each one leads.

The index suggests product names (search.autocomplete); a name that only one public product
bears opens that product, a name several bear (two producers' "Mật ong") opens the search
for it. Producers whose name matches (producer_search) follow, opening their page. The
browser script goes to `url`; without it the search form still searches for the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from catalog.catalogue import producer_search, search
from catalog.extensions import db
from catalog.models import Producer, Product
from catalog.models.visibility import producer_is_public, public_products
from catalog.platform.links import absolute_url
from search_index.text import normalize_key

PRODUCER_SUGGESTIONS = 3


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str  # "product", "search" (several products bear the name) or "producer"
    url: str

    def as_json(self) -> dict[str, str]:
        return {"text": self.text, "kind": self.kind, "url": self.url}


def suggest(prefix: str, limit: int = 8) -> tuple[list[str], list[Suggestion]]:
    """(product names, as before; every suggestion with its link)."""
    names = search.autocomplete(prefix, limit)
    items = _products(names)
    items += _producers(prefix, PRODUCER_SUGGESTIONS)
    return names, items


def _products(names: list[str]) -> list[Suggestion]:
    if not names:
        return []
    keys = {name: normalize_key(name) for name in names}
    stmt = (
        public_products()
        .where(Product.name_key.in_(set(keys.values())))
        .with_only_columns(Product.name_key, Product.slug)
    )
    slugs: dict[str, list[str]] = {}
    for key, slug in db.session.execute(stmt):
        slugs.setdefault(key, []).append(slug)
    result = []
    for name in names:
        found = slugs.get(keys[name], [])
        if len(found) == 1:
            result.append(
                Suggestion(name, "product", absolute_url(url_for("public.product", slug=found[0])))
            )
        else:  # several, or none left since the index answered: search for the name
            url = absolute_url(url_for("public.search", q=name))
            result.append(Suggestion(name, "search", url))
    return result


def _producers(prefix: str, limit: int) -> list[Suggestion]:
    ids = producer_search.ranked_ids(prefix)[:limit]
    if not ids:
        return []
    stmt = select(Producer.id, Producer.name, Producer.slug).where(
        Producer.id.in_(ids), producer_is_public()
    )
    rows = {pid: (name, slug) for pid, name, slug in db.session.execute(stmt)}
    return [
        Suggestion(
            rows[pid][0], "producer", absolute_url(url_for("public.producer", slug=rows[pid][1]))
        )
        for pid in ids
        if pid in rows
    ]
