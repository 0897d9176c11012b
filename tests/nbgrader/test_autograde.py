"""Simulated trainees submitted and autograded by nbgrader; scores read from the gradebook.

One autograde run grades the whole cohort, as an instructor would run it, so the cases also
show that a bad submission does not stop the grading of the others.
"""

from __future__ import annotations

import pytest
from nbgrader.api import Gradebook

from tests.nbgrader.conftest import answer_key, run_nbgrader, submit

pytestmark = pytest.mark.slow

ASSIGNMENT = "m01_problem_areas"
WRONG_AREA = {
    "grief": "role_transition",
    "role_transition": "grief",
    "role_dispute": "grief",
    "interpersonal_deficits": "role_transition",
}
OTHER_STAGE = {"renegotiation": "impasse", "impasse": "dissolution", "dissolution": "renegotiation"}


def perfect_answers(key):
    return {
        item: {"area": ref["area"], "stage": ref.get("stage"), "rationale": "Onset follows the event."}
        for item, ref in key.items()
    }


def partial_answers(key):
    """Wrong area on the first two cases, wrong stage on every dispute after them, else right.

    Returns the answers and the score the course's rules give them: 0 for a wrong area,
    half the points for a dispute with a wrong stage, full points otherwise.
    """
    answers, expected = {}, 0.0
    for index, (item, ref) in enumerate(key.items()):
        if index < 2:
            answers[item] = {"area": WRONG_AREA[ref["area"]], "stage": None, "rationale": ""}
        elif ref.get("stage"):
            answers[item] = {"area": ref["area"], "stage": OTHER_STAGE[ref["stage"]], "rationale": "x"}
            expected += ref["points"] / 2
        else:
            answers[item] = {"area": ref["area"], "stage": None, "rationale": "y"}
            expected += ref["points"]
    return answers, expected


def edit_locked_cells(nb):
    """A trainee who rewrites the set-up cell and makes every test cell claim full marks."""
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") == "setup":
            cell.source = cell.source.replace(
                'ResponseStore.for_notebook("m01_problem_areas")', 'ResponseStore("elsewhere.json")'
            )
        elif meta.get("grade"):
            cell.source = f"{meta.get('points', 2)}.0"


def delete_test_cells(nb):
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]


@pytest.fixture(scope="module")
def cohort(released_course):
    key = answer_key(ASSIGNMENT)
    partial, partial_score = partial_answers(key)
    total = sum(ref["points"] for ref in key.values())
    expected = {
        "perfect": total,
        "blank": 0.0,
        "partial": partial_score,
        "locked_editor": partial_score,
        "test_deleter": total,
        "damaged_file": 0.0,
    }
    submit(released_course, "perfect", ASSIGNMENT, perfect_answers(key))
    submit(released_course, "blank", ASSIGNMENT, None)
    submit(released_course, "partial", ASSIGNMENT, partial)
    submit(released_course, "locked_editor", ASSIGNMENT, partial, edit=edit_locked_cells)
    submit(released_course, "test_deleter", ASSIGNMENT, perfect_answers(key), edit=delete_test_cells)
    submit(released_course, "damaged_file", ASSIGNMENT, b'{"format": "ipt-course-responses", "items": {"g0')
    run = run_nbgrader(released_course, "autograde", ASSIGNMENT)
    with Gradebook(f"sqlite:///{released_course / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s).score for s in expected}
        cells = {
            s: {g.name: g.score for g in gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, s).grades}
            for s in expected
        }
    return {"key": key, "expected": expected, "scores": scores, "cells": cells, "log": run.stderr, "total": total}


def test_assignment_is_worth_what_it_says(cohort):
    assert cohort["total"] == 20 and len(cohort["key"]) == 10


@pytest.mark.parametrize("student", ["perfect", "blank", "partial", "locked_editor", "test_deleter", "damaged_file"])
def test_each_trainee_gets_exactly_the_expected_score(cohort, student):
    assert cohort["scores"][student] == pytest.approx(cohort["expected"][student], abs=1e-9)


def test_partial_trainee_gets_partial_credit_per_cell(cohort):
    cells = cohort["cells"]["partial"]
    grades = [cells[ref["grade_id"]] for ref in cohort["key"].values()]
    assert grades[:2] == [0.0, 0.0]
    assert 1.0 in grades and 2.0 in grades


def test_the_partial_score_is_neither_trivial_nor_full(cohort):
    assert 0 < cohort["expected"]["partial"] < cohort["total"]


def test_feedback_teaches_and_escapes(cohort, released_course):
    run_nbgrader(released_course, "generate_feedback", ASSIGNMENT, "--student", "partial")
    html = next((released_course / "feedback" / "partial" / ASSIGNMENT).glob("*.html")).read_text(encoding="utf-8")
    first = next(iter(cohort["key"].values()))
    assert "Expert answer:" in html
    assert first["explanation"][:80].replace("'", "&#x27;") in html
    assert "Not yet right" in html and "Partly correct" in html
