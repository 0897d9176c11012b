"""Check one hidden-test call (``grade_classification(...)`` and the like) without running it.

The reference is read from the cell's source as a Python literal, so an error names the line in
the test cell; it is then checked exactly as grading would check it, against the released case
file where the format depends on it (timeline events and weeks, PHQ-9 sessions, transcript turns).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from ..casebook import load_casebook
from ..itemset import Unavailable
from ..schema import suggestion
from .findings import Finding, error

# Hidden-test function -> the kind of item it grades (the key of ids_of's result).
GRADERS = {
    "grade_classification": "cases",
    "grade_inventory": "inventory",
    "grade_timeline": "timeline",
    "grade_phq9": "phq9",
    "grade_transcript": "transcripts",
    "grade_draft": "drafts",
    "grade_scenario": "scenarios",
}
KEYWORDS = ("notebook", "item_id", "reference", "points", "title", "case_file", "directory")


def check_call(path: Path, where: str, node: ast.Call, item_id: str, cell_points: Any, ids_of) -> list[Finding]:
    name = node.func.id  # type: ignore[attr-defined]
    kind = GRADERS[name]
    at_call = f"{where}, line {node.lineno}"
    kwargs = {k.arg: k.value for k in node.keywords if k.arg}
    args = dict(zip(("notebook", "item_id", "reference", "points"), node.args))
    args.update(kwargs)
    findings = [
        error(f"{at_call}: {name} has no argument {k!r}{suggestion(k, KEYWORDS)}") for k in kwargs if k not in KEYWORDS
    ]
    case_file = path.parent / _constant(args.get("case_file"), "cases.yaml")
    files = [p for p in sorted(path.parent.glob("*.yaml"))] if kind in ("cases", "drafts") else [case_file]
    if kind == "scenarios":
        files = [path.parent / "scenarios.yaml"]
    known = set().union(*(ids_of(f).get(kind, set()) for f in files)) if files else set()
    if item_id not in known:
        where_files = ", ".join(f.name for f in files) or "no case file"
        findings.append(
            error(
                f"{at_call}: no {kind} item {item_id!r} in {where_files}{suggestion(item_id, known)}; "
                "the released file must hold the case the trainee answers"
            )
        )
    findings += _points(at_call, args.get("points"), cell_points)
    if "reference" not in args:
        return findings + [error(f"{at_call}: {name} has no reference")]
    ref_node = args["reference"]
    ref_where = f"{where}, hidden test for {item_id!r}, reference"
    try:
        reference = _literal(ref_node)
    except ValueError as exc:
        return findings + [error(f"{where}, line {ref_node.lineno}: the reference cannot be read ({exc})")]
    if kind == "scenarios":
        return findings + _scenario_key(reference, ref_where, ref_node.lineno, files[0], item_id)
    try:
        _validate(kind, reference, ref_where, ref_node.lineno, case_file, item_id)
        if kind == "cases":
            holders = [f for f in files if item_id in ids_of(f).get(kind, set())]
            _check_asks_secondary(reference, ref_where, item_id, holders)
    except ValueError as exc:
        findings.append(error(str(exc)))
    return findings


def _check_asks_secondary(reference: Any, where: str, item_id: str, files: list[Path]) -> None:
    """A reference with a secondary area needs a released case that asks for one, and the reverse:
    otherwise the widget would not offer the choice being graded, or offer one never graded."""
    from ..cases import load_cases

    for path in files:
        case = load_cases(path).get(item_id)
        if case is None or isinstance(case, Unavailable):
            continue
        graded = isinstance(reference, dict) and "secondary" in reference
        if graded and not case.ask_secondary:
            raise ValueError(
                f"{where}: field 'secondary' is graded, but {path.name} does not ask for it; "
                "add 'ask_secondary: true' to the case"
            )
        if case.ask_secondary and not graded:
            raise ValueError(
                f"{where}: {path.name} asks for a secondary area ('ask_secondary: true') but the reference "
                "has no field 'secondary'"
            )


def _constant(node: Any, default: str) -> str:
    return str(node.value) if isinstance(node, ast.Constant) else default


def _literal(node: ast.AST) -> Any:
    from .notebooks import literal

    try:
        return literal(node)
    except (ValueError, SyntaxError, TypeError) as exc:
        raise ValueError(f"write it as a literal dict or text, not code: {exc}") from None


def _points(at_call: str, node: Any, cell_points: Any) -> list[Finding]:
    if node is None:
        return [error(f"{at_call}: field 'points' is missing; give the cell's points (points={cell_points!r})")]
    try:
        points = ast.literal_eval(node)
    except ValueError:
        return [error(f"{at_call}: field 'points' must be a number written out, not code")]
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        return [error(f"{at_call}: field 'points' must be a positive number, got {points!r}")]
    if isinstance(cell_points, (int, float)) and points != cell_points:
        return [error(f"{at_call}: field 'points' is {points!r} but the cell's nbgrader points are {cell_points!r}")]
    return []


def _validate(kind: str, reference: Any, where: str, line: int, case_file: Path, item_id: str) -> None:
    from ..cases import ClassificationReference
    from ..scoring.inventory import InventoryReference
    from ..scoring.phq9 import PHQ9Reference
    from ..scoring.timeline import TimelineReference
    from ..scoring.transcript import TranscriptReference

    if kind == "drafts":
        _validate_draft(reference, where, line)
    elif kind == "cases":
        ClassificationReference.from_mapping(reference, where)
    elif kind == "inventory":
        InventoryReference.from_mapping(reference, where)
    else:
        case = getattr(load_casebook(case_file), kind)[item_id]
        if isinstance(case, Unavailable):
            return  # reported with its case file
        if kind == "timeline":
            TimelineReference.from_mapping(reference, where, list(case.events), case.weeks)
        elif kind == "phq9":
            ref = PHQ9Reference.from_mapping(reference, where)
            if len(ref.sessions) != len(case.labels):
                raise ValueError(f"{where}: field 'sessions' has {len(ref.sessions)}, the case {len(case.labels)}")
            _same_scores(ref.sessions, case.answers, where, case_file)
        else:
            ref = TranscriptReference.from_mapping(reference, where)
            if len(ref.turns) != len(case.therapist_turns):
                raise ValueError(
                    f"{where}: field 'turns' codes {len(ref.turns)} therapist turns, but {case_file.name} has "
                    f"{len(case.therapist_turns)} for {item_id!r}"
                )


def _same_scores(sessions: Any, answers: Any, where: str, case_file: Path) -> None:
    """The reference's item scores must be the case's answers scored: the risk decisions and the
    trainee's item scores are both judged against them."""
    from ..vocab import PHQ9_FREQUENCIES

    for index, (scores, phrases) in enumerate(zip(sessions, answers), start=1):
        if list(scores) != [PHQ9_FREQUENCIES[p] for p in phrases]:
            raise ValueError(
                f"{where}: field 'sessions', session {index}: the scores {list(scores)} differ from the answers "
                f"in {case_file.name}"
            )


def _scenario_key(reference: Any, where: str, line: int, play_file: Path, item_id: str) -> list[Finding]:
    from .scenarios import check_key

    try:
        return check_key(reference, where, play_file, item_id)
    except ValueError as exc:
        text = re.sub(r", line (\d+)", lambda m: f", line {line} (line {m.group(1)} of the YAML text)", str(exc))
        return [error(text)]


def _validate_draft(reference: Any, where: str, line: int) -> None:
    from ..formulations import FormulationReference, parse_reference

    if not isinstance(reference, str):
        FormulationReference.from_mapping(reference, where)
        return
    try:
        parse_reference(reference, where)
    except ValueError as exc:
        # Lines inside the YAML text count from the line the text starts on in the cell.
        raise ValueError(
            re.sub(r", line (\d+)", lambda m: f", line {line} (line {m.group(1)} of the YAML text)", str(exc))
        ) from None
