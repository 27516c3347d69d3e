"""`make bench-load`: the public site under gunicorn against a bare Flask endpoint.

Builds a throwaway instance (migrations, the demo catalogue, 20k generated products from
bench/synthetic.py, a fresh search index), serves it with the production gunicorn.conf.py on
loopback, and serves bench/hello_app.py the same way. wrk (bench/load_urls.lua) then drives
each scenario for a fixed time with a fixed random seed: a mixed browse/search/product load,
product pages only, search pages only, and the hello endpoint. Requests/s are reported as a
ratio to the hello endpoint measured in the same round, because the absolute figures depend
on the machine and on whatever else runs on it; the ratio mostly does not.

    .venv/bin/python -m bench.load_bench                  # 20k products, 2 rounds of 30 s
    .venv/bin/python -m bench.load_bench --products 2000 --duration 5 --rounds 1   # quick

Writes bench/out/load.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "load_urls.lua"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
BUILT_MARK = "load-bench-built.json"
# Mixed load: share of requests per page kind (home, listings, search, product, producer).
MIX = {"home": 8, "browse": 22, "search": 35, "product": 25, "producer": 10}
TARGET_RATIO = 0.40
TARGET_P95_MS = 150.0


# --- the instance ---------------------------------------------------------------------------


def build_instance(instance: Path, products: int, seed: int) -> dict[str, Any]:
    """Migrate, seed the demo catalogue, add `products` generated ones, rebuild the index."""
    os.environ["CHOVIET_INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from catalog import create_app
    from catalog.demo import demo
    from catalog.extensions import db
    from catalog.platform import search_sync

    app = create_app()
    timings: dict[str, float] = {}
    with app.app_context():
        t0 = time.perf_counter()
        upgrade()
        demo.seed_demo()
        search_sync.apply_pending()
        timings["demo_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        added = add_generated_products(products, seed)
        timings["generate_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        indexed = search_sync.rebuild()
        timings["index_s"] = time.perf_counter() - t0
        paths = url_sets(seed)
        db.session.remove()
        db.engine.dispose()
    info = {"generated": added, "indexed": indexed, "timings": timings, "paths": paths}
    (instance / BUILT_MARK).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    return info


def add_generated_products(n: int, seed: int) -> int:
    """Insert `n` published products (and their producers) from the synthetic catalogue.

    Bulk inserts through the models (the ORM's executemany path), in one write transaction;
    the search index is rebuilt afterwards, so no outbox rows are needed.
    """
    from sqlalchemy import insert, select

    from bench.synthetic import catalogue
    from catalog.database import write_transaction
    from catalog.extensions import db
    from catalog.models import Category, Producer, Product, Province
    from catalog.platform.vietnamese import normalize_key, slugify

    province_ids = dict(db.session.execute(select(Province.slug, Province.id)).all())
    category_ids = dict(db.session.execute(select(Category.slug, Category.id)).all())
    rng = random.Random(seed)
    producer_rows: dict[tuple[str, str], dict[str, Any]] = {}
    product_rows: list[dict[str, Any]] = []
    seen: set[tuple[tuple[str, str], str]] = set()
    # Names repeat within a producer now and then; draw a few more and keep the first n.
    for doc in catalogue(int(n * 1.3) + 100, seed=seed):
        if len(product_rows) == n:
            break
        producer_key = (doc.producer_name, doc.province_slug)
        name_key = normalize_key(doc.name)
        if (producer_key, name_key) in seen:
            continue
        seen.add((producer_key, name_key))
        if producer_key not in producer_rows:
            number = len(producer_rows) + 1
            producer_rows[producer_key] = {
                "slug": f"{slugify(doc.producer_name)}-tb{number}",
                "name": doc.producer_name,
                "name_key": normalize_key(doc.producer_name),
                "province_id": province_ids[doc.province_slug],
                "status": "active",
                "verified": doc.verified,
                "source": "import",
                "description": f"Cơ sở sản xuất {doc.producer_name}.",
            }
        stars = doc.ocop_stars
        created = doc.created_at.replace(tzinfo=UTC)
        product_rows.append(
            {
                "producer_key": producer_key,
                "slug": f"{slugify(doc.name)}-tb{doc.id}",
                "name": doc.name,
                "name_key": name_key,
                "category_id": category_ids[doc.category_slug],
                "province_id": province_ids[doc.province_slug],
                "description": doc.description,
                "price_vnd": doc.price_vnd,
                "unit": "sản phẩm" if doc.price_vnd else None,
                "status": "published",
                "ocop_stars": stars,
                "certificate_year": rng.choice((2023, 2024, 2025)) if stars else None,
                "source": "import",
                "created_at": created,
                "updated_at": created,
                "published_at": created,
            }
        )
    with write_transaction():
        db.session.execute(insert(Producer), list(producer_rows.values()))
    slug_ids = dict(
        db.session.execute(
            select(Producer.slug, Producer.id).where(Producer.slug.like("%-tb%"))
        ).all()
    )
    db.session.commit()
    for row in product_rows:
        row["producer_id"] = slug_ids[producer_rows[row.pop("producer_key")]["slug"]]
    with write_transaction():
        for start in range(0, len(product_rows), 2000):
            db.session.execute(insert(Product), product_rows[start : start + 2000])
    return len(product_rows)


def url_sets(seed: int) -> dict[str, list[str]]:
    """The paths each page kind draws from, taken from the built database."""
    from sqlalchemy import func, select

    from bench.synthetic import TWO, queries
    from catalog.extensions import db
    from catalog.models import Category, Producer, Product, Province
    from search_index.text import fold

    rng = random.Random(seed)
    public = (
        select(Product.slug)
        .join(Product.producer)
        .where(Product.status == "published", Producer.status == "active")
    )
    products = list(db.session.scalars(public.order_by(func.random()).limit(400)))
    producers = list(
        db.session.scalars(
            select(Producer.slug)
            .where(
                Producer.status == "active", Producer.products.any(Product.status == "published")
            )
            .order_by(func.random())
            .limit(150)
        )
    )
    provinces = list(db.session.scalars(select(Province.slug)))
    categories = list(db.session.scalars(select(Category.slug)))
    browse = ["/san-pham", "/san-pham?page=2", "/san-pham?sap-xep=stars"]
    browse += [f"/tinh/{slug}" for slug in provinces]
    browse += [f"/tinh/{slug}?page=2" for slug in rng.sample(provinces, 8)]
    browse += [f"/nhom/{slug}" for slug in categories]
    browse += [f"/nhom/{slug}?page=2" for slug in categories]
    texts = sorted({q.text for _, q in queries() if q.text})
    search: list[str] = []
    for text in texts:
        search.append("/tim-kiem?" + urlencode({"q": text}))  # as typed: mostly accented
        search.append("/tim-kiem?" + urlencode({"q": fold(text)}))  # accent-free
    for text in rng.sample(TWO, 20):
        params = {"q": fold(text), "tinh": rng.choice(provinces), "sao": rng.choice("345")}
        search.append("/tim-kiem?" + urlencode(params))
        search.append("/tim-kiem?" + urlencode({"q": text, "sap-xep": "stars", "page": 2}))
    return {
        "home": ["/"],
        "browse": browse,
        "search": search,
        "product": [f"/san-pham/{slug}" for slug in products],
        "producer": [f"/co-so/{slug}" for slug in producers],
    }


def mixed_paths(paths: dict[str, list[str]], seed: int, size: int = 4000) -> list[str]:
    """A list whose page kinds follow MIX; wrk draws uniformly from it."""
    rng = random.Random(seed)
    kinds = list(MIX)
    drawn = rng.choices(kinds, [MIX[k] for k in kinds], k=size)
    return [rng.choice(paths[kind]) for kind in drawn]


# --- serving --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app_uri: str, env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Serve `app_uri` with gunicorn.conf.py on a free loopback port; yields the base URL."""
    port = free_port()
    env = {**env, "CHOVIET_BIND": f"127.0.0.1:{port}"}
    with log_path.open("ab") as log:
        cmd = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), app_uri]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base, proc, log_path)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_ready(base: str, proc: subprocess.Popen, log_path: Path, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited ({proc.returncode}); see {log_path}")
        for path in ("/healthz", "/"):
            try:
                with urllib.request.urlopen(base + path, timeout=5) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within {timeout_s:.0f} s; see {log_path}")


def gunicorn_settings(env: dict[str, str]) -> dict[str, Any]:
    """Workers and threads as gunicorn.conf.py computes them under `env`."""
    code = (
        "import json, runpy; c = runpy.run_path('gunicorn.conf.py'); "
        "print(json.dumps({k: c[k] for k in ('workers', 'threads', 'worker_class', 'keepalive')}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


# --- load -----------------------------------------------------------------------------------


def run_wrk(
    base: str, paths_file: Path, args: argparse.Namespace, duration_s: float
) -> dict[str, Any]:
    cmd = [
        args.wrk,
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{max(1, round(duration_s))}s",
        "--timeout",
        "5s",
        "-s",
        str(LUA),
        base,
        "--",
        str(paths_file),
        str(args.seed),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("LOADBENCH_JSON "):
            raw = json.loads(line.split(" ", 1)[1])
            break
    else:
        raise SystemExit(f"wrk gave no summary:\n{out.stdout}\n{out.stderr}")
    seconds = raw["duration_us"] / 1e6
    errors = raw["non2xx"] + raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "error_detail": {
            "non2xx": raw["non2xx"],
            "statuses": raw["statuses"],
            "socket": {k: raw[k] for k in ("connect", "read", "write", "timeout")},
        },
        "kb_per_request": round(raw["bytes"] / max(raw["requests"], 1) / 1024, 1),
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def scenario(name: str, base: str, paths_file: Path, args: argparse.Namespace) -> dict[str, Any]:
    if args.warmup > 0:
        run_wrk(base, paths_file, args, args.warmup)
    before = load_average()
    result = run_wrk(base, paths_file, args, args.duration)
    result.update({"scenario": name, "load_before": before, "load_after": load_average()})
    print(
        f"  {name:<9} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:6.1f}  "
        f"p95 {result['p95_ms']:6.1f}  p99 {result['p99_ms']:6.1f} ms  errors {result['errors']}"
        f"  (load {before[0]:.1f})",
        flush=True,
    )
    return result


# --- report ---------------------------------------------------------------------------------


def summarise(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Per scenario: the median over rounds of requests/s, latencies and the ratio to hello
    measured in the same round; errors are summed."""
    out: dict[str, Any] = {}
    for name in rounds[0]:
        rows = [r[name] for r in rounds]
        ratios = [r[name]["rps"] / r["hello"]["rps"] for r in rounds]
        out[name] = {
            "rps": round(statistics.median(x["rps"] for x in rows), 1),
            "ratio": round(statistics.median(ratios), 3),
            "ratios": [round(x, 3) for x in ratios],
            "p50_ms": round(statistics.median(x["p50_ms"] for x in rows), 1),
            "p95_ms": round(statistics.median(x["p95_ms"] for x in rows), 1),
            "p99_ms": round(statistics.median(x["p99_ms"] for x in rows), 1),
            "p95_ms_worst": round(max(x["p95_ms"] for x in rows), 1),
            "errors": sum(x["errors"] for x in rows),
        }
    for name in ("product", "search", "mixed"):
        if name in out:
            row = out[name]
            row["meets_ratio"] = row["ratio"] >= TARGET_RATIO
            row["meets_p95"] = row["p95_ms_worst"] <= TARGET_P95_MS
            row["meets_errors"] = row["errors"] == 0
    return out


def print_table(summary: dict[str, Any]) -> None:
    print()
    print("| scenario | req/s | ratio to hello | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, row in summary.items():
        print(
            f"| {name} | {row['rps']:.1f} | {row['ratio']:.0%} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']} |"
        )
    print(
        f"\nTargets: product and search pages >= {TARGET_RATIO:.0%} of hello, "
        f"p95 <= {TARGET_P95_MS:.0f} ms, no errors."
    )


def git_commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return out.stdout.strip() + (" (uncommitted changes)" if dirty else "")


def count_log_problems(log_path: Path) -> int:
    text = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    return sum(1 for line in text.splitlines() if "Traceback" in line or " ERROR " in line)


# --- main -----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=20000, help="generated products")
    parser.add_argument("--duration", type=float, default=30, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=5, help="untimed seconds before each")
    parser.add_argument("--rounds", type=int, default=2, help="how many times to run them all")
    parser.add_argument("--connections", type=int, default=20, help="concurrent users")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    parser.add_argument(
        "--instance",
        type=Path,
        help="build into (or reuse, if built before) this directory and keep it",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not Path(args.wrk).exists():
        raise SystemExit("wrk is missing: `apt-get install wrk` (Debian package), or use --wrk")
    started = datetime.now(UTC)
    keep = args.instance is not None
    instance = args.instance or Path(tempfile.mkdtemp(prefix="choviet-load-"))
    instance = instance.resolve()
    instance.mkdir(parents=True, exist_ok=True)
    try:
        marker = instance / BUILT_MARK
        if marker.exists():
            info = json.loads(marker.read_text(encoding="utf-8"))
            print(f"Reusing {instance} ({info['generated']} generated products)", flush=True)
        else:
            print(f"Building {instance}: demo + {args.products} products ...", flush=True)
            info = build_instance(instance, args.products, seed=20250701)
            print(f"  built: {json.dumps(info['timings'])}", flush=True)
        paths = info["paths"]
        files = {
            "mixed": mixed_paths(paths, args.seed),
            "product": paths["product"],
            "search": paths["search"],
            "hello": ["/"],
        }
        for name, lines in files.items():
            (instance / f"paths-{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        env = {
            **os.environ,
            "CHOVIET_INSTANCE_PATH": str(instance),
            "CHOVIET_SECRET_KEY": secrets.token_hex(32),
            # Production refuses to start without a public address; nothing here prints one.
            "CHOVIET_SITE_URL": os.environ.get("CHOVIET_SITE_URL", "https://choviet.example.vn"),
        }
        settings = gunicorn_settings(env)
        log_path = instance / "gunicorn.log"
        log_path.write_bytes(b"")
        rounds: list[dict[str, dict[str, Any]]] = []
        with (
            gunicorn("bench.hello_app:app", env, instance / "hello.log") as hello_base,
            gunicorn("app:app", env, log_path) as site_base,
        ):
            for number in range(1, args.rounds + 1):
                print(f"Round {number}/{args.rounds}, load {load_average()}", flush=True)
                this: dict[str, dict[str, Any]] = {}
                this["hello"] = scenario("hello", hello_base, instance / "paths-hello.txt", args)
                for name in ("mixed", "product", "search"):
                    this[name] = scenario(name, site_base, instance / f"paths-{name}.txt", args)
                rounds.append(this)
        summary = summarise(rounds)
        print_table(summary)
        report = {
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": git_commit(),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "gunicorn": settings,
            "wrk": {
                "connections": args.connections,
                "threads": args.wrk_threads,
                "duration_s": args.duration,
                "warmup_s": args.warmup,
                "seed": args.seed,
            },
            "catalogue": {
                "generated": info["generated"],
                "indexed": info["indexed"],
                "build_timings_s": info["timings"],
                "paths": {k: len(v) for k, v in paths.items()},
                "mix": MIX,
            },
            "targets": {"ratio": TARGET_RATIO, "p95_ms": TARGET_P95_MS, "errors": 0},
            "summary": summary,
            "rounds": rounds,
            "server_log_problems": count_log_problems(log_path),
        }
        args.out.mkdir(parents=True, exist_ok=True)
        out_file = args.out / "load.json"
        out_file.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"\nWrote {out_file}; server log problems: {report['server_log_problems']}")
        failed = [
            name
            for name in ("product", "search")
            if not all(v for k, v in summary[name].items() if k.startswith("meets_"))
        ]
        if failed:
            print("Targets missed for: " + ", ".join(failed))
        return 0
    finally:
        if not keep:
            shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
