"""SQL for answering a SearchQuery from the PostgreSQL documents table.

The rules are the Whoosh backend's (whoosh_search.py, whoosh_rank.py), so both pass one test
table: words are parsed by the same parse_words (query.py) and weighed with the same fields
and boosts (weights.py); every word must match (AND) in some field, folded, the last word also
as a prefix; an English glossary term is a slot matched by any of its readings (the
words as typed, or a Vietnamese term, accent-kept); when that finds nothing, any slot
(OR). Relevance is the same weighted sum,
computed in SQL:

    field boost × ln(1 + documents / documents with that word in that field)

once for the folded word, once more (ACCENT_BOOST) when the accent-kept word matches too, and
PREFIX_BOOST for a prefix match; ties go to fewer words in the name, more stars, newer. The
document frequencies are counted in the same statement through the GIN index.

One statement answers a page: the matches are materialised once, and the total, the facet
counts (each over the matches with the *other* facets' filters) and the ordered page are read
from them as JSON. All user text reaches PostgreSQL as bound parameters; tsquery text is built
here from parsed words only, with quotes doubled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from search_index.postgres_schema import FIELD_TAGS
from search_index.query import QueryWord, Slot
from search_index.types import FACET_FIELDS, SearchQuery
from search_index.weights import ACCENT_BOOST, PREFIX_BOOST, PREFIX_FIELDS, TEXT_FIELDS

# (tag, boost, prefix allowed) per searchable field, name first.
Field = tuple[str, float, bool]
ALL_FIELDS: tuple[Field, ...] = tuple(
    (FIELD_TAGS[accented], boost, folded in PREFIX_FIELDS)
    for accented, folded, boost in TEXT_FIELDS
)
NAME_FIELDS = ALL_FIELDS[:1]
RECENCY = "{p}created_us DESC NULLS LAST, {p}id DESC"
RELEVANCE = "{p}score DESC, {p}nwords ASC, {p}stars DESC NULLS LAST, " + RECENCY


def lexeme_query(tag: str, variant: str, word: str, prefix: bool = False) -> str:
    """tsquery text of one tagged lexeme, e.g. 'nf:vai':* (quotes and backslashes doubled)."""
    body = f"{tag}{variant}:{word}".replace("\\", "\\\\").replace("'", "''")
    return f"'{body}'" + (":*" if prefix else "")


def word_query(word: QueryWord, fields: Iterable[Field]) -> str:
    """Documents with `word` in any of `fields`, folded (and as a prefix where allowed);
    accent-kept for a glossary term."""
    parts: list[str] = []
    for tag, _boost, prefixable in fields:
        if word.exact:
            parts.append(lexeme_query(tag, "a", word.accented))
            continue
        parts.append(lexeme_query(tag, "f", word.folded))
        if word.prefix and prefixable:
            parts.append(lexeme_query(tag, "f", word.folded, prefix=True))
    return "(" + " | ".join(parts) + ")"


class Binds:
    """Collects bound parameters; each value gets a fresh name."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def __call__(self, value: Any, cast: str | None = None) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"CAST(:{name} AS {cast})" if cast else f":{name}"


@dataclass(frozen=True)
class Tables:
    """Quoted, schema-qualified names of the backend's tables."""

    docs: str
    vocab: str
    meta: str


@dataclass(frozen=True)
class Flag:
    """One (word, field) test evaluated once per candidate row: the folded word, or the
    folded prefix; `exact` is the accent-kept test, evaluated only where `query` matched."""

    word: int
    query: str
    boost: float
    exact: str | None = None


def slot_query(slot: Slot, fields: Iterable[Field]) -> str:
    """Documents with every word of one of the slot's readings."""
    fields = tuple(fields)
    readings = [" & ".join(word_query(w, fields) for w in r) for r in slot.readings]
    return "(" + " | ".join(f"({r})" for r in readings) + ")"


