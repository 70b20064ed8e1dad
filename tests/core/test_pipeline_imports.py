"""The row pipeline's modules import in one direction: no cycle runs through any of them.

Imports are read from the source (inside functions too, where a lazy import
hides a cycle from Python but not from a reader), so a module can be
understood from the ones below it alone. Imports under `if TYPE_CHECKING:`
name types for annotations only and are left out: they run in no program.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bizops

SRC = Path(bizops.__file__).parent
#: values and money at the bottom, then requests and encoder, writers, stream; cases on top.
PIPELINE = (
    "bizops.core.money",
    "bizops.core.values",
    "bizops.core.generated",
    "bizops.core.requests",
    "bizops.core.encoder",
    "bizops.core.display",
    "bizops.core.writers",
    "bizops.core.outcomes",
    "bizops.core.stream",
    "bizops.core.policy",
    "bizops.core.cases",
)


def modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in list(ast.walk(tree)):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {module for module in found if module in known and module != name}


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                other = stack.pop()
                component.add(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_runs_through_the_row_pipeline():
    known = modules()
    graph = {name: imports(name, path, known) for name, path in known.items()}
    ours = {name for name in known if name.startswith(PIPELINE)}
    assert [sorted(c) for c in cycles(graph) if c & ours] == []


def test_values_know_nothing_of_requests():
    known = modules()
    assert "bizops.core.requests" not in imports("bizops.core.values", known["bizops.core.values"], known)
