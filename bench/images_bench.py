"""Image pipeline benchmark: one 12-megapixel phone photo through store_image().

    .venv/bin/python -m bench.images_bench              # JPEG, PNG and WebP, 7 runs each
    .venv/bin/python -m bench.images_bench --runs 11    # more runs
    .venv/bin/python -m bench.images_bench --profile    # also cProfile the JPEG case
    .venv/bin/python -m bench.images_bench --out /tmp/images-bench.md

The inputs are drawn with Pillow (no files in the repository): a 4000×3000 "photo" made of
smooth gradients, soft-edged shapes and sensor-like noise, so it compresses like a real photo
(a few MB at JPEG quality 90) rather than like a flat test card, and it carries an EXIF
orientation tag (6: turn 90° clockwise), as a phone's portrait shot does. The same pixels are
also saved as PNG and as WebP.

Every measured run is a fresh child process (fresh uploads directory, so no variant is
skipped as already stored) that imports the pipeline, reads the file, then calls
store_image() once. Reported per format, over the runs after one warm-up run:
  * wall time (median, min–max) and CPU time (median) of store_image() inside the child:
    decode, hash, three WebP variants, writes; not the interpreter start-up. CPU time is
    the steadier figure on a shared machine;
  * peak RSS: the child's own high-water mark (VmHWM; the largest over the runs), which
    includes the interpreter and the imported app (Flask, SQLAlchemy: the pipeline runs
    inside an app worker), beside the RSS just before the call: the difference is the
    pipeline's share. ru_maxrss from os.wait4 is not used for the table because Linux
    carries the parent's peak into it;
  * tracemalloc peak during the call, in one extra child (tracing slows it).
The inputs are drawn in a child process too, so this process stays small.
Targets (issue 4): ≤ 0.6 s and ≤ 150 MB peak for the 12 MP JPEG on 2 cores.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

WIDTH, HEIGHT = 4000, 3000
TARGET_S = 0.6
TARGET_MB = 150.0
ROOT = Path(__file__).resolve().parent.parent
INPUT_NAMES = {"JPEG": "photo-12mp.jpg", "PNG": "photo-12mp.png", "WEBP": "photo-12mp.webp"}


# -- the input ------------------------------------------------------------------------------


def photo(width: int = WIDTH, height: int = HEIGHT, seed: int = 12) -> Image.Image:
    """A photographic-looking RGB image: lighting gradients, soft shapes, texture, noise."""
    rng = random.Random(seed)
    # Smooth light: three gradients in different directions, one per channel.
    horizontal = Image.linear_gradient("L").rotate(90).resize((width, height))
    vertical = Image.linear_gradient("L").resize((width, height))
    radial = Image.radial_gradient("L").resize((width, height))
    image = Image.merge("RGB", (horizontal, vertical, ImageChops.invert(radial)))
    # Objects: many overlapping shapes in varied colours, blurred like out-of-focus scenery.
    shapes = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(shapes)
    for _ in range(260):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(10, 420)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r // 2), fill=colour)
        else:
            points = [(x + rng.randrange(-r, r), y + rng.randrange(-r, r)) for _ in range(5)]
            draw.polygon(points, fill=colour)
    shapes = shapes.filter(ImageFilter.GaussianBlur(3))
    image = Image.blend(image, shapes, 0.5)
    # Fine texture (leaves, fabric) and sensor noise: what makes a photo expensive to code.
    texture = Image.effect_noise((width // 4, height // 4), 60).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    image = Image.blend(image, Image.merge("RGB", (texture,) * 3), 0.18)
    grain = [Image.effect_noise((width, height), 14) for _ in range(3)]
    return ImageChops.add(image, Image.merge("RGB", grain), scale=1.0, offset=-128)


def encode_inputs(directory: Path) -> dict[str, Path]:
    """The three inputs: JPEG q90 with EXIF orientation, PNG, WebP q90."""
    image = photo()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "Bench Phone"  # Make
    params = {
        "JPEG": {"quality": 90, "exif": exif.tobytes()},
        "PNG": {"compress_level": 6},
        "WEBP": {"quality": 90},
    }
    paths = {fmt: directory / name for fmt, name in INPUT_NAMES.items()}
    for fmt, path in paths.items():
        image.save(path, format=fmt, **params[fmt])
    return paths


# -- one measured run (in a child process) --------------------------------------------------


def _status_kb(field: str) -> int:
    """A line of /proc/self/status in KiB: VmRSS (now) or VmHWM (peak of this process)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def child(path: str, uploads: str, trace: bool) -> None:
    import tracemalloc

    from catalog.platform.images import store_image

    data = Path(path).read_bytes()
    baseline_kb = _status_kb("VmRSS")
    if trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    # The app's 10 MB upload cap would refuse a photographic 12 MP PNG; lifted here so its
    # processing cost can be measured (see the report).
    stored = store_image(data, Path(uploads), max_bytes=len(data) + 1)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    result = {
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "baseline_kb": baseline_kb,
        "hwm_kb": _status_kb("VmHWM"),
        "traced_bytes": traced,
        "size": [stored.width, stored.height],
    }
    print(json.dumps(result))


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float  # VmHWM: this child's own peak resident set
    rusage_peak_mb: float  # ru_maxrss from wait4 (Linux keeps the parent's if larger)
    baseline_mb: float
    traced_mb: float | None
    size: tuple[int, int]


