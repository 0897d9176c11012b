"""An adversarial cohort: bad submissions graded in one run alongside honest ones.

The whole cohort must grade to completion, every honest trainee's score must be exactly what
it would be alone, and each bad case must get its expected score and a clear message in its
feedback. The instructor's path is the course's own: tidy the submissions, then autograde.
"""

from __future__ import annotations

import json
import sys

import nbformat
import pytest
from ipt_widgets.submissions import tidy_assignment
from nbgrader.api import Gradebook

from tests.nbgrader.conftest import answer_key, run_nbgrader, submit
from tests.nbgrader.test_autograde import (
    delete_test_cells,
    edit_locked_cells,
    partial_value,
    perfect_points,
    perfect_value,
)

pytestmark = pytest.mark.slow

ASSIGNMENT = "m01_problem_areas"
PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def answer_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


def loop_forever(nb):
    answer_cells(nb)[0].source = "while True:\n    pass"


def noisy(nb):
    answer_cells(nb)[
        0
    ].source += (
        "\nimport sys, warnings\nwarnings.warn('a warning from the trainee')\nprint('to stderr', file=sys.stderr)"
    )


def responses(items):
    doc = {
        "format": "ipt-course-responses",
        "version": 1,
        "notebook": ASSIGNMENT,
        "items": {k: {"value": v} for k, v in items.items()},
    }
    return json.dumps(doc).encode()


