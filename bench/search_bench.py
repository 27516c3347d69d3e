"""Search benchmark: our Whoosh backend against a tuned SQLite FTS5 baseline, same run.

    .venv/bin/python -m bench.search_bench                  # 10k, 20k, 100k products
    .venv/bin/python -m bench.search_bench --sizes 10000,20000
    .venv/bin/python -m bench.search_bench --quick          # 2k smoke run

For every size: index build time and size on disk; latency of a fixed mixed query set (every
query computes facet counts and highlights, as the site does) after a warm-up, in rounds in
which the engines take turns; how long one product's edit takes to become visible to a search
(through a second instance, as from another process), and the next ordinary query after it;
a Zipf-skewed load on a freshly opened instance (cold caches: what caching buys); autocomplete;
Whoosh's full rebuild(). The slowest Whoosh query class of the largest size is profiled.
Results are printed and written to bench/out/search-<date>.md (git-ignored).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import resource
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import report, synthetic
from bench.engines import Fts5, Whoosh
from search_index import ProductDoc, SearchQuery

DEFAULT_SIZES = (10_000, 20_000, 100_000)
PROFILE_BUILD_DOCS = 5000
ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
Query = tuple[str, SearchQuery]


@dataclass
class EngineResult:
    build_s: float = 0.0
    disk_bytes: int = 0
    first_query_ms: float = 0.0
    mixed: list[tuple[str, float]] = field(default_factory=list)  # (class, ms)
    mixed_wall_s: float = 0.0
    autocomplete: list[float] = field(default_factory=list)
    commit_ms: list[float] = field(default_factory=list)
    visible_ms: list[float] = field(default_factory=list)
    after_edit_ms: list[float] = field(default_factory=list)
    zipf: list[float] = field(default_factory=list)
    zipf_wall_s: float = 0.0
    rebuild_s: float | None = None


@dataclass
class SizeResult:
    n: int
    engines: dict[str, EngineResult]
    totals_agree: int = 0
    queries: int = 0
    rss_mb: float = 0.0
    profiles: list[tuple[str, str]] = field(default_factory=list)


def _ms(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def disk_usage(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run_mixed(engine: Any, queries: list[Query], res: EngineResult) -> None:
    t0 = time.perf_counter()
    for cls, q in queries:
        ms, _ = _ms(lambda q=q: engine.search(q))
        res.mixed.append((cls, ms))
    res.mixed_wall_s += time.perf_counter() - t0


def run_updates(
    engine: Any,
    docs: list[ProductDoc],
    queries: list[Query],
    count: int,
    res: EngineResult,
    salt: str = "a",
) -> None:
    """Edit one product's name, then search for the new word until the product is found."""
    rng = random.Random(salt)
    for i in range(count):
        doc = docs[rng.randrange(len(docs))]
        token = f"capnhat{salt}{i}x"
        new = replace(doc, name=f"{doc.name} {token}")
        probe = SearchQuery(text=token)
        t0 = time.perf_counter()
        engine.update(new)
        t1 = time.perf_counter()
        while new.id not in engine.search(probe)[1]:
            if time.perf_counter() - t0 > 30:
                raise RuntimeError(f"{engine.name}: edit of {new.id} not visible after 30 s")
            time.sleep(0.001)
        t2 = time.perf_counter()
        res.commit_ms.append((t1 - t0) * 1000)
        res.visible_ms.append((t2 - t0) * 1000)
        q = queries[(i * 37) % len(queries)][1]
        res.after_edit_ms.append(_ms(lambda q=q: engine.search(q))[0])


def run_zipf(engine: Any, queries: list[Query], draws: list[int], res: EngineResult) -> None:
    engine.reopen()  # cold in-process caches, as a freshly started worker
    t0 = time.perf_counter()
    for i in draws:
        q = queries[i][1]
        res.zipf.append(_ms(lambda q=q: engine.search(q))[0])
    res.zipf_wall_s = time.perf_counter() - t0


def _table(stats: pstats.Stats, out: io.StringIO, sort: str, *restrictions: Any) -> str:
    out.seek(0)
    out.truncate()
    stats.sort_stats(sort).print_stats(*restrictions)
    text = out.getvalue()
    for prefix in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"], ROOT):
        text = text.replace(f"{prefix}/", "")
    return text[text.index("   ncalls") :].rstrip() if "   ncalls" in text else text


def profile(fn: Callable[[], Any], limit: int = 18) -> str:
    """Top functions by own time, then this project's search_index functions by cumulative
    time (which of them the time is spent under)."""
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    own = _table(stats, out, "tottime", limit)
    ours = _table(stats, out, "cumulative", "search_index/", limit)
    return f"By own time:\n{own}\n\nsearch_index functions by cumulative time:\n{ours}"


