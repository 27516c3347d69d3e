"""Whoosh internals on Whoosh only: lazy creation of nested directories, the merge policy
for small commits, our fast indexing, posting writer and segment readers against Whoosh's
own, and generation directories swapped by a rebuild."""

from __future__ import annotations

from search_index import SearchQuery, get_backend
from search_index.whoosh_backend import WhooshBackend
from tests.search_index.support import (
    doc,
    generations,
    ids,
    nfd,
    segment_sizes,
    whoosh_fresh_fixture,  # noqa: F401 (a fixture)
)


def test_whoosh_lazy_creation_in_nested_directory(tmp_path):
    path = tmp_path / "nested" / "search"
    b = get_backend({"backend": "whoosh", "path": str(path)})
    assert b.search(SearchQuery(text="vai")).total == 0
    assert b.search(SearchQuery()).facets["province"] == ()
    assert b.indexed_ids() == set()
    assert (path / "CURRENT").exists()


def test_single_edits_merge_only_small_segments(whoosh_fresh):
    """Edits commit without Whoosh's default merging (slow every few commits): small
    segments are merged in tiers, the rebuild's big segment is never rewritten, and the
    number of segments stays bounded."""
    from search_index.whoosh_writer import MERGE_FANOUT

    fresh = whoosh_fresh

    fresh.rebuild(doc(i, f"Gạo tám {i}") for i in range(1, 61))
    [(big, size)] = segment_sizes(fresh)
    assert size == 60
    for n in range(80):
        pid = 1 + (n * 7) % 60
        fresh.index([doc(pid, f"Gạo tám {pid} sửa{n}")])
        assert ids(fresh, f"sua{n}") == [pid]
        sizes = segment_sizes(fresh)
        assert sizes[0] == (big, 60)
        assert len(sizes) <= 1 + 3 * (MERGE_FANOUT - 1)
    assert fresh.search(SearchQuery(text="gao tam")).total == 60
    assert fresh.indexed_ids() == set(range(1, 61))
    other = WhooshBackend(str(fresh.path))
    assert other.search(SearchQuery(text="gao tam")).total == 60
    other.close()


def test_fast_text_indexing_matches_whoosh_pipeline():
    """WordsText.index skips Whoosh's token pipeline; it must give the same postings."""
    from whoosh import fields

    from search_index.whoosh_schema import TEXT_FIELDS, make_schema

    schema = make_schema()
    samples = ["Vải thiều Lục Ngạn, hoà thuỷ kỹ-thuật Hoà", nfd("Cà phê ĐẮK LẮK 2024 ủ"), "", "(("]
    for accented, folded, _boost in TEXT_FIELDS:
        for name in (accented, folded):
            field = schema[name]
            for text in samples:
                assert sorted(field.index(text)) == sorted(fields.TEXT.index(field, text))


def test_bulk_posting_writer_matches_whoosh_writer(tmp_path):
    """PoolWriter (our posting pool, block-wise posting writer, no length statistics)
    writes the same postings as Whoosh's own writer, including lists longer than a block."""
    from whoosh import index

    from search_index.whoosh_schema import doc_fields, make_schema
    from search_index.whoosh_writer import PoolWriter

    docs = [doc(i, f"Gạo {'tám' if i % 3 else 'nàng hương'} {i}") for i in range(1, 301)]
    postings = []
    for name, make in (("ours", PoolWriter), ("whoosh", None)):
        (tmp_path / name).mkdir()
        ix = index.create_in(str(tmp_path / name), make_schema())
        writer = make(ix) if make else ix.writer()
        for d in docs:
            writer.add_document(**doc_fields(d))
        writer.commit()
        with ix.reader() as reader:
            postings.append(
                {
                    (field, text): list(reader.postings(field, text).all_ids())
                    for field, text in reader.all_terms()
                }
            )
    assert postings[0] == postings[1]
    assert len(postings[0][("name_f", b"gao")]) == 300


def test_fast_segment_readers_agree_with_whoosh(whoosh_fresh):
    """whoosh_segments reads columns and postings through Whoosh internals; compare with
    the public API on an index with several segments and deletions."""
    from whoosh import index

    from search_index.whoosh_segments import read_column, read_postings

    fresh = whoosh_fresh

    for i in range(1, 8):
        fresh.index([doc(i * 10 + n, f"Vải thiều {n}", price=None if n else i) for n in range(3)])
    fresh.remove([11, 42, 70])
    generation = (fresh.path / "CURRENT").read_text().strip()
    reader = index.open_dir(str(fresh.path / generation)).reader()
    try:
        leaves = list(reader.leaf_readers())
        assert len(leaves) > 1 and reader.has_deletions()
        for leaf, _offset in leaves:
            deleted = set(leaf.deleted_docs_set)
            for column in ("pid", "price_n", "created_n", "stars_n"):
                assert read_column(leaf, column) == list(leaf.column_reader(column)), column
            for field, term in [("name_f", "vai"), ("name", "thiều"), ("province", "ha-noi")]:
                public = set(leaf.postings(field, term).all_ids())
                assert set(read_postings(leaf, field, term)) - deleted == public
            assert read_postings(leaf, "name_f", "khong-co") == frozenset()
    finally:
        reader.close()


def test_rebuild_swaps_in_a_new_directory(tmp_path):
    path = tmp_path / "search"
    writer, reader = WhooshBackend(str(path)), WhooshBackend(str(path))
    writer.index([doc(1, "Vải thiều"), doc(2, "Nhãn lồng")])
    before = generations(path)
    writer.rebuild(iter([doc(2, "Nhãn lồng"), doc(3, "Bưởi Diễn")]))
    after = generations(path)
    assert len(after) == 1 and not (after & before)  # old generation deleted
    assert (path / "CURRENT").read_text().strip() == after.pop()
    assert reader.indexed_ids() == {2, 3}
    writer.close()
    reader.close()