def measure_once(path: Path, trace: bool = False) -> Run:
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as uploads:
        args = [sys.executable, "-m", "bench.images_bench", "--child", str(path), uploads]
        if trace:
            args.append("--trace")
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        out = proc.stdout.read() if proc.stdout else ""
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"child failed for {path.name} (exit {proc.returncode})")
        result = json.loads(out.strip().splitlines()[-1])
        return Run(
            seconds=result["seconds"],
            cpu_seconds=result["cpu_seconds"],
            peak_mb=result["hwm_kb"] / 1024,
            rusage_peak_mb=usage.ru_maxrss / 1024,  # KiB on Linux
            baseline_mb=result["baseline_kb"] / 1024,
            traced_mb=(result["traced_bytes"] / 2**20) if result["traced_bytes"] else None,
            size=tuple(result["size"]),
        )


@dataclass
class Result:
    fmt: str
    file_mb: float
    runs: list[Run]
    traced_mb: float

    @property
    def median_s(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def median_cpu_s(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def rusage_peak_mb(self) -> float:
        return max(r.rusage_peak_mb for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    @property
    def baseline_mb(self) -> float:
        return statistics.median(r.baseline_mb for r in self.runs)


def bench(path: Path, fmt: str, runs: int) -> Result:
    measure_once(path)  # warm-up: page cache, .pyc files
    measured = [measure_once(path) for _ in range(runs)]
    traced = measure_once(path, trace=True).traced_mb or 0.0
    return Result(fmt, path.stat().st_size / 2**20, measured, traced)


def profile(path: Path) -> str:
    from catalog.platform.images import store_image

    data = path.read_bytes()
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as uploads:
        profiler = cProfile.Profile()
        profiler.enable()
        store_image(data, Path(uploads), max_bytes=len(data) + 1)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(10)
    return out.getvalue()


# -- report ---------------------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from PIL import __version__ as pillow
    from PIL import features

    return (
        f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"Pillow {pillow} (libjpeg-turbo {features.version('jpg')}, "
        f"libwebp {features.version('webp')})"
    )


def table(results: list[Result]) -> str:
    lines = [
        "| input 4000×3000 | file | wall, median (min–max) | CPU, median | peak RSS "
        "| RSS before the call | pipeline's share | tracemalloc peak |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        times = [run.seconds for run in r.runs]
        lines.append(
            f"| {r.fmt} | {r.file_mb:.1f} MB | {r.median_s:.3f} s "
            f"({min(times):.3f}–{max(times):.3f}) | {r.median_cpu_s:.3f} s | "
            f"{r.peak_mb:.0f} MB | {r.baseline_mb:.0f} MB | "
            f"{r.peak_mb - r.baseline_mb:.0f} MB | {r.traced_mb:.0f} MB |"
        )
    return "\n".join(lines)


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def report(results: list[Result], runs: int, load_before: str) -> str:
    jpeg = results[0]
    met_time, met_memory = jpeg.median_s <= TARGET_S, jpeg.peak_mb <= TARGET_MB
    verdict = "met" if met_time and met_memory else "NOT met"
    return "\n".join(
        [
            f"Machine: {machine()}; load average {load_before} before, {load()} after.",
            "",
            f"Median of {runs} runs, each a fresh child process, after a warm-up run. Peak RSS "
            "is the child's own high-water mark (VmHWM, the largest over the runs) and "
            "includes Python with the app's imports (Flask, SQLAlchemy), as in a worker.",
            "",
            table(results),
            "",
            f"12 MP JPEG target (≤ {TARGET_S} s, ≤ {TARGET_MB:.0f} MB peak): {verdict} "
            f"({jpeg.median_s:.3f} s wall, {jpeg.median_cpu_s:.3f} s CPU, "
            f"{jpeg.peak_mb:.0f} MB).",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs per format (≥ 5)")
    parser.add_argument("--profile", action="store_true", help="cProfile the JPEG case")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "UPLOADS"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--make-inputs", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child, trace=args.trace)
        return
    if args.make_inputs:
        encode_inputs(Path(args.make_inputs))
        return
    runs = max(args.runs, 5)
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="bench-images-") as tmp:
        # Drawn in a child: Linux carries a parent's RSS peak into ru_maxrss of the
        # children it starts, so this process must stay small.
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bench.images_bench", "--make-inputs", tmp],
            cwd=ROOT,
            check=True,
        )
        print(f"inputs drawn in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        inputs = {fmt: Path(tmp) / name for fmt, name in INPUT_NAMES.items()}
        results = []
        for fmt, path in inputs.items():
            results.append(bench(path, fmt, runs))
            print(f"{fmt}: {results[-1].median_s:.3f} s", file=sys.stderr)
        text = report(results, runs, load_before)
        if args.profile:
            text += "\n\ncProfile of store_image() on the JPEG (internal time):\n\n```\n"
            text += profile(inputs["JPEG"]) + "```"
        print(text)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
