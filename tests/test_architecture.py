"""The package's shape, as docs/developing.md draws it: layers whose imports point down.

A module may import from its own layer or from layers below; the tree in the docs
lists every module, and every module is in the tree. Both are read from the source,
so the drawing and the code cannot drift apart unnoticed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import prodready

from .helpers import ROOT

PACKAGE = Path(prodready.__file__).parent
#: The layers, lowest first, by the first part of a module's name under prodready.
LAYERS: list[set[str]] = [
    {"core", "__init__"},
    {"errors", "results", "io"},
    {"data"},
    {"contracts", "cost"},
    {"drift", "template"},
    {"audit"},
    {"review"},
    {"cli"},
]
LAYER_OF = {name: level for level, names in enumerate(LAYERS) for name in names}


def _top(module: Path) -> str:
    parts = module.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imported_tops(path: Path) -> list[tuple[int, str]]:
    """(line, first part under prodready) of every relative or absolute import of prodready."""
    package_parts = path.relative_to(PACKAGE).parent.parts
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package_parts[: len(package_parts) - (node.level - 1)])
            target = base + (node.module.split(".") if node.module else [])
            if target:
                found.append((node.lineno, target[0]))
            else:  # "from .. import __version__": the package itself
                found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "prodready" and len(parts) > 1:
                    found.append((node.lineno, parts[1]))
    return found


def test_every_top_level_module_has_a_layer():
    tops = {_top(p) for p in PACKAGE.rglob("*.py") if "_template" not in p.parts}
    assert tops <= set(LAYER_OF), f"place {sorted(tops - set(LAYER_OF))} in LAYERS and in docs/developing.md"


def test_imports_point_down():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = LAYER_OF[_top(path)]
        for line, target in _imported_tops(path):
            if target == "__version__":
                continue
            if LAYER_OF.get(target, -1) > own:
                upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {target} (a higher layer)")
    assert not upward, upward


def _drawn_tree() -> set[str]:
    """The paths of the ``src/prodready/`` tree drawn in docs/developing.md."""
    text = (ROOT / "docs" / "developing.md").read_text(encoding="utf-8")
    block = re.search(r"```text\nsrc/prodready/\n(.*?)```", text, re.DOTALL)
    assert block, "docs/developing.md has no src/prodready/ tree"
    paths, stack = set(), []
    for line in block.group(1).splitlines():
        name = line.strip().split()[0]
        depth = (len(line) - len(line.lstrip())) // 2 - 1
        stack[depth:] = [name.rstrip("/")]
        paths.add("/".join(stack))
    return paths


def test_the_drawing_in_the_docs_matches_the_tree():
    drawn = _drawn_tree()
    actual = set()
    for path in PACKAGE.rglob("*"):
        relative = path.relative_to(PACKAGE)
        if {"__pycache__", "_template"} & set(relative.parts) or "jsonschemas" in relative.parts[:-1]:
            continue
        drawn_file = path.suffix in (".py", ".toml") and (path.name != "__init__.py" or relative.parts[0] == "cli")
        if path.is_dir() or drawn_file:
            actual.add(str(relative))
    actual.discard("__init__.py")
    assert drawn - actual == set(), f"the docs draw modules that do not exist: {sorted(drawn - actual)}"
    missing = {p for p in actual - drawn if not p.startswith("audit/checks/")}
    assert not missing, f"docs/developing.md does not draw {sorted(missing)}"