def flags_for(words: list[QueryWord], fields: Iterable[Field]) -> list[Flag]:
    """The weighted tests of whoosh_rank.weighted_sets, as tsquery texts."""
    flags: list[Flag] = []
    for n, word in enumerate(words):
        for tag, boost, prefixable in fields:
            if word.exact:  # a glossary term: an accent-kept match only
                exact = lexeme_query(tag, "a", word.accented)
                flags.append(Flag(n, exact, boost * (1 + ACCENT_BOOST)))
                continue
            folded = lexeme_query(tag, "f", word.folded)
            flags.append(Flag(n, folded, boost, lexeme_query(tag, "a", word.accented)))
            if word.prefix and prefixable:
                prefixed = lexeme_query(tag, "f", word.folded, prefix=True)
                flags.append(Flag(n, prefixed, boost * PREFIX_BOOST))
    return flags


def scored_matches(
    tables: Tables, slots: list[Slot], fields: Iterable[Field], mode: str, bind: Binds
) -> str:
    """CTEs ending in `m`: the documents matching the slots ("and": every slot, "or": any)
    with their relevance `score`.

    Every document with any of the words is read once through the GIN index and each test
    is evaluated once on it (a tsquery test costs about half a microsecond; a common word
    has thousands of candidates). The document frequencies and weights are computed once
    from those flags, the match condition and the score are arithmetic on them, and the
    accent-kept test runs only where its folded word matched. The number of documents comes from the
    counter in the meta table: counting rows would cost more than the rest of the query.
    """
    docs = tables.docs
    words = [w for slot in slots for w in slot.words]
    flags = flags_for(words, fields)
    tests = ", ".join(
        f"words @@ {bind(flag.query, 'tsquery')} AS b{i}" for i, flag in enumerate(flags)
    )
    exact = "".join(
        f", CASE WHEN b{i} THEN words @@ {bind(flag.exact, 'tsquery')} ELSE false END AS e{i}"
        for i, flag in enumerate(flags)
        if flag.exact
    )
    n = len(flags)
    per_word = [
        "(" + " OR ".join(f"b{i}" for i, f in enumerate(flags) if f.word == w) + ")"
        for w in range(len(words))
    ]
    per_slot: list[str] = []
    n_word = 0
    for slot in slots:
        readings = []
        for reading in slot.readings:
            readings.append("(" + " AND ".join(per_word[n_word : n_word + len(reading)]) + ")")
            n_word += len(reading)
        per_slot.append("(" + " OR ".join(readings) + ")")
    match = (" AND " if mode == "and" else " OR ").join(per_slot)
    weights = ", ".join(
        f"{float(flag.boost)!r} * ln(1 + t.n / greatest(count(*) FILTER (WHERE b{i}), 1)) AS w{i}"
        for i, flag in enumerate(flags)
    )
    terms = " + ".join(
        f"CASE WHEN b{i} THEN w{i}"
        + (f" * (1 + CASE WHEN e{i} THEN {float(ACCENT_BOOST)!r} ELSE 0 END)" if flag.exact else "")
        + " ELSE 0 END"
        for i, flag in enumerate(flags)
    )
    columns = (
        "id, province, category, stars, verified, trusted, nwords, created_us, price, "
        "always_available, months"
    )
    any_word = bind(" | ".join(f.query for f in flags), "tsquery")
    return (
        "total AS MATERIALIZED (SELECT greatest(coalesce((SELECT value::float8 FROM "
        f"{tables.meta} WHERE key = 'documents'), 0), 1) AS n), "
        f"r AS MATERIALIZED (SELECT {columns}, {', '.join(f'b{i}' for i in range(n))}{exact} "
        f"FROM (SELECT {columns}, words, {tests} FROM {docs} WHERE words @@ {any_word} "
        "OFFSET 0) x), "
        f"w AS MATERIALIZED (SELECT {weights} FROM r, total t GROUP BY t.n), "
        f"m AS MATERIALIZED (SELECT {columns}, round(CAST({terms} AS numeric), 6)::float8 "
        f"AS score FROM r, w WHERE {match})"
    )


def all_rows(docs: str) -> str:
    return (
        "m AS MATERIALIZED (SELECT d.id, d.province, d.category, d.stars, d.verified, "
        "d.trusted, d.nwords, d.created_us, d.price, d.always_available, d.months, "
        "0::float8 AS score "
        f"FROM {docs} d)"
    )


