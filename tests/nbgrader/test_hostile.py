"""A hostile cohort: every known way to forge a grade, harm another trainee or reach a secret,
graded in one run with honest trainees through the instructor's own path (`make autograde`).

Each attacker answers wrongly or not at all, so its honest score is known; it must get exactly
that, the honest trainees must be unchanged, no file outside grading's own folders may change,
no secret may appear in any feedback, and nothing an attacker started may outlive the run.
The attacks are real code: run without the rebuild step they would do what they say.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from tests.nbgrader.conftest import answer_key, make_course_copy, run_nbgrader, submit
from tests.nbgrader.test_autograde import perfect_points, perfect_value

pytestmark = pytest.mark.slow

M01 = "m01_problem_areas"
M10 = "m10_capstone"
SECRET = "ipt-secret-7f3a9c"  # in the grader's environment: must never reach a feedback page
MARK = "ipt-hostile-marker"  # every process an attacker starts carries it
UP = "../../.."  # from autograded/<trainee>/<assignment>/ to the course root

ATTACKS = {
    "patch_grading": "import ipt_widgets.grading as g\ng.grade_classification = lambda *a, **k: 2.0\n"
    "g.grade_draft = lambda *a, **k: 4.0\ng.check_answered = lambda *a, **k: None",
    "no_results": "get_ipython().ast_node_interactivity = 'none'",
    "nan_formatter": "get_ipython().display_formatter.formatters['text/plain'].for_type("
    "float, lambda o, p, c: p.text('nan'))",
    "swap_min": "import builtins\nbuiltins.min = lambda *a, **k: 2.0",
    "read_secrets": f"import os, pathlib\nprint(os.environ)\nprint(pathlib.Path('{UP}/solutions/{M10}/{M10}.ipynb')"
    f".read_text()[:5000])\nprint(pathlib.Path('{UP}/gradebook.db').read_bytes()[:5000])",
    "harm_others": f"import pathlib\nfor p in pathlib.Path('{UP}').glob('*/*/{M01}/{M01}.responses.json'):\n"
    "    p.write_text('')",
    "startup_file": "import os, pathlib\n"
    "for home in [pathlib.Path.home(), pathlib.Path(os.environ.get('HOME', '/'))]:\n"
    "    d = home / '.ipython/profile_default/startup'\n    d.mkdir(parents=True, exist_ok=True)\n"
    f"    (d / '00-{MARK}.py').write_text('import builtins; builtins.min = lambda *a, **k: 0')",
    "drop_into_solutions": f"import pathlib\npathlib.Path('{UP}/solutions/{M01}/{MARK}.txt').write_text('x')",
    "detached_process": f"import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', "
    f"'import time; time.sleep(600)', '{MARK}'], start_new_session=True)",
    "lock_gradebook": f"import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import sqlite3, time; "
    f'c = sqlite3.connect("{UP}/gradebook.db"); c.execute("BEGIN EXCLUSIVE"); time.sleep(600)\', \'{MARK}\'], '
    "start_new_session=True)",
    "network": "import socket\ns = socket.socket(); s.connect(('127.0.0.1', 22))",
    "sleep": "import time\ntime.sleep(3000)",
    "huge_output": "print('x' * 100_000_000)",
}


def answer_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]


def with_code(code):
    def edit(nb):
        answer_cells(nb)[0].source = code

    return edit


def html_cells(nb):
    payload = "<script>window.__pwned=1</script><svg/onload=alert(1)><img src=x onerror=alert(1)>"
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(f"# Hi\n{payload}"))
    cell = answer_cells(nb)[0]
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": payload, "application/javascript": "alert(1)"}),
        nbformat.v4.new_output("stream", name="stdout", text="y" * 1000),
    ]


def responses_bytes(items, assignment=M01):
    doc = {
        "format": "ipt-course-responses",
        "version": 1,
        "notebook": assignment,
        "items": {k: {"value": v} for k, v in items.items()},
    }
    return json.dumps(doc).encode()


def snapshot(course: Path) -> dict[str, str]:
    """Hashes of everything grading must never change."""
    files = {}
    for top in ("solutions", "exercises", "nbgrader_config.py"):
        base = course / top
        for path in [base] if base.is_file() else sorted(base.rglob("*")):
            if path.is_file():
                files[str(path.relative_to(course))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    course = make_course_copy(tmp_path_factory.mktemp("hostile"))
    for assignment in (M01, M10):
        run_nbgrader(course, "generate_assignment", assignment, "--force")
    key = answer_key(M01)
    perfect = {item: perfect_value(ref) for item, ref in key.items()}
    total = sum(perfect_points(ref) for ref in key.values())
    expected = {"honest_perfect": total, "honest_perfect_2": total}
    submit(course, "honest_perfect", M01, perfect)
    submit(course, "honest_perfect_2", M01, perfect)
    for name, code in ATTACKS.items():
        submit(course, name, M01, None, edit=with_code(code))
        expected[name] = 0.0
    submit(course, "script_everywhere", M01, None, edit=html_cells)
    expected["script_everywhere"] = 0.0
    # Files, not code.
    folder = submit(course, "shadow_module", M01, None)
    (folder / "ipt_widgets.abi3.so").write_bytes(b"\x7fELF not really")
    (folder / "ipt_widgets.py").write_text("raise SystemExit")
    expected["shadow_module"] = 0.0
    folder = submit(course, "symlinked_responses", M01, None)
    (folder / f"{M01}.responses.json").symlink_to(course / "submitted/honest_perfect" / M01 / f"{M01}.responses.json")
    expected["symlinked_responses"] = 0.0
    folder = submit(course, "dangling_link", M01, None)
    (folder / f"{M01}.responses.json").symlink_to(course / "nowhere.json")
    expected["dangling_link"] = 0.0
    folder = submit(course, "named_pipe", M01, perfect)
    (folder / f"{M01}.ipynb").unlink()
    os.mkfifo(folder / f"{M01}.ipynb")
    expected["named_pipe"] = total  # the answers are in the responses file; the notebook is the release's
    folder = submit(course, "cells_not_objects", M01, perfect)
    (folder / f"{M01}.ipynb").unlink()
    (folder / "<img src=x onerror=alert(1)>.ipynb").write_text('{"cells": [1, "two", null], "metadata": {}}')
    expected["cells_not_objects"] = total
    # Robust reading of the answers themselves.
    raw = responses_bytes(perfect)
    submit(course, "bom", M01, b"\xef\xbb\xbf" + raw)
    expected["bom"] = total
    first = next(iter(perfect))
    lone = {**perfect, first: {**perfect[first], "rationale": "\ud800 oops"}}
    submit(
        course,
        "lone_surrogate",
        M01,
        json.dumps(
            {
                "format": "ipt-course-responses",
                "version": 1,
                "notebook": M01,
                "items": {k: {"value": v} for k, v in lone.items()},
            }
        ).encode(),
    )
    expected["lone_surrogate"] = total
    submit(course, "huge_integer", M01, raw.replace(b'"version": 1', b'"version": ' + b"9" * 5000))
    expected["huge_integer"] = 0.0
    submit(course, "deep_nesting", M01, b'{"items": ' + b"[" * 600 + b"]" * 600 + b"}")
    expected["deep_nesting"] = 0.0
    # The capstone: a notebook that is a link to the model answers; a written answer with script.
    folder = submit(course, "link_to_solutions", M10, None)
    (folder / f"{M10}.ipynb").unlink()
    (folder / f"{M10}.ipynb").symlink_to(course / "solutions" / M10 / f"{M10}.ipynb")

    def script_answer(nb):
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = "My plan <script>window.__pwned=1</script> [see](javascript:alert(1)) **bold**"

    submit(course, "script_answer", M10, None, edit=script_answer)

    before = snapshot(course)
    honest_files = {
        name: {p.name: p.read_bytes() for p in (course / "submitted" / name / M01).iterdir()}
        for name in ("honest_perfect", "honest_perfect_2")
    }
    env = dict(
        os.environ,
        IPT_TEST_SECRET=SECRET,
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    runs = [
        subprocess.run(
            [sys.executable, "-m", "ipt_widgets.instructor.autograde", a, "--course", str(course)],
            capture_output=True,
            text=True,
            timeout=1500,
            env=env,
        )
        for a in (M01, M10)
    ]
    run_nbgrader(course, "generate_feedback", M01)
    run_nbgrader(course, "generate_feedback", M10)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {name: gb.find_submission(M01, name).score for name in expected}
    feedback = {p.parts[-3]: p.read_text(encoding="utf-8") for p in (course / "feedback").glob("*/*/*.html")}
    return {
        "course": course,
        "expected": expected,
        "scores": scores,
        "before": before,
        "runs": runs,
        "feedback": feedback,
        "honest_files": honest_files,
    }


def test_the_run_grades_everyone(hostile):
    for run in hostile["runs"]:
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


@pytest.mark.parametrize(
    "name",
    [
        "honest_perfect",
        "honest_perfect_2",
        *ATTACKS,
        "script_everywhere",
        "shadow_module",
        "symlinked_responses",
        "dangling_link",
        "named_pipe",
        "cells_not_objects",
        "bom",
        "lone_surrogate",
        "huge_integer",
        "deep_nesting",
    ],
)
def test_each_trainee_gets_exactly_the_honest_score(hostile, name):
    assert hostile["scores"][name] == pytest.approx(hostile["expected"][name], abs=1e-6)


def test_no_file_outside_grading_changed(hostile):
    assert snapshot(hostile["course"]) == hostile["before"]
    for name, files in hostile["honest_files"].items():  # the honest trainees' originals, kept untouched
        kept = hostile["course"] / "received" / name / M01
        assert {p.name: p.read_bytes() for p in kept.iterdir() if p.name != ".manifest.json"} == files
    home = Path.home() / ".ipython/profile_default/startup"
    assert not list(home.glob(f"*{MARK}*")) if home.exists() else True


def test_no_secret_reaches_any_feedback(hostile):
    model_answer = json.loads((hostile["course"] / "solutions" / M10 / f"{M10}.ipynb").read_text())
    solution_text = next(
        "".join(c["source"])
        for c in model_answer["cells"]
        if c["cell_type"] == "markdown" and c["metadata"].get("nbgrader", {}).get("solution")
    )
    for name, html in hostile["feedback"].items():
        assert SECRET not in html, name
        assert solution_text[:80] not in html, name
        assert "SQLite format" not in html, name


def test_no_script_survives_into_graded_notebooks_or_feedback(hostile):
    course = hostile["course"]
    for name in ("script_everywhere", "script_answer", "cells_not_objects"):
        for path in [*(course / "autograded" / name).rglob("*.ipynb"), *(course / "feedback" / name).rglob("*.html")]:
            text = path.read_text(encoding="utf-8")
            for live in ("<script>window.__pwned", "<img src=x onerror", "<svg/onload", "application/javascript"):
                assert live not in text, (path, live)
            assert not re.search(r"(?<!unsafe-)javascript:alert", text), path


def test_a_written_answer_survives_sanitised(hostile):
    nb = nbformat.read(hostile["course"] / "autograded" / "script_answer" / M10 / f"{M10}.ipynb", 4)
    answers = [
        c.source for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")
    ]
    assert answers and all("My plan" in a and "**bold**" in a for a in answers)


def test_nothing_an_attacker_started_survives(hostile):
    survivors = subprocess.run(["pgrep", "-f", MARK], capture_output=True, text=True).stdout.split()
    assert survivors == []


def test_links_and_pipes_are_refused_with_a_note(hostile):
    fb = hostile["feedback"]
    assert "is a link" in fb["symlinked_responses"] and "is a link" in fb["dangling_link"]
    assert "not a regular file" in fb["named_pipe"] or "could not be read" in fb["named_pipe"]
    assert "<img src=x" not in fb["cells_not_objects"]


def test_links_planted_in_the_exchange_are_never_followed(tmp_path):
    """The exchange's inbound folder is writable by every trainee: a link planted there must reach
    the instructor as a link (then refused), never as the file it points to."""
    import shutil

    from ipt_widgets.instructor.cycle import _as_trainee
    from ipt_widgets.instructor.nbgrader_api import in_dir as _in_dir
    from ipt_widgets.instructor.nbgrader_api import make_api
    from ipt_widgets.submissions import tidy_assignment

    course = make_course_copy(tmp_path / "course")
    (course / ".exchange").mkdir(mode=0o777)
    with _in_dir(course):
        api = make_api(course)
        assert api.generate_assignment(M01, force=True)["success"]
        assert api.release_assignment(M01)["success"]
        home = tmp_path / "mallory"
        shutil.copytree(course / "exercises" / M01, home / M01)
        _as_trainee("submit", course, home, M01, "mallory")
        inbound = next((course / ".exchange").glob(f"*/inbound/mallory+{M01}+*"))
        (inbound / f"{M01}.responses.json").symlink_to(course / "nbgrader_config.py")
        (inbound / "key.ipynb").symlink_to(course / "solutions" / M10 / f"{M10}.ipynb")
        assert api.collect(M01)["success"]
    folder = course / "submitted" / "mallory" / M01
    assert (folder / f"{M01}.responses.json").is_symlink()
    notes = tidy_assignment(course, M01)["mallory"]
    assert any("is a link" in n for n in notes)
    assert sorted(p.name for p in folder.iterdir()) == [f"{M01}.ipynb", "submission_secret.txt", "timestamp.txt"]
    assert "c.CourseDirectory" not in (folder / f"{M01}.ipynb").read_text()
