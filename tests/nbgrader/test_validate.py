"""Both sides of the tests: solutions validate clean; unanswered exercises fail every test."""

import shutil

import pytest
from nbgrader.validator import Validator

from tests.conftest import REPO
from tests.nbgrader.conftest import ASSIGNMENTS

pytestmark = pytest.mark.slow


def notebooks(top, assignment, tmp_path):
    folder = tmp_path / assignment
    shutil.copytree(REPO / top / assignment, folder, ignore=shutil.ignore_patterns("*.responses.json*"))
    return sorted(folder.glob("*.ipynb"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_pass_validation(assignment, tmp_path):
    for path in notebooks("solutions", assignment, tmp_path):
        assert Validator().validate(str(path)) == {}, path.name


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_unanswered_exercises_fail_every_test(assignment, tmp_path):
    for path in notebooks("exercises", assignment, tmp_path):
        validator = Validator()
        validator.invert = True
        assert validator.validate(str(path)) == {}, f"{path.name}: a test passes with no answer"


def test_validate_names_the_unanswered_cases_in_plain_words(tmp_path):
    """What the Validate button shows a trainee: one sentence per unanswered case, by its heading."""
    from ipt_widgets.store import ResponseStore

    (path,) = notebooks("exercises", "m01_problem_areas", tmp_path)
    ResponseStore.for_notebook(path.stem, path.parent).save("g01_coffee_grower", {"area": "grief"})
    failed = Validator().validate(str(path))["failed"]
    errors = [cell["raw_error"].strip() for cell in failed]
    assert "Case 1 is not answered yet" not in " ".join(errors)
    assert any(e.startswith("Case 8 is not answered yet:") for e in errors), errors
    for error in errors:
        assert "\n" not in error and "Traceback" not in error and "Partial credit" not in error, error
        assert "g0" not in error and "_" not in error, f"an internal id reached the trainee: {error}"
