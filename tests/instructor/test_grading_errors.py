"""After autograde, test cells that failed with an error are listed in full, and the exit status says so."""

import json

import nbformat
import pytest
from ipt_widgets.instructor.grading_errors import grading_errors, main
from nbclient import NotebookClient

BROKEN = (
    "from ipt_widgets.grading import grade_classification\n"
    "grade_classification('nb', 'c1', {'area': 'deficits', 'explanation': 'x'}, 2)"
)


def graded_notebook(test_source, outputs=None):
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade_id": "c1_answer", "solution": True}})
    test = nbformat.v4.new_code_cell(
        test_source, metadata={"nbgrader": {"grade_id": "c1_problem_area", "grade": True, "points": 2}}
    )
    if outputs is not None:
        test.outputs = outputs
    nb.cells = [answer, test]
    return nb


def write(course, trainee, nb):
    folder = course / "autograded" / trainee / "m09"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "m09.ipynb")


def test_errors_in_test_cells_are_listed_once_per_cell_with_the_trainees(tmp_path, capsys):
    error = nbformat.v4.new_output("error", ename="HiddenTestError", evalue="the hidden test is broken:\nfield 'area'")
    for trainee in ("ana", "ben"):
        write(tmp_path, trainee, graded_notebook("pass", [error]))
    write(tmp_path, "cy", graded_notebook("pass", []))
    errors = grading_errors(tmp_path, "m09")
    assert {e.trainee for e in errors} == {"ana", "ben"}
    assert errors[0].message == "the hidden test is broken: field 'area'"
    assert main(["m09", "--course", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("cell 'c1_problem_area': HiddenTestError") == 1 and "trainees (2): ana, ben" in out


def test_clean_grading_exits_0_and_nothing_graded_exits_2(tmp_path):
    assert main(["m09", "--course", str(tmp_path)]) == 2
    write(tmp_path, "ana", graded_notebook("pass", []))
    assert main(["m09", "--course", str(tmp_path)]) == 0


@pytest.mark.slow
def test_a_real_broken_hidden_test_is_shown_in_full_by_nbgrader_validate_and_listed(tmp_path):
    """Run the cell in a kernel as autograde does; nbgrader's Validate keeps every line whole."""
    from nbgrader.validator import Validator

    nb = graded_notebook(BROKEN)
    NotebookClient(nb, timeout=60, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}).execute()
    write(tmp_path, "ana", nb)
    [found] = grading_errors(tmp_path, "m09")
    assert found.name == "HiddenTestError"
    assert "field 'area' is 'deficits'" in found.message and "did you mean 'interpersonal_deficits'" in found.message
    shown = Validator()._extract_error(json.loads(nbformat.writes(nb), object_hook=nbformat.NotebookNode).cells[1])
    evalue = next(o for o in nb.cells[1].outputs if o.output_type == "error").evalue
    for line in evalue.splitlines()[1:]:  # each line of the message survives whole, none cut with "..."
        assert line in shown, line
    html = [o for o in nb.cells[1].outputs if o.output_type == "display_data"]
    assert html and "Hidden test error (for the instructor)" in html[0].data["text/html"]
