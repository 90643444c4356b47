"""The package's import structure: no import cycle anywhere (imports inside functions
included), and no module imports a private name of another."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "src" / "wsiskg"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, str | None]]:
    """(imported module, imported name or None) for every import of a wsiskg module."""
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names if alias.name.startswith("wsiskg")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parent = base[: len(base) - node.level + 1]
                module = ".".join(parent + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("wsiskg"):
                continue
            for alias in node.names:
                if f"{module}.{alias.name}" in MODULES:
                    found.append((f"{module}.{alias.name}", None))
                else:
                    found.append((module, alias.name))
    return found


def test_no_import_cycle() -> None:
    """Verify that the wsiskg modules import each other without a cycle, counting the
    imports inside functions too."""
    edges = {
        name: sorted({m for m, _ in _imports(name, path) if m in MODULES and m != name})
        for name, path in MODULES.items()
    }
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in edges[node]:
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(MODULES):
        if name not in state:
            visit(name, [name])
    # a package's __init__ importing its own submodules, which import a sibling through
    # the package, is the one harmless form; there is none today either
    assert cycles == []


def test_no_private_import() -> None:
    """Verify that no module imports a private name (one starting with _) of another."""
    private = [
        (name, module, imported)
        for name, path in MODULES.items()
        for module, imported in _imports(name, path)
        if imported and imported.startswith("_") and not imported.endswith("__") and module != name
    ]
    assert private == []
