"""Every graded item tagged ``risk_assessment`` scores a risk decision (issue 14): a PHQ-9 item's
reference gives the action each administration calls for; a transcript item's has at least one
turn keyed ``missed_risk``; no other kind of item may carry the tag. The competency report reads
the risk column only from those parts (``ipt_widgets.risk.RISK_PARTS``)."""

import nbformat
import pytest
from ipt_widgets.check.risk_tags import grading_call, risk_decision_problem
from ipt_widgets.risk import RISK_COMPETENCY

from tests.conftest import REPO


def graded_cells():
    for path in sorted((REPO / "solutions").glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if cell.metadata.get("nbgrader", {}).get("grade"):
                yield f"{path.parent.name}/{grade_id}", cell


@pytest.mark.parametrize(
    ("item", "cell"),
    [c for c in graded_cells() if RISK_COMPETENCY in c[1].metadata.get("ipt", {}).get("competencies", [])],
)
def test_every_item_tagged_risk_assessment_scores_a_risk_decision(item, cell):
    problem = risk_decision_problem(cell.source, cell.cell_type)
    assert not problem, f"{item} is tagged {RISK_COMPETENCY} but {problem}: score a risk decision or drop the tag"


@pytest.mark.parametrize(("item", "cell"), [c for c in graded_cells() if "grade_phq9(" in c[1].source])
def test_every_graded_phq9_item_has_the_risk_part_and_the_tag(item, cell):
    assert RISK_COMPETENCY in cell.metadata.get("ipt", {}).get("competencies", []), item
    assert not risk_decision_problem(cell.source), item


def test_the_graded_cases_cover_plan_no_plan_and_a_falling_total_with_a_rising_item_9():
    actions, falls_while_item9_rises = set(), False
    for _, cell in graded_cells():
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
        ("grade_phq9('n', 'x', reference=REF, points=5)", "no 'risk'"),  # not a literal: not a risk decision
        ("grade_transcript('n', 'x', reference={'turns': [{'technique': 'missed_risk'}]}, points=5)", ""),
    ],
)
def test_the_rule_itself(source, problem):
    found = risk_decision_problem(source)
    assert (problem in found) if problem else found == ""
