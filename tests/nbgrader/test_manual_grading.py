"""Free-text answers: autograde leaves them for the instructor, who scores them in formgrader.

Formgrader saves a manual score through nbgrader's Gradebook API; this test does the same and
checks that the trainee's total follows, and that the release shows the prompt, not the model.
"""

from __future__ import annotations

import pytest
from nbgrader.api import Gradebook

from tests.conftest import REPO
from tests.nbgrader.conftest import ASSIGNMENTS, answer_key, manual_items, run_nbgrader, submit
from tests.nbgrader.test_autograde import perfect_value

pytestmark = pytest.mark.slow

WITH_FREE_TEXT = [a for a in ASSIGNMENTS if manual_items(a)]


def write_free_text(manual):
    """A trainee who writes something in every free-text answer (nbgrader scores an untouched one 0 itself)."""

    def edit(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") in manual:
                cell.source = "Her depression began after a death; I would offer sixteen sessions focused on mourning."

    return edit


@pytest.mark.parametrize("assignment", WITH_FREE_TEXT)
def test_instructor_scores_free_text_and_the_total_follows(released_course, assignment):
    key = answer_key(assignment)
    auto_total = sum(ref["points"] for ref in key.values())
    manual = manual_items(assignment)
    trainee = f"writer_{assignment}"
    answers = {item: perfect_value(ref) for item, ref in key.items()}
    submit(released_course, trainee, assignment, answers, edit=write_free_text(manual))
    run_nbgrader(released_course, "autograde", assignment, "--student", trainee)
    with Gradebook(f"sqlite:///{released_course / 'gradebook.db'}") as gb:
        submission = gb.find_submission(assignment, trainee)
        assert submission.score == pytest.approx(auto_total)
        assert submission.max_score == pytest.approx(auto_total + sum(manual.values()))
        assert submission.needs_manual_grade
        for grade_id, points in manual.items():
            grade = gb.find_grade(grade_id, assignment, assignment, trainee)
            assert grade.needs_manual_grade
            grade.manual_score = points / 2  # what formgrader stores when the instructor types a score
        gb.db.commit()
        assert gb.find_submission(assignment, trainee).score == pytest.approx(auto_total + sum(manual.values()) / 2)


@pytest.mark.parametrize("assignment", WITH_FREE_TEXT)
def test_release_shows_the_prompt_not_the_model_answer(assignment):
    text = (REPO / "exercises" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")
    assert "YOUR ANSWER HERE" in text and "BEGIN SOLUTION" not in text
