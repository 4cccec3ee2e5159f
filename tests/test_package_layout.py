"""The layout of the code: three products with dependencies that point one way, and no cycles.

- ``reparam``, the library, imports NumPy and the standard library only, and never the check
  harness (``reparam.testing``) or the chapters' support (``reparam_book``), except for the lazy,
  deprecated aliases of the old check names in ``reparam/__init__.py``;
- ``reparam.testing`` never imports ``reparam_book``;
- the book's tools (``scripts/``, ``_ext/``) never import the tests;
- no module imports itself through a chain of other modules (imports inside functions count).

The imports are read from the source with :mod:`ast`; nothing is executed.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("reparam", "reparam_book")
TOOL_FOLDERS = ("scripts", "_ext")
STDLIB = set(sys.stdlib_module_names) | {"__future__"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    """Every module of the packages, and the tools and tests as their own top-level names."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            found[_module_name(path)] = path
    for folder in (*TOOL_FOLDERS, "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path) -> list[tuple[str, bool]]:
    """(imported module, at module level) for every import statement of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from pkg import mod" imports pkg.mod when that is a module of the project
            out.append((base, id(node) in top_level))
            out += [(f"{base}.{alias.name}", id(node) in top_level) for alias in node.names]
    return out


SOURCES = _sources()
IMPORTS = {name: _imports(name, path) for name, path in SOURCES.items()}


def _project_edges() -> dict[str, set[str]]:
    edges = {}
    for name, imported in IMPORTS.items():
        if not name.startswith(PACKAGES):
            continue
        edges[name] = {target for target, _ in imported if target in SOURCES and target != name}
    return edges


def test_there_are_modules_to_check():
    assert "reparam.gumbel" in SOURCES and "reparam.testing.checks" in SOURCES
    assert "reparam_book.symbolic" in SOURCES


LIBRARY = sorted(n for n in SOURCES if (n == "reparam" or n.startswith("reparam.")) and "testing" not in n)


@pytest.mark.parametrize("name", LIBRARY)
def test_library_imports_numpy_and_itself_only(name):
    for target, at_module_level in IMPORTS[name]:
        top = target.split(".")[0]
        if top in STDLIB or top == "numpy":
            continue
        if target.startswith("reparam.testing") and name == "reparam" and not at_module_level:
            continue  # the lazy, deprecated aliases of the old check names
        assert top == "reparam" and not target.startswith("reparam.testing"), f"{name} imports {target}"


@pytest.mark.parametrize("name", sorted(n for n in SOURCES if n.startswith("reparam.testing")))
def test_harness_never_imports_chapter_support(name):
    for target, _ in IMPORTS[name]:
        assert not target.startswith("reparam_book"), f"{name} imports {target}"


@pytest.mark.parametrize("name", sorted(n for n in SOURCES if n.split(".")[0] in TOOL_FOLDERS))
def test_tools_never_import_tests(name):
    text = SOURCES[name].read_text(encoding="utf-8")
    for target, _ in IMPORTS[name]:
        assert target.split(".")[0] not in ("tests", "conftest", "booktest"), f"{name} imports {target}"
    assert '"tests"' not in text and "'tests'" not in text, f"{name} reaches into tests/"


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles():
    cycle = _cycle(_project_edges())
    assert cycle is None, " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None