def _stars(values: Iterable[Any]) -> list[int]:
    """Star filter values as integers; anything else matches nothing (never an error)."""
    result: list[int] = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            continue
        if -32768 <= number <= 32767:
            result.append(number)
    return result


def _slugs(values: Iterable[Any]) -> list[str]:
    return [str(v).replace("\x00", "") for v in values]


def filters(q: SearchQuery, bind: Binds) -> dict[str, str]:
    """Facet field -> SQL condition over `m`, for the filters the query sets."""
    conditions: dict[str, str] = {}
    if q.provinces:
        conditions["province"] = f"province = ANY({bind(_slugs(q.provinces), 'text[]')})"
    if q.categories:
        conditions["category"] = f"category = ANY({bind(_slugs(q.categories), 'text[]')})"
    if q.stars:
        conditions["stars"] = f"stars = ANY({bind(_stars(q.stars), 'int[]')})"
    if q.verified is not None:
        conditions["verified"] = f"verified = {bind(bool(q.verified))}"
    if q.trusted is not None:
        conditions["trusted"] = f"trusted = {bind(bool(q.trusted))}"
    return conditions


def available_sql(q: SearchQuery, bind: Binds) -> str:
    """The "available in month m" condition over `m` (TRUE without one): in stock all
    year, or month m's bit in the harvest months. Not a facet: it narrows the total and
    every facet's counts, but not the text matches (the AND → OR fallback and the
    suggestion look at the words alone, as in Whoosh)."""
    month = q.available_month
    if month is None:
        return "TRUE"
    if not 1 <= int(month) <= 12:
        return "FALSE"
    return f"(always_available OR (months & {bind(1 << (int(month) - 1))}) <> 0)"


def _where(conditions: Iterable[str]) -> str:
    return " AND ".join(["TRUE", *conditions])


FACET_VALUES = {
    "province": "province",
    "category": "category",
    "stars": "stars::text",
    "verified": "CASE WHEN verified THEN 'true' ELSE 'false' END",
    "trusted": "CASE WHEN trusted THEN 'true' ELSE 'false' END",
}


def combinations_sql(conditions: dict[str, str], available: str = "TRUE") -> str:
    """Matches grouped by their facet values and by which filters they pass: a few hundred
    rows at most, from which one pass in Python gives the total and every facet's counts
    (instead of one scan of the matches per facet)."""
    values = [FACET_VALUES[f] for f in FACET_FIELDS]
    passes = [conditions.get(f, "TRUE") for f in FACET_FIELDS] + [available]
    columns = values + passes
    named = ", ".join(f"{sql} AS c{i}" for i, sql in enumerate(columns))
    positions = ", ".join(str(i + 1) for i in range(len(columns)))
    inner = f"SELECT {named}, count(*) AS n FROM m GROUP BY {positions}"
    row = ", ".join(f"c.c{i}" for i in range(len(columns)))
    return f"SELECT coalesce(json_agg(json_build_array({row}, c.n)), '[]'::json) FROM ({inner}) c"


@dataclass(frozen=True)
class Counts:
    matched: int
    total: int
    facets: dict[str, dict[str, int]]


def count_combinations(rows: list[list[Any]]) -> Counts:
    """Total and multi-select facet counts from combinations_sql rows (as JSON arrays)."""
    n_fields = len(FACET_FIELDS)
    matched = total = 0
    facets: dict[str, dict[str, int]] = {f: {} for f in FACET_FIELDS}
    for row in rows:
        values, passes, n = row[:n_fields], row[n_fields : 2 * n_fields], int(row[-1])
        matched += n
        if not row[2 * n_fields]:  # not available in the month asked: counts nowhere
            continue
        failed = [i for i, ok in enumerate(passes) if not ok]
        if not failed:
            total += n
        if len(failed) > 1:
            continue
        for i, field in enumerate(FACET_FIELDS):
            if (failed and failed[0] != i) or values[i] is None:
                continue
            counts = facets[field]
            key = str(values[i])
            counts[key] = counts.get(key, 0) + n
    return Counts(matched, total, facets)


