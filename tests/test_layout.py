"""The package layout is the pipeline: each package imports only those below it, modules import
each other without cycles, and no stage knows how the build layer runs it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PORTAL = ROOT / "portal"
# Lower first. A package may import itself and any package before it, never one after it.
# `write` comes before `render`: the render steps emit into its `Outputs`.
LAYERS = ["diagnostics", "urls", "steps", "load", "content", "calendar", "derive", "write", "render", "build",
          "pipeline", "authoring", "serve", "cli"]
STAGES = {"load", "content", "calendar", "derive", "render", "write"}


def _modules() -> dict[str, Path]:
    return {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
            for path in PORTAL.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("portal"):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("portal")}
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {imported for imported in _imports(path) if imported in modules and imported not in (name, "portal")}
            for name, path in modules.items()}


def _layer(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_packages_import_only_lower_layers():
    wrong = sorted(f"{module} imports {imported}" for module, imports in _graph().items() for imported in imports
                   if LAYERS.index(_layer(imported)) > LAYERS.index(_layer(module)))
    assert wrong == []


def test_every_package_has_a_place_in_the_layers():
    assert {_layer(module) for module in _modules() if module != "portal"} <= set(LAYERS)


def test_modules_import_each_other_without_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_stage_branches_on_how_the_build_runs_it():
    """Reuse lives in portal/build/: a stage neither imports it nor speaks of memos or
    incremental runs (it hands its per-item work to `portal.steps.Steps`)."""
    offending = []
    for module, path in _modules().items():
        if _layer(module) not in STAGES:
            continue
        text = path.read_text(encoding="utf-8")
        if any(_layer(imported) == "build" for imported in _imports(path)):
            offending.append(f"{module} imports the build layer")
        if re.search(r"\b(memo|Memo|incremental)\b", text):
            offending.append(f"{module} mentions memo/incremental")
    assert offending == []


def test_the_readme_architecture_names_every_package():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    packages = sorted(path.parent.name for path in PORTAL.glob("*/__init__.py"))
    assert [package for package in packages if f"`portal/{package}/`" not in readme] == []
