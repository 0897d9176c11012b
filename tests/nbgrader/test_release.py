"""exercises/ is exactly what nbgrader generates from solutions/, and leaks nothing."""

import filecmp

import pytest

from tests.conftest import REPO
from tests.nbgrader.conftest import ASSIGNMENTS, answer_key

pytestmark = pytest.mark.slow


def tree(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_regenerated_exercises_match_the_committed_ones(released_course, assignment):
    fresh, committed = released_course / "exercises" / assignment, REPO / "exercises" / assignment
    assert tree(fresh) == tree(committed), "run `make exercises` and commit the result"
    different = [str(p) for p in tree(fresh) if not filecmp.cmp(fresh / p, committed / p, shallow=False)]
    assert different == [], "run `make exercises` and commit the result"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercises_hold_no_solution_hidden_test_or_reference(assignment):
    text = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "exercises" / assignment).rglob("*") if p.is_file())
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "grade_classification(", ".answer(", "reference="):
        assert marker not in text, marker
    for item, ref in answer_key(assignment).items():
        assert ref["explanation"][:60] not in text, f"{item}: expert explanation leaked"
        assert f'"area": "{ref["area"]}"' not in text and f"area: {ref['area']}" not in text
