"""Check a notebook: the items its cells use exist, and (assignments) its nbgrader cells are sound.

Nothing is executed: code cells are parsed with :mod:`ast`, and the hidden tests' references
are read as Python literals, so a reference's line is its line in the test cell.

For an assignment (cells with nbgrader metadata) the check covers: unique grade ids; points that
are positive numbers and match the ``points=`` of the call; ``ipt.competencies`` tags from
:data:`ipt_widgets.vocab.COMPETENCIES`; answer cells named ``<item>_answer``, each followed by
the test cell of the same item; each test cell's item present in the assignment's files; and
each hidden reference valid (the same checks as grading, without running anything).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

from ..risk import RISK_COMPETENCY
from ..schema import LineDict, LineList, suggestion
from ..vocab import COMPETENCIES
from .findings import Finding, error, warning
from .references import GRADERS, check_call
from .risk_tags import risk_decision_problem

LOADERS = {"load_cases": "cases", "load_casebook": "book", "load_draft_tasks": "drafts", "load_adherence": "adherence"}
SECTION_ATTRS = ("inventory", "timeline", "phq9", "transcripts")


def read_notebook(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict[str, Any]) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def cell_name(cell: dict[str, Any], index: int) -> str:
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"cell {grade_id!r}" if grade_id else f"cell {index + 1}"


def parse(text: str) -> ast.Module | None:
    # IPython magics and shell escapes are not Python; blank them out line by line.
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in text.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def literal(node: ast.AST) -> Any:
    """A Python literal from the AST, with dicts and lists remembering their lines."""
    if isinstance(node, ast.Dict):
        out = LineDict(line=node.lineno)
        for key_node, value_node in zip(node.keys, node.values):
            if key_node is None:
                raise ValueError("a '**' inside a reference cannot be checked")
            key = literal(key_node)
            out[key] = literal(value_node)
            out.key_lines[key] = key_node.lineno
        return out
    if isinstance(node, (ast.List, ast.Tuple)):
        return LineList([literal(e) for e in node.elts], line=node.lineno, item_lines=[e.lineno for e in node.elts])
    return ast.literal_eval(node)


def setup_files(nb: dict[str, Any], folder: Path) -> dict[str, tuple[str, Path]]:
    """Variable -> (kind, file) for ``x = load_cases("...")`` and the like anywhere in the notebook."""
    out = {}
    for cell in nb.get("cells", []):
        tree = parse(source(cell)) if cell.get("cell_type") == "code" else None
        for node in ast.walk(tree) if tree else ():
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id in LOADERS
                and node.value.args
                and isinstance(node.value.args[0], ast.Constant)
            ):
                out[node.targets[0].id] = (LOADERS[node.value.func.id], folder / str(node.value.args[0].value))
    return out


def item_uses(tree: ast.AST, files: dict[str, tuple[str, Path]]) -> list[tuple[str, str, Path, int]]:
    """(kind, item id, file, line) for every ``cases["id"]`` / ``book.transcripts["id"]`` in a cell."""
    uses = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Constant):
            continue
        base, section = node.value, None
        if isinstance(base, ast.Attribute) and base.attr in SECTION_ATTRS:
            base, section = base.value, base.attr
        if isinstance(base, ast.Name) and base.id in files:
            kind, path = files[base.id]
            kind = section if kind == "book" else kind
            if kind != "book":
                uses.append((kind, str(node.slice.value), path, node.lineno))
    return uses


def check_notebook(path: Path, ids_of) -> list[Finding]:
    """Findings for one notebook; ``ids_of(file) -> {kind: ids}`` gives the items of a case file."""
    try:
        nb = read_notebook(path)
    except (OSError, ValueError) as exc:
        return [error(f"{path}: is not a readable notebook ({exc})")]
    files = setup_files(nb, path.parent)
    findings: list[Finding] = [
        error(f"{path}: the set-up cell loads {file.name} ({var} = ...), which does not exist in {file.parent}")
        for var, (_kind, file) in files.items()
        if not file.exists()
    ]
    used: set[tuple[str, str]] = set()
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        tree = parse(source(cell))
        where = f"{path}: {cell_name(cell, index)}"
        if tree is None:
            findings.append(error(f"{where}: is not valid Python"))
            continue
        for kind, item_id, file, line in item_uses(tree, files):
            used.add((kind, item_id))
            known = ids_of(file).get(kind, set())
            if item_id not in known and file.exists():
                hint = suggestion(item_id, known)
                findings.append(error(f"{where}, line {line}: no {kind} item {item_id!r} in {file.name}{hint}"))
    if any("nbgrader" in c.get("metadata", {}) for c in nb.get("cells", [])):
        findings += check_assignment(path, nb, files, ids_of)
    else:
        findings += _unused_practice_items(path, files, used, ids_of)
    return findings


def _unused_practice_items(path: Path, files, used, ids_of) -> list[Finding]:
    out = []
    for _var, (kind, file) in sorted(files.items()):
        kinds = [kind] if kind != "book" else list(SECTION_ATTRS)
        for k in kinds:
            for item_id in sorted(ids_of(file).get(k, set())):
                if (k, item_id) not in used:
                    out.append(
                        warning(
                            f"{file}: {k} item {item_id!r} is not shown in {path.name}: add a cell that builds its "
                            "widget (docs/authoring/practice_items.md)"
                        )
                    )
    return out


def check_assignment(path: Path, nb: dict[str, Any], files, ids_of) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    pending_answer: tuple[str, set[str]] | None = None  # (answer cell name, item ids it builds)
    heading: str | None = None  # the number of the last "## Case N" heading
    for index, cell in enumerate(nb.get("cells", [])):
        meta = cell.get("metadata", {}).get("nbgrader")
        if cell.get("cell_type") == "markdown":
            found = re.search(r"^#+ Case (\d+)\b", source(cell), re.M)
            heading = found.group(1) if found else heading
        if not meta:
            continue
        titled = re.search(r"title=['\"]Case (\d+)\b", source(cell))
        if meta.get("grade") and titled and heading and titled.group(1) != heading:
            findings.append(
                error(
                    f"{path}: {cell_name(cell, index)}: its card says 'Case {titled.group(1)}' under the heading "
                    f"'Case {heading}'"
                )
            )
        grade_id = meta.get("grade_id")
        where = f"{path}: {cell_name(cell, index)}"
        if grade_id in seen:
            findings.append(error(f"{where}: grade id {grade_id!r} is used twice (first in cell {seen[grade_id]})"))
        seen.setdefault(grade_id, index + 1)
        if meta.get("grade"):
            findings += _grade_metadata(where, cell, meta)
        is_answer = meta.get("solution") and not meta.get("grade") and cell.get("cell_type") == "code"
        if is_answer:
            if pending_answer:
                findings.append(error(f"{path}: {pending_answer[0]}: answer cell has no test cell after it"))
            if not str(grade_id).endswith("_answer"):
                findings.append(error(f"{where}: an answer cell's grade id must end in '_answer' (<item>_answer)"))
            tree = parse(source(cell))
            items = {u[1] for u in item_uses(tree, files)} if tree else set()
            pending_answer = (cell_name(cell, index), items)
        elif meta.get("grade") and cell.get("cell_type") == "code":
            items = _test_cell(path, where, cell, meta, ids_of, findings)
            if pending_answer and pending_answer[1] and items and not (pending_answer[1] & items):
                findings.append(
                    error(
                        f"{where}: grades {', '.join(sorted(items))} but the answer cell before it "
                        f"({pending_answer[0]}) builds {', '.join(sorted(pending_answer[1]))}"
                    )
                )
            pending_answer = None
    if pending_answer:
        findings.append(error(f"{path}: {pending_answer[0]}: answer cell has no test cell after it"))
    return findings


def _grade_metadata(where: str, cell: dict[str, Any], meta: dict[str, Any]) -> list[Finding]:
    out = []
    points = meta.get("points")
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        out.append(error(f"{where}: metadata 'points' must be a positive number, got {points!r}"))
    tags = cell.get("metadata", {}).get("ipt", {}).get("competencies")
    if not isinstance(tags, list) or not tags:
        out.append(
            error(
                f"{where}: metadata 'ipt.competencies' must list the competencies the item evidences "
                f"({', '.join(COMPETENCIES)})"
            )
        )
        return out
    for tag in tags:
        if tag not in COMPETENCIES:
            hint = suggestion(tag, COMPETENCIES) or f"; expected one of {', '.join(COMPETENCIES)}"
            out.append(error(f"{where}: metadata 'ipt.competencies' has unknown competency {tag!r}{hint}"))
    problem = risk_decision_problem(source(cell), cell.get("cell_type", "")) if RISK_COMPETENCY in tags else ""
    if problem:
        out.append(error(f"{where}: tagged {RISK_COMPETENCY!r}, but {problem}: score a risk decision or drop the tag"))
    return out


def _test_cell(path: Path, where: str, cell, meta, ids_of, findings: list[Finding]) -> set[str]:
    """Check the calls of one test cell; returns the item ids it grades."""
    tree = parse(source(cell))
    if tree is None:
        return set()
    items: set[str] = set()
    graded = False
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        name = node.func.id
        if name not in GRADERS and name != "check_answered":
            continue
        if len(node.args) < 2 or not all(isinstance(a, ast.Constant) for a in node.args[:2]):
            findings.append(error(f"{where}, line {node.lineno}: {name} needs the notebook and the item id as text"))
            continue
        notebook, item_id = (str(a.value) for a in node.args[:2])
        items.add(item_id)
        if notebook != path.stem:
            findings.append(
                error(f"{where}, line {node.lineno}: {name} reads {notebook!r}, but the notebook is {path.stem!r}")
            )
        if name in GRADERS:
            graded = True
            findings += check_call(path, where, node, item_id, meta.get("points"), ids_of)
    if not graded:
        findings.append(error(f"{where}: a test cell must call one of {', '.join(GRADERS)} (hidden test)"))
    if len(items) > 1:
        findings.append(error(f"{where}: checks and grades different items ({', '.join(sorted(items))})"))
    return items
