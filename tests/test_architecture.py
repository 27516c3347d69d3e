"""The shape of the house (README, "Architecture"), checked on every run: small modules, no
import cycles, no reaching into another module's private names, search_index independent
of the catalogue, and views that only register on the audience blueprints."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT_LIMIT = 400
TEST_LIMIT = 500


def _modules(top: str) -> Iterator[Path]:
    for path in sorted((ROOT / top).rglob("*.py")):
        if "migrations" in path.parts or "node_modules" in path.parts:
            continue
        yield path


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _module_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports that run when the module loads: top level, or inside functions (a deferred
    import still closes a cycle); not under `if TYPE_CHECKING:`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node


def _graph() -> dict[str, set[str]]:
    known = {_name(p): p for top in ("catalog", "search_index") for p in _modules(top)}
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for node in _module_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif node.module:
                # `from package import module` depends on that module (Python loads the
                # package first, but needs nothing from its __init__); other names on the
                # module they come from.
                targets = [
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
                    for a in node.names
                ]
            for target in targets:
                if target in known and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_product_modules_stay_under_400_lines_and_test_modules_under_500():
    product = [p for top in ("catalog", "search_index") for p in _modules(top)]
    tests = list(_modules("tests"))
    assert len(product) > 100 and len(tests) > 50  # the walk found the tree
    too_long = [
        f"{p.relative_to(ROOT)}: {_line_count(p)}"
        for p in product
        if _line_count(p) > PRODUCT_LIMIT
    ] + [f"{p.relative_to(ROOT)}: {_line_count(p)}" for p in tests if _line_count(p) > TEST_LIMIT]
    assert too_long == []


def test_no_import_cycles_between_modules():
    graph = _graph()
    assert sum(len(targets) for targets in graph.values()) > 300  # imports were read
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_another_modules_private_names():
    """A leading underscore means "this module's own": another module needing it gets a
    public name. A package's private module (models/_common.py) serves its package only."""
    offences = []
    for top in ("catalog", "search_index", "bench"):
        for path in _modules(top):
            package = _name(path).rsplit(".", 1)[0]
            for node in _module_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom) or not node.module:
                    continue
                owner, _, leaf = node.module.rpartition(".")
                if leaf.startswith("_") and not leaf.startswith("__") and owner != package:
                    offences.append(f"{path.relative_to(ROOT)}: {node.module}")
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        offences.append(f"{path.relative_to(ROOT)}: {node.module}.{alias.name}")
    assert offences == []


@pytest.mark.parametrize("forbidden", ["catalog", "flask"])
def test_search_index_imports_neither_the_catalogue_nor_flask(forbidden):
    imported = set()
    for path in _modules("search_index"):
        for node in _module_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            imported.update(name.split(".")[0] for name in names)
    assert "whoosh" in imported  # the walk read the imports
    assert forbidden not in imported


def test_blueprints_module_imports_no_views():
    source = (ROOT / "catalog" / "web" / "blueprints.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    modules = [
        node.module
        for node in _module_level_imports(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    ]
    assert "catalog.extensions" in modules
    assert not [m for m in modules if "views" in m]