def run_size(n: int, args: argparse.Namespace, tmp: Path, log: Callable[[str], None]) -> SizeResult:
    docs = synthetic.catalogue(n, args.seed)
    queries = synthetic.queries()
    prefixes = synthetic.autocomplete_prefixes()
    whoosh, fts = Whoosh(tmp / "whoosh"), Fts5(tmp)
    engines = (whoosh, fts)
    results = {e.name: EngineResult() for e in engines}
    for e in engines:
        gc.collect()
        log(f"{n}: building {e.name}")
        results[e.name].build_s = _ms(lambda e=e: e.build(docs))[0] / 1000
        results[e.name].first_query_ms = _ms(lambda e=e: e.search(queries[0][1]))[0]
    results[whoosh.name].disk_bytes = disk_usage(tmp / "whoosh")
    results[fts.name].disk_bytes = disk_usage(tmp) - results[whoosh.name].disk_bytes
    agree = sum(whoosh.search(q)[0] == fts.search(q)[0] for _, q in queries)  # also a warm-up
    for e in engines:
        for _, q in queries:
            e.search(q)
    log(f"{n}: {args.rounds} rounds of {len(queries)} queries")
    for r in range(args.rounds):
        for e in engines if r % 2 == 0 else engines[::-1]:
            run_mixed(e, queries, results[e.name])
            for p in prefixes:
                results[e.name].autocomplete.append(_ms(lambda e=e, p=p: e.autocomplete(p))[0])
    log(f"{n}: {args.updates} edits each")
    for e in engines:
        run_updates(e, docs, queries, args.updates, results[e.name])
    draws = synthetic.zipf_draws(len(queries), args.zipf_draws)
    for e in engines:
        run_zipf(e, queries, draws, results[e.name])
    size = SizeResult(n, results, agree, len(queries))
    if args.profile and n == max(args.sizes):
        log(f"{n}: profiling")
        size.profiles = profile_whoosh(whoosh, docs, queries, results[whoosh.name])
    if not args.no_rebuild:
        log(f"{n}: Whoosh rebuild()")
        gc.collect()
        results[whoosh.name].rebuild_s = _ms(lambda: whoosh.build(docs))[0] / 1000
    size.rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for e in engines:
        e.close()
    return size


def profile_whoosh(
    whoosh: Whoosh, docs: list[ProductDoc], queries: list[Query], res: EngineResult
) -> list[tuple[str, str]]:
    """cProfile of the slowest warm query class, of edits, of cold (Zipf) queries and of a
    small rebuild."""
    by_class: dict[str, list[float]] = {}
    for cls, ms in res.mixed:
        by_class.setdefault(cls, []).append(ms)
    slowest = max(by_class, key=lambda c: report.pct(by_class[c], 95))
    chosen = [q for cls, q in queries if cls == slowest]
    for q in chosen:
        whoosh.search(q)
    out = [(f"slowest class, warm: '{slowest}' ({len(chosen)} queries × 3)",
            profile(lambda: [whoosh.search(q) for _ in range(3) for q in chosen]))]  # fmt: skip
    edits = EngineResult()
    out.append(("10 edits, each until visible, then one mixed query",
                profile(lambda: run_updates(whoosh, docs, queries, 10, edits, "p"))))  # fmt: skip
    cold = EngineResult()
    draws = synthetic.zipf_draws(len(queries), 300)
    out.append(("Zipf load on a freshly opened instance (300 draws)",
                profile(lambda: run_zipf(whoosh, queries, draws, cold))))  # fmt: skip
    sample = docs[:PROFILE_BUILD_DOCS]
    with tempfile.TemporaryDirectory(prefix="bench-search-profile-") as tmp:
        fresh = Whoosh(Path(tmp))
        out.append((f"rebuild() of the first {len(sample)} products",
                    profile(lambda: fresh.build(sample))))  # fmt: skip
        fresh.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--quick", action="store_true", help="one 2k catalogue, 1 round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--updates", type=int, default=50)
    parser.add_argument("--zipf-draws", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20250701)
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the second rebuild")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.quick:
        args.sizes, args.rounds, args.updates, args.zipf_draws = [2000], 1, 10, 200

    def log(msg: str) -> None:
        print(f"[{datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)

    started = datetime.now()
    load_before = os.getloadavg()
    info = report.machine()  # the code version at start (the modules are imported by now)
    info["search_index sources (sha1)"] = report.source_digest()
    sizes = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
            sizes.append(run_size(n, args, Path(tmp), log))
        gc.collect()
    info["load average (1 min) at start / end"] = f"{load_before[0]:.2f} / {os.getloadavg()[0]:.2f}"
    info["run time"] = f"{(datetime.now() - started).total_seconds() / 60:.0f} min"
    markdown = report.render(sizes, args, started, info)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"search-{started:%Y-%m-%d}.md"
    path.write_text(markdown, encoding="utf-8")
    print(markdown)
    log(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
