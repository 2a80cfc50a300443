"""The package's shape: imports point down, no cycle, short functions where it matters.

The walker reads every ``import`` of every module under ``impacteval/`` with
:mod:`ast` — module level and inside functions alike, since a late import still
ties two modules together — and resolves relative imports to module names.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import impacteval

PKG = Path(impacteval.__file__).parent
MAX_LINES = 80  # lines of a function body, docstring excluded


def _module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Modules of ``impacteval`` that ``path`` imports (relative imports resolved)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("impacteval")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("impacteval"):
                continue
            out.add(mod)
            for a in node.names:  # "from . import texts" imports a module
                if (PKG.parent / (mod.replace(".", "/") + f"/{a.name}.py")).exists() or \
                        (PKG.parent / (mod.replace(".", "/") + f"/{a.name}")).is_dir():
                    out.add(f"{mod}.{a.name}")
    return out


def _graph() -> dict[str, set[str]]:
    mods = {_module_name(p): p for p in PKG.rglob("*.py")}
    return {m: {i for i in _imports(p) if i in mods and i != m} for m, p in mods.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def _without_init_edges(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Drop edges into a package's ``__init__`` from inside that package: Python runs the
    ``__init__`` first anyway, and re-exporting submodules there is not a cycle of
    meaning. The top-level ``impacteval`` re-exports everything and is left out."""
    out = {}
    for m, deps in graph.items():
        if m == "impacteval":
            continue
        out[m] = {d for d in deps if d != "impacteval" and not (m.startswith(d + ".")
                                                               and (PKG.parent / d.replace(".", "/")).is_dir())}
    return out


def test_the_walker_sees_imports():
    g = _graph()
    assert "impacteval.ladder.registry" in g["impacteval.ladder.rungs.did"]
    assert "impacteval.estimators.did" in g["impacteval.ladder.rungs.did"] or \
        "impacteval.estimators" in g["impacteval.ladder.rungs.did"]
    assert "impacteval.ladder.result" in g["impacteval.report"]


def test_no_import_cycle_in_impacteval():
    assert _cycles(_without_init_edges(_graph())) == []


@pytest.mark.parametrize(("lower", "higher"), [
    ("impacteval.estimators", "impacteval.ladder"),
    ("impacteval.estimators", "impacteval.report"),
    ("impacteval.estimators", "impacteval.cli"),
    ("impacteval.estimators", "impacteval.plots"),
    ("impacteval.ladder", "impacteval.report"),
    ("impacteval.ladder", "impacteval.plots"),
    ("impacteval.ladder", "impacteval.cli"),
    ("impacteval.results", "impacteval.ladder"),
    ("impacteval.texts", "impacteval.ladder"),
    ("impacteval.texts", "impacteval.report"),
])
def test_imports_point_down(lower, higher):
    g = _graph()
    up = sorted((m, d) for m, deps in g.items() if m == lower or m.startswith(lower + ".")
                for d in deps if d == higher or d.startswith(higher + "."))
    assert up == [], up


def _long_functions(paths: list[Path]) -> list[tuple[str, str, int]]:
    out = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = node.body[0]
                doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str)
                start = (first.end_lineno + 1) if doc and len(node.body) > 1 else first.lineno
                n = node.end_lineno - start + 1
                if n > MAX_LINES:
                    out.append((path.name, node.name, n))
    return out


def test_no_long_function_in_ladder_roles_and_report():
    paths = [*(PKG / "ladder").rglob("*.py"), PKG / "report.py", PKG / "roles.py"]
    assert _long_functions(paths) == []


def test_the_file_list_says_where_each_rung_is():
    from impacteval.ladder import DESIGNS

    rungs = {p.stem for p in (PKG / "ladder" / "rungs").glob("*.py")
             if not p.stem.startswith("_")}
    assert rungs == set(DESIGNS)