def order_sql(sort: str, scored: bool, prefix: str = "") -> str:
    """ORDER BY terms for a sort; `scored` when there are words to rank by."""
    recency = RECENCY.format(p=prefix)
    if sort == "price_asc":
        return f"{prefix}price IS NULL, {prefix}price ASC, {recency}"
    if sort == "price_desc":
        return f"{prefix}price IS NULL, {prefix}price DESC, {recency}"
    ranked = RELEVANCE.format(p=prefix) if scored else recency
    if sort == "stars":
        return f"{prefix}stars DESC NULLS LAST, {ranked}"
    if sort == "relevance":
        return ranked
    return recency


@dataclass(frozen=True)
class PageRows:
    counts: Counts
    # [id, score, name, description] in page order
    hits: list[list[Any]]


def page_rows(
    conn: Connection,
    tables: Tables,
    q: SearchQuery,
    words: list[Slot],
    mode: str | None,
    sort: str,
    offset: int,
    limit: int,
) -> PageRows:
    """Run the one statement for a result page: documents with all the words (`mode`
    "and"), any of them ("or"), or every document (None: browsing)."""
    bind = Binds()
    docs = tables.docs
    scored = mode is not None
    head = all_rows(docs) if mode is None else scored_matches(tables, words, ALL_FIELDS, mode, bind)
    conditions = filters(q, bind)
    available = available_sql(q, bind)
    where = _where([*conditions.values(), available])
    sql = (
        f"WITH {head} SELECT "
        f"({combinations_sql(conditions, available)}) AS combinations, "
        "(SELECT coalesce(json_agg(json_build_array(p.id, p.score, d.name, d.description) "
        f"ORDER BY {order_sql(sort, scored, 'p.')}), '[]'::json) FROM "
        f"(SELECT * FROM m WHERE {where} ORDER BY {order_sql(sort, scored)} "
        f"LIMIT {bind(limit)} OFFSET {bind(offset)}) p JOIN {docs} d ON d.id = p.id) AS hits"
    )
    row = conn.execute(text(sql), bind.params).one()
    return PageRows(count_combinations(row.combinations), list(row.hits))


def autocomplete_names(
    conn: Connection, tables: Tables, words: list[Slot], limit: int
) -> list[str]:
    """Names of the best `limit` documents whose name has every word (the last as a
    prefix), ranked like search over the name field alone."""
    bind = Binds()
    head = scored_matches(tables, words, NAME_FIELDS, "and", bind)
    docs = tables.docs
    sql = (
        f"WITH {head} SELECT d.name FROM (SELECT * FROM m ORDER BY {order_sql('relevance', True)} "
        f"LIMIT {bind(limit)}) p JOIN {docs} d ON d.id = p.id "
        f"ORDER BY {order_sql('relevance', True, 'p.')}"
    )
    return list(conn.execute(text(sql), bind.params).scalars())


def words_found(conn: Connection, docs: str, queries: list[str]) -> list[bool]:
    """For each tsquery text, whether any document matches it."""
    if not queries:
        return []
    bind = Binds()
    cols = ", ".join(
        f"EXISTS (SELECT 1 FROM {docs} WHERE words @@ {bind(q, 'tsquery')})" for q in queries
    )
    return [bool(v) for v in conn.execute(text(f"SELECT {cols}"), bind.params).one()]


def field_frequencies(
    conn: Connection, docs: str, variant: str, terms: list[str]
) -> dict[str, int]:
    """For each word, in how many (document, field) pairs it occurs (Whoosh's doc_frequency
    summed over the text fields); `variant` "f" for folded words, "a" for accent-kept."""
    if not terms:
        return {}
    bind = Binds()
    cols = []
    for term in terms:
        per_field = [
            bind(lexeme_query(tag, variant, term), "tsquery") for tag, _b, _p in ALL_FIELDS
        ]
        sums = " + ".join(f"count(*) FILTER (WHERE words @@ {q})" for q in per_field)
        cols.append(f"(SELECT {sums} FROM {docs} WHERE words @@ ({' || '.join(per_field)}))")
    row = conn.execute(text("SELECT " + ", ".join(cols)), bind.params).one()
    return {term: int(n or 0) for term, n in zip(terms, row, strict=True)}
