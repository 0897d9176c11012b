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
