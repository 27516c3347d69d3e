"""Shared page checks: the W3C Nu HTML checker over rendered documents, and axe-core plus a
no-sideways-scroll check on a page open in Chromium. Missing tools fail loudly, never skip."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

TOOLS = Path(__file__).resolve().parent / "browser" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
SETUP_HINT = "run `make test` (npm ci --prefix tests/browser)"


def require(path: Path, how: str) -> Path:
    if not path.exists():
        raise RuntimeError(f"{path.name} is missing: {how}")
    return path


def html_problems(documents: dict[str, str], tmp_path: Path) -> list[str]:
    """Nu checker errors for each named HTML document, as "name.html:line: message"."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("Java is missing: the Nu HTML checker needs it (.ci/run installs it)")
    jar = require(VNU_JAR, SETUP_HINT)
    files = []
    for name, html in documents.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]


def axe_script() -> str:
    return require(AXE_JS, SETUP_HINT).read_text()


def page_problems(
    page: Any, name: str, axe: str, *, impacts: tuple[str, ...] | None = None
) -> list[str]:
    """axe-core violations (all, or only those of the given impacts) and sideways scrolling
    of the page currently open; also saves a full-page screenshot under tests/artifacts/."""
    page.add_script_tag(content=axe)
    result = page.evaluate("async () => await axe.run(document)")
    problems = [
        f"{name}: {v['id']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if impacts is None or v["impact"] in impacts
    ]
    width = page.viewport_size["width"]
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"{name}: scrolls sideways by {overflow}px at {width}px")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    return problems