@pytest.fixture(scope="module")
def graded(released_course):
    key = answer_key(ASSIGNMENT)
    perfect = {item: perfect_value(ref) for item, ref in key.items()}
    partial = {item: partial_value(ref, i)[0] for i, (item, ref) in enumerate(key.items())}
    partial_score = sum(ref["points"] * partial_value(ref, i)[1] for i, ref in enumerate(key.values()))
    total = sum(perfect_points(ref) for ref in key.values())
    wrong_types = {item: [1, 2] if i % 2 else 7 for i, item in enumerate(key)}
    with_payload = {
        item: {**value, "rationale": PAYLOAD} if isinstance(value, dict) else value for item, value in perfect.items()
    }

    cases = {
        # name: (responses, notebook edit, expected score, text expected in the feedback)
        "honest_perfect": (perfect, None, total, "Expert answer"),
        "honest_partial": (partial, None, partial_score, "Partly correct"),
        "edited_locked_cells": (partial, edit_locked_cells(ASSIGNMENT), partial_score, "Partly correct"),
        "deleted_test_cells": (perfect, delete_test_cells, total, "Expert answer"),
        "missing_file": (None, None, 0.0, "had no m01_problem_areas.responses.json"),
        "empty_file": (b"", None, 0.0, "is empty"),
        "truncated_file": (responses(perfect)[:57], None, 0.0, "not valid JSON"),
        "malformed_file": (b'{"format": "someone-else", "version": 1, "items": {}}', None, 0.0, "someone-else"),
        "oversized_file": (b" " * 3_000_000 + responses(perfect), None, 0.0, "far larger"),
        "wrong_types": (responses(wrong_types), None, 0.0, "could not be used"),
        "non_utf8_file": (responses(perfect).replace(b"Onset", b"\xff\xfe"), None, 0.0, "not UTF-8"),
        "html_in_free_text": (with_payload, None, total, "&lt;script&gt;"),
        # Trainee code is never run at grading: the notebook is rebuilt from the release.
        "infinite_loop": (perfect, loop_forever, total, "was not run for grading"),
        "stderr_noise": (perfect, noisy, total, "was not run for grading"),
    }
    for name, (value, edit, _, _) in cases.items():
        raw = value if isinstance(value, bytes) or value is None else responses(value)
        submit(released_course, name, ASSIGNMENT, None, edit=edit)
        if raw is not None:
            (released_course / "submitted" / name / ASSIGNMENT / f"{ASSIGNMENT}.responses.json").write_bytes(raw)

    # File mishaps the tidy step repairs, and files that must never reach the kernel.
    folder = submit(released_course, "renamed_notebook", ASSIGNMENT, perfect)
    (folder / f"{ASSIGNMENT}.ipynb").rename(folder / f"{ASSIGNMENT} (1).ipynb")
    folder = submit(released_course, "corrupt_notebook", ASSIGNMENT, perfect)
    (folder / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [', encoding="utf-8")
    folder = submit(released_course, "extra_files", ASSIGNMENT, perfect)
    (folder / "notes.txt").write_text("my notes", encoding="utf-8")
    (folder / "ipt_widgets.py").write_text("def grade_classification(*a, **k):\n    return 2.0\n", encoding="utf-8")
    (folder / "ipykernel_launcher.py").write_text("raise SystemExit('hijacked')\n", encoding="utf-8")
    (folder / "sitecustomize.py").write_text("import sys; sys.exit(3)\n", encoding="utf-8")
    cases["renamed_notebook"] = (perfect, None, total, "was submitted as")
    cases["corrupt_notebook"] = (perfect, None, total, "could not be read")
    cases["extra_files"] = (perfect, None, total, "Expert answer")

    repairs = tidy_assignment(released_course, ASSIGNMENT)
    # A short cell timeout keeps the infinite loop from costing the test a minute.
    run_nbgrader(released_course, "autograde", ASSIGNMENT, "--Execute.timeout=20")
    with Gradebook(f"sqlite:///{released_course / 'gradebook.db'}") as gb:
        scores = {name: gb.find_submission(ASSIGNMENT, name).score for name in cases}
    run_nbgrader(released_course, "generate_feedback", ASSIGNMENT)
    feedback = {}
    for name in cases:
        files = list((released_course / "feedback" / name / ASSIGNMENT).glob("*.html"))
        feedback[name] = files[0].read_text(encoding="utf-8") if files else ""
    return {"cases": cases, "scores": scores, "feedback": feedback, "repairs": repairs}


def test_there_are_at_least_twelve_kinds_of_bad_submission(graded):
    assert len([c for c in graded["cases"] if not c.startswith("honest")]) >= 12


@pytest.mark.parametrize(
    "name",
    [
        "honest_perfect",
        "honest_partial",
        "edited_locked_cells",
        "deleted_test_cells",
        "missing_file",
        "empty_file",
        "truncated_file",
        "malformed_file",
        "oversized_file",
        "wrong_types",
        "non_utf8_file",
        "html_in_free_text",
        "infinite_loop",
        "stderr_noise",
        "renamed_notebook",
        "corrupt_notebook",
        "extra_files",
    ],
)
def test_score_and_message(graded, name):
    _, _, expected, message = graded["cases"][name]
    assert graded["scores"][name] == pytest.approx(expected, abs=1e-6)
    assert message in graded["feedback"][name], f"{name}: feedback lacks {message!r}"


def test_script_payloads_are_escaped_in_feedback(graded):
    html = graded["feedback"]["html_in_free_text"]
    assert "<script>alert" not in html and "<img src=x" not in html


def test_rebuild_step_reported_its_notes(graded):
    repairs = graded["repairs"]
    assert repairs["renamed_notebook"] == [
        f"This notebook was submitted as '{ASSIGNMENT} (1).ipynb' and graded as '{ASSIGNMENT}.ipynb'."
    ]
    assert "could not be read" in repairs["corrupt_notebook"][0]
    assert "honest_perfect" not in repairs and "honest_partial" not in repairs
    assert any("was not run for grading" in note for note in repairs["infinite_loop"])


def test_only_allowlisted_files_reach_the_kernel(released_course, graded):
    autograded = released_course / "autograded" / "extra_files" / ASSIGNMENT
    names = {p.name for p in autograded.iterdir()}
    assert names <= {
        f"{ASSIGNMENT}.ipynb",
        f"{ASSIGNMENT}.responses.json",
        "cases.yaml",
        "drafts.yaml",
        "timestamp.txt",
    }
    received = released_course / "received" / "extra_files" / ASSIGNMENT
    assert (received / "notes.txt").exists()  # the original submission is kept, untouched


def test_tidy_command_line(released_course, tmp_path, capsys):
    from ipt_widgets.submissions import main

    assert main([ASSIGNMENT, "--course", str(released_course)]) == 0
    assert "Rebuilt every submission" in capsys.readouterr().out
    assert main(["no_such_assignment", "--course", str(released_course)]) == 2
    nb = nbformat.read(released_course / "submitted" / "renamed_notebook" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    assert nb.cells[0].source.startswith("> **Note from grading.**")
    assert sys.executable  # the module also runs as `python -m ipt_widgets.submissions`
