"""The in-process grading path gives what the kernel path gives, on every assignment's cohort.

Each assignment's cohort of tests/nbgrader/test_autograde.py (perfect, blank, partial, a locked-cell
editor, a test deleter, a damaged answers file) is autograded twice in one course copy, once per
path (``IPT_GRADING_PATH=kernel``, then ``inprocess``), and its feedback generated after each run.
Compared: every grade row of the gradebook (auto score, manual score, needs-manual-grade, points,
comments), every graded notebook and every feedback page, byte for byte after :func:`normalise`.

Only what differs between any two kernel runs is normalised, never a score or a card:
- the file name IPython gives a cell's code, ``/tmp/ipykernel_<pid>/<hash>.py``, holds the
  process id of whatever ran it (a warning quotes it);
- the execution times nbclient records in each code cell's metadata (wall-clock times);
- consecutive writes to one stream: a kernel sends them in one message or several depending on
  its 0.2 s flush timer, and nbclient keeps each message as an output; they are joined.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from tests.nbgrader.conftest import ASSIGNMENTS, answer_key, make_course_copy, run_nbgrader, submit
from tests.nbgrader.test_autograde import delete_test_cells, edit_locked_cells, partial_value, perfect_value

pytestmark = pytest.mark.slow

KERNEL_FILE = re.compile(r"/tmp/ipykernel_\d+/\d+\.py")
STUDENTS = ("perfect", "blank", "partial", "locked_editor", "test_deleter", "damaged_file")


@contextlib.contextmanager
def grading_path(path: str):
    before = os.environ.get("IPT_GRADING_PATH")
    os.environ["IPT_GRADING_PATH"] = path
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("IPT_GRADING_PATH", None)
        else:
            os.environ["IPT_GRADING_PATH"] = before


def submit_cohort(course: Path, assignment: str) -> None:
    key = answer_key(assignment)
    perfect = {item: perfect_value(ref) for item, ref in key.items()}
    partial = {item: partial_value(ref, i)[0] for i, (item, ref) in enumerate(key.items())}
    submit(course, "perfect", assignment, perfect)
    submit(course, "blank", assignment, None)
    submit(course, "partial", assignment, partial)
    submit(course, "locked_editor", assignment, partial, edit=edit_locked_cells(assignment))
    submit(course, "test_deleter", assignment, perfect, edit=delete_test_cells)
    submit(course, "damaged_file", assignment, b'{"format": "ipt-course-responses", "items": {"g0')


def normalise_outputs(outputs: list) -> list:
    joined = []
    for out in outputs:
        last = joined[-1] if joined else None
        if out.get("output_type") == "stream" and last and last.get("output_type") == "stream":
            if last.get("name") == out.get("name"):
                last["text"] = "".join(last["text"]) + "".join(out["text"])
                continue
        joined.append(dict(out))
    return joined


def normalise(text: str, notebook: bool) -> str:
    text = KERNEL_FILE.sub("/tmp/ipykernel_PID/CELL.py", text)
    if not notebook:
        return text
    nb = json.loads(text)
    for cell in nb["cells"]:
        if "outputs" in cell:
            cell["outputs"] = normalise_outputs(cell["outputs"])
        timing = cell.get("metadata", {}).get("execution")
        if timing:
            cell["metadata"]["execution"] = dict.fromkeys(timing, "TIME")
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False)


def grade_rows(course: Path, assignment: str) -> dict:
    rows = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in STUDENTS:
            sub = gb.find_submission(assignment, student)
            rows[student, "score"] = sub.score
            for nb in sub.notebooks:
                for g in nb.grades:
                    rows[student, g.name] = (g.auto_score, g.manual_score, g.needs_manual_grade, g.max_score)
                for c in nb.comments:
                    rows[student, c.name, "comment"] = (c.auto_comment, c.manual_comment)
    return rows


def files(course: Path, top: str, pattern: str) -> dict[str, str]:
    base = course / top
    return {str(p.relative_to(base)): p.read_text(encoding="utf-8") for p in sorted(base.glob(pattern))}


def grade_once(course: Path, assignment: str, path: str) -> dict:
    with grading_path(path):
        run = run_nbgrader(course, "autograde", assignment, "--force")
        run_nbgrader(course, "generate_feedback", assignment, "--force")
    result = {
        "log": run.stdout + run.stderr,
        "rows": grade_rows(course, assignment),
        "graded": files(course, "autograded", f"*/{assignment}/*.ipynb"),
        "feedback": files(course, "feedback", f"*/{assignment}/*.html"),
    }
    shutil.rmtree(course / "autograded")
    shutil.rmtree(course / "feedback")
    return result


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def both(request, tmp_path_factory):
    assignment = request.param
    course = make_course_copy(tmp_path_factory.mktemp(f"paths-{assignment}"))
    run_nbgrader(course, "generate_assignment", assignment, "--force")
    submit_cohort(course, assignment)
    return {path: grade_once(course, assignment, path) for path in ("kernel", "inprocess")}


def test_each_run_says_which_path_it_took(both):
    """Every notebook of the in-process run was graded in-process (none fell back to a kernel)."""
    assert both["kernel"]["log"].count("a kernel (IPT_GRADING_PATH=kernel)") == len(STUDENTS)
    assert both["inprocess"]["log"].count("in-process (no kernel)") == len(STUDENTS)
    assert "in-process" not in both["kernel"]["log"] and "a kernel (" not in both["inprocess"]["log"]


def test_scores_and_grade_rows_are_equal(both):
    assert both["inprocess"]["rows"] == both["kernel"]["rows"]
    assert any(v for k, v in both["kernel"]["rows"].items() if k[1] == "score"), "nobody scored anything"


@pytest.mark.parametrize("kind", ["graded", "feedback"])
def test_notebooks_and_feedback_are_the_same(both, kind):
    kernel, inprocess = both["kernel"][kind], both["inprocess"][kind]
    assert sorted(inprocess) == sorted(kernel) and len(kernel) == len(STUDENTS)
    for name in kernel:
        notebook = kind == "graded"
        assert normalise(inprocess[name], notebook) == normalise(kernel[name], notebook), name
