"""The competency report package's layout: imports flow one way, modules and functions stay small.

The report is split by what it computes and what it draws (``ipt_widgets/instructor/report/``);
these tests keep it that way: computing modules never import reading or drawing ones, reading and
drawing never import each other, only the command sits on top, and no module imports in a circle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from ipt_widgets.instructor import report as rp

PACKAGE = Path(rp.__file__).parent
LAYERS = {
    "compute": {"model", "stats", "item_analysis", "tables", "advice", "risk"},
    "read": {"course", "gradebook", "parts"},
    "draw": {"formats", "csvs", "svg", "heatmap", "item_plot", "page"},
    "command": {"cli", "__main__", "__init__"},
}
MAY_IMPORT = {
    "compute": {"compute"},
    "read": {"compute", "read"},
    "draw": {"compute", "draw"},
    "command": {"compute", "read", "draw", "command"},
}
LAYER_OF = {module: layer for layer, modules in LAYERS.items() for module in modules}


def modules() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(PACKAGE.glob("*.py"))}


def own_imports(tree: ast.Module) -> set[str]:
    """The modules of this package that a module imports (``from .x import ...``), at any depth of the code."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith(rp.__name__):
            found.add(node.module[len(rp.__name__) :].lstrip(".").split(".")[0] or "__init__")
    return found


def test_every_module_has_a_layer():
    assert set(modules()) == set(LAYER_OF), "place a new module of the report in LAYERS"


def test_imports_flow_one_way():
    for name, tree in modules().items():
        for target in own_imports(tree):
            assert LAYER_OF[target] in MAY_IMPORT[LAYER_OF[name]], f"{name} ({LAYER_OF[name]}) imports {target}"


def test_no_module_imports_in_a_circle():
    graph = {name: own_imports(tree) - {"__init__"} for name, tree in modules().items()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import circle: " + " -> ".join([*path, name])
        if name not in done:
            for target in graph[name]:
                visit(target, (*path, name))
            done.add(name)

    for name in graph:
        visit(name, ())


def test_modules_and_functions_stay_small():
    for name, tree in modules().items():
        lines = len((PACKAGE / f"{name}.py").read_text(encoding="utf-8").splitlines())
        assert lines < 500, f"{name}.py has {lines} lines"
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                assert length < 60, f"{name}.{node.name} has {length} lines"


@pytest.mark.parametrize("name", rp.__all__)
def test_the_package_re_exports_what_callers_use(name):
    assert getattr(rp, name) is not None


def test_importing_the_report_loads_neither_nbgrader_nor_the_database():
    # The command imports them only when it reads a gradebook, so `--help` and the unit tests stay fast.
    code = f"import sys, {rp.__name__}; print(sorted(m for m in ('nbgrader', 'sqlalchemy') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"
