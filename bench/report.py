"""Markdown for the search benchmark: machine, side-by-side results, targets, profiles."""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import subprocess
import sys
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

W, F = "Whoosh", "FTS5"
# (description, size, check) — check(size result) -> (measured text, met?)
TARGET_P95_20K_MS = 25.0
TARGET_P95_100K_MS = 60.0
TARGET_RATIO_100K = 1.5
TARGET_VISIBLE_MS = 150.0
TARGET_REBUILD_100K_S = 120.0


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _read(path: str, key: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _run(*command: str) -> str:
    """Output of a read-only command run in the project root."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=root)
    return done.stdout.strip()


def _git() -> str:
    try:
        head = _run("git", "rev-parse", "--short", "HEAD")
        dirty = _run("git", "status", "--porcelain", "search_index")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes in search_index/" if dirty else "")


def source_digest() -> str:
    """A short hash of search_index/*.py as imported, to tell runs of different code apart."""
    import hashlib

    import search_index

    digest = hashlib.sha1()
    for path in sorted(Path(search_index.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, str]:
    mem = _read("/proc/meminfo", "MemTotal")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "CPU": _read("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": str(cores),
        "memory": f"{int(mem.split()[0]) / 1024**2:.0f} GB" if mem else "unknown",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": sys.version.split()[0],
        "Whoosh-Reloaded": _version("Whoosh-Reloaded"),
        "SQLite": sqlite3.sqlite_version,
        "commit": _git(),
    }


def _size(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _t(ms: float) -> str:
    return f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def _trio(values: list[float], ps: tuple[float, ...] = (50, 95, 99)) -> str:
    return " / ".join(_t(pct(values, p)) for p in ps) + " ms"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b > 0 else "—"


def _ratios(a: list[float], b: list[float], ps: tuple[float, ...] = (50, 95, 99)) -> str:
    return " / ".join(_ratio(pct(a, p), pct(b, p)) for p in ps)


def _ms(res: Any) -> list[float]:
    return [ms for _, ms in res.mixed]


def _rows(s: Any) -> list[tuple[str, str, str, str]]:
    w, f = s.engines[W], s.engines[F]
    rows = [
        ("index build", f"{w.build_s:.1f} s", f"{f.build_s:.1f} s", _ratio(w.build_s, f.build_s)),
        ("index on disk", f"{w.disk_bytes / 1e6:.1f} MB", f"{f.disk_bytes / 1e6:.1f} MB",
         _ratio(w.disk_bytes, f.disk_bytes)),
        ("first query after build", f"{_t(w.first_query_ms)} ms", f"{_t(f.first_query_ms)} ms",
         _ratio(w.first_query_ms, f.first_query_ms)),
        ("mixed p50 / p95 / p99", _trio(_ms(w)), _trio(_ms(f)), _ratios(_ms(w), _ms(f))),
        ("mixed queries/s", f"{len(w.mixed) / w.mixed_wall_s:.0f}",
         f"{len(f.mixed) / f.mixed_wall_s:.0f}",
         _ratio(len(w.mixed) / w.mixed_wall_s, len(f.mixed) / f.mixed_wall_s)),
        ("edit: commit p50 / p95", _trio(w.commit_ms, (50, 95)), _trio(f.commit_ms, (50, 95)),
         _ratios(w.commit_ms, f.commit_ms, (50, 95))),
        ("edit visible in search p50 / p95", _trio(w.visible_ms, (50, 95)),
         _trio(f.visible_ms, (50, 95)), _ratios(w.visible_ms, f.visible_ms, (50, 95))),
        ("next query after an edit p50 / p95", _trio(w.after_edit_ms, (50, 95)),
         _trio(f.after_edit_ms, (50, 95)), _ratios(w.after_edit_ms, f.after_edit_ms, (50, 95))),
        ("Zipf load, cold start: p50 / p95 / p99", _trio(w.zipf), _trio(f.zipf),
         _ratios(w.zipf, f.zipf)),
        ("Zipf load queries/s", f"{len(w.zipf) / w.zipf_wall_s:.0f}",
         f"{len(f.zipf) / f.zipf_wall_s:.0f}",
         _ratio(len(w.zipf) / w.zipf_wall_s, len(f.zipf) / f.zipf_wall_s)),
        ("autocomplete p50 / p95", _trio(w.autocomplete, (50, 95)),
         _trio(f.autocomplete, (50, 95)), _ratios(w.autocomplete, f.autocomplete, (50, 95))),
    ]  # fmt: skip
    if w.rebuild_s is not None:
        rows.append(("full rebuild() of a live index", f"{w.rebuild_s:.1f} s", "—", "—"))
    return rows


def _by_class(res: Any) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for cls, ms in res.mixed:
        out.setdefault(cls, []).append(ms)
    return out


def _targets(sizes: list[Any]) -> list[tuple[str, str, str]]:
    by_n = {s.n: s for s in sizes}
    out = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    if 20_000 in by_n:
        p95 = pct(_ms(by_n[20_000].engines[W]), 95)
        out.append((f"20k: mixed p95 ≤ {TARGET_P95_20K_MS:.0f} ms (with facets)", f"{_t(p95)} ms",
                    verdict(p95 <= TARGET_P95_20K_MS)))  # fmt: skip
    if 100_000 in by_n:
        s = by_n[100_000]
        p95, base = pct(_ms(s.engines[W]), 95), pct(_ms(s.engines[F]), 95)
        out.append((f"100k: mixed p95 ≤ {TARGET_P95_100K_MS:.0f} ms", f"{_t(p95)} ms",
                    verdict(p95 <= TARGET_P95_100K_MS)))  # fmt: skip
        out.append((f"100k: p95 ≤ {TARGET_RATIO_100K}× FTS5's p95 ({_t(base)} ms)",
                    _ratio(p95, base), verdict(p95 <= TARGET_RATIO_100K * base)))  # fmt: skip
        rebuild = s.engines[W].rebuild_s or s.engines[W].build_s
        out.append((f"100k: full rebuild ≤ {TARGET_REBUILD_100K_S:.0f} s", f"{rebuild:.0f} s",
                    verdict(rebuild <= TARGET_REBUILD_100K_S)))  # fmt: skip
    for s in sizes:
        p95 = pct(s.engines[W].visible_ms, 95)
        out.append((f"{_size(s.n)}: an edit visible in search ≤ {TARGET_VISIBLE_MS:.0f} ms p95",
                    f"{_t(p95)} ms", verdict(p95 <= TARGET_VISIBLE_MS)))  # fmt: skip
    return out


def render(sizes: list[Any], args: Any, started: datetime, info: dict[str, str]) -> str:
    lines = [f"# Search benchmark, {started:%Y-%m-%d %H:%M}", ""]
    lines += ["| machine | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in info.items()]
    nq = sizes[0].queries if sizes else 0
    lines += [
        "",
        f"Command: `python -m bench.search_bench --sizes {','.join(map(str, args.sizes))} "
        f"--rounds {args.rounds} --updates {args.updates} --zipf-draws {args.zipf_draws}`; "
        f"seed {args.seed}; {nq} mixed queries × {args.rounds} rounds after one warm-up pass, "
        "engines taking turns; 24 hits per page with highlights and four facet counts on every "
        "query. Latencies are single-threaded wall-clock times in this process.",
        "",
        "| products | measure | Whoosh | FTS5 | Whoosh / FTS5 |",
        "|---|---|---:|---:|---:|",
    ]
    for s in sizes:
        lines += [f"| {_size(s.n)} | {a} | {b} | {c} | {d} |" for a, b, c, d in _rows(s)]
    lines += ["", "## p50 / p95 by query class (warm)", ""]
    header = "| class | " + " | ".join(f"{_size(s.n)} Whoosh | {_size(s.n)} FTS5" for s in sizes)
    lines += [header + " |", "|---" + "|---:" * (2 * len(sizes)) + "|"]
    classes = list(_by_class(sizes[0].engines[W])) if sizes else []
    for cls in classes:
        cells = []
        for s in sizes:
            for name in (W, F):
                v = _by_class(s.engines[name])[cls]
                cells.append(f"{_t(pct(v, 50))} / {_t(pct(v, 95))}")
        lines.append(f"| {cls} ({len(v) // args.rounds}) | " + " | ".join(cells) + " |")
    lines += ["", "## Targets", "", "| target | measured | |", "|---|---:|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in _targets(sizes)]
    lines += [""]
    for s in sizes:
        lines.append(
            f"- {_size(s.n)}: both engines returned the same total for {s.totals_agree} of "
            f"{s.queries} queries; peak RSS of the process so far {s.rss_mb:.0f} MB."
        )
    for s in sizes:
        for title, text in s.profiles:
            lines += ["", f"## Profile at {_size(s.n)}: {title}", "", "```", text, "```"]
    return "\n".join(lines) + "\n"
