"""Every graded item tagged ``risk_assessment`` scores a risk decision (issue 14): a PHQ-9 item's
reference gives the action each administration calls for; a transcript item's has at least one
turn keyed ``missed_risk``; no other kind of item may carry the tag. The competency report reads
the risk column only from those parts (``ipt_widgets.risk.RISK_PARTS``)."""

import ast

import nbformat
import pytest
from ipt_widgets.check.notebooks import literal
from ipt_widgets.risk import RISK_COMPETENCY, TRANSCRIPT_RISK_PART

from tests.conftest import REPO


def grading_call(source):
    """(function name, reference) of the hidden test's grading call, or (None, None)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.startswith("grade_"):
            args = dict(zip(("notebook", "item_id", "reference", "points"), node.args))
            args.update({k.arg: k.value for k in node.keywords if k.arg})
            return node.func.id, literal(args["reference"]) if "reference" in args else None
    return None, None


def risk_decision_problem(source):
    """Why a cell tagged risk_assessment does not score a risk decision, or '' when it does."""
    name, reference = grading_call(source)
    if name == "grade_phq9":
        return "" if reference.get("risk") else "its PHQ-9 reference has no 'risk' (the action per session)"
    if name == "grade_transcript":
        keyed = [t for t in reference.get("turns", []) if t.get("technique") == TRANSCRIPT_RISK_PART]
        return "" if keyed else f"its transcript reference has no turn keyed {TRANSCRIPT_RISK_PART!r}"
    return f"{name or 'a manually graded answer'} scores no risk decision"


def tagged_cells():
    for path in sorted((REPO / "solutions").glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if cell.metadata.get("nbgrader", {}).get("grade"):
                yield f"{path.parent.name}/{grade_id}", cell


@pytest.mark.parametrize(
    ("item", "cell"),
    [c for c in tagged_cells() if RISK_COMPETENCY in c[1].metadata.get("ipt", {}).get("competencies", [])],
)
def test_every_item_tagged_risk_assessment_scores_a_risk_decision(item, cell):
    problem = risk_decision_problem(cell.source) if cell.cell_type == "code" else "a written answer"
    assert not problem, f"{item} is tagged {RISK_COMPETENCY} but {problem}: score a risk decision or drop the tag"


@pytest.mark.parametrize(("item", "cell"), [c for c in tagged_cells() if "grade_phq9(" in c[1].source])
def test_every_graded_phq9_item_has_the_risk_part_and_the_tag(item, cell):
    assert RISK_COMPETENCY in cell.metadata.get("ipt", {}).get("competencies", []), item
    assert not risk_decision_problem(cell.source), item


def test_the_graded_cases_cover_plan_no_plan_and_a_falling_total_with_a_rising_item_9():
    actions, falls_while_item9_rises = set(), False
    for _, cell in tagged_cells():
        name, reference = grading_call(cell.source) if "grade_phq9(" in cell.source else (None, None)
        if name != "grade_phq9":
            continue
        risk = [r if isinstance(r, str) else r["action"] for r in reference["risk"]]
        actions |= set(risk)
        totals = [sum(s) for s in reference["sessions"]]
        item9 = [s[8] for s in reference["sessions"]]
        falls_while_item9_rises |= any(
            totals[i + 1] < totals[i] and item9[i + 1] > item9[i] for i in range(len(totals) - 1)
        )
    assert {"monitor", "ask_and_plan", "urgent"} <= actions
    assert falls_while_item9_rises


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("grade_phq9('n', 'x', reference={'sessions': []}, points=5)", "no 'risk'"),
        ("grade_transcript('n', 'x', reference={'turns': [{'technique': 'clarification'}]}, points=5)", "missed_risk"),
        ("grade_classification('n', 'x', reference={'area': 'grief'}, points=2)", "grade_classification scores no"),
        ("grade_transcript('n', 'x', reference={'turns': [{'technique': 'missed_risk'}]}, points=5)", ""),
    ],
)
def test_the_rule_itself(source, problem):
    found = risk_decision_problem(source)
    assert (problem in found) if problem else found == ""
