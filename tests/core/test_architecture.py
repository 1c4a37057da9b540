"""The architecture, checked: the engine imports nothing outside itself, no module imports itself back.

The import graph is read from the source (every ``import`` that runs, at any depth, but not those
under ``if TYPE_CHECKING:``), module by module over the installed packages. An edge from a module to
a package that holds it is not a dependency (Python initialises parents first), as in import-linter.
"""

from __future__ import annotations

import ast
import importlib.util
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES: list[str] = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"]


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.submodule_search_locations, package
        folder = Path(next(iter(spec.submodule_search_locations)))
        for path in folder.glob("*.py"):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            found[name] = path
    return found


MODULES = _modules()


def _runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    out: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """Every module (of ours or not) that ``node`` imports, by full name."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    base = node.module or ""
    if node.level:
        package = module if MODULES[module].stem == "__init__" else module.rpartition(".")[0]
        parts = package.split(".")
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join([*parts, base] if base else parts)
    out = set()
    for alias in node.names:
        out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text("utf-8"))
        targets: set[str] = set()
        for node in _runtime_imports(tree):
            targets |= _targets(name, node)
        graph[name] = {t for t in targets if t != name and not name.startswith(t + ".")}
    return graph


GRAPH = _graph()


def _ours(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {m: {t for t in ts if t in MODULES} for m, ts in graph.items()}


def test_the_package_layout_is_what_pyproject_installs():
    assert {"cplkpi", "cplkpi.scoring", "cplkpi.udfs", "cplkpi.macros", "cplkpi.importers"} <= set(PACKAGES)
    assert MODULES["cplkpi.scoring.calendar"] == ROOT / "scoring" / "calendar.py"


def test_no_module_imports_itself_back():
    graph = _ours(GRAPH)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    assert cycles == []


@pytest.mark.parametrize("package", ["cplkpi.scoring"])
def test_the_engine_imports_nothing_outside_itself(package):
    outside = {
        (m, t) for m, ts in GRAPH.items() if m.startswith(package)
        for t in ts if (t.startswith("cplkpi") and not t.startswith(package)) or t.split(".")[0] in {"xlwings", "openpyxl", "python_calamine", "typer", "rich"}
    }
    assert outside == set()


@pytest.mark.parametrize(("package", "forbidden"), [
    ("cplkpi.udfs", ("cplkpi.macros", "cplkpi.cli", "cplkpi.importers")),
    ("cplkpi.importers", ("cplkpi.macros", "cplkpi.cli", "cplkpi.udfs")),
    ("cplkpi.macros", ("cplkpi.cli",)),
])
def test_a_layer_does_not_reach_up(package, forbidden):
    reach = {(m, t) for m, ts in _ours(GRAPH).items() if m.startswith(package) for t in ts if t.startswith(forbidden)}
    assert reach == set()


def test_no_module_borrows_another_modules_private_names():
    """A split leaves rooms with public doors: what one module uses of another has a public name."""
    borrowed = set()
    for name, path in MODULES.items():
        for node in _runtime_imports(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("cplkpi")):
                borrowed |= {(name, a.name) for a in node.names if a.name.startswith("_") and not a.name.startswith("__")}
    assert borrowed == set()
