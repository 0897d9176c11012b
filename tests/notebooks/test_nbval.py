"""nbval runs every cell of the course and solution notebooks (never exercises/: its stubs
are unanswered by design).

The notebooks run in a copy, because running them saves answers beside the notebook, and a
responses file left in solutions/ would be released to trainees.
"""

import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_course_and_solution_notebooks_run_clean(tmp_path):
    for top in ("course", "solutions"):
        shutil.copytree(
            REPO / top, tmp_path / top, ignore=shutil.ignore_patterns("*.responses.json*", ".ipynb_checkpoints")
        )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "--nbval-cell-timeout=120",
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(tmp_path),
            "course",
            "solutions",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    summary = run.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary, summary
    # Running the solutions saves the model answers, which the hidden tests then score.
    assert (tmp_path / "solutions" / "m01_problem_areas" / "m01_problem_areas.responses.json").exists()
