"""The built wheel of ipt_widgets carries code only: no solution, hidden test or reference text.

(exercises/ is checked in tests/nbgrader/test_release.py.)
"""

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO
from tests.nbgrader.conftest import ASSIGNMENTS, answer_key
from tests.nbgrader.test_release import prose

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel_text(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = out.glob("ipt_course-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        code = "\n".join(archive.read(n).decode("utf-8", "replace") for n in names if n.startswith("ipt_widgets/"))
        text = "\n".join(archive.read(n).decode("utf-8", "replace") for n in names)
    return names, code, text


def test_wheel_holds_only_the_package(wheel_text):
    names, _, _ = wheel_text
    assert all(n.startswith(("ipt_widgets/", "ipt_course-")) for n in names), names
    # The line coder's general exemplars are the one data file the package needs: ordinary therapist
    # lines, no case or reference (the reference test below reads its text too).
    data = {"ipt_widgets/scoring/line_exemplars.yaml"}
    assert not [n for n in names if n.endswith((".ipynb", ".yaml")) and n not in data]
    assert data <= set(names), "the line coder's exemplars must ship with the package"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_wheel_holds_no_reference_or_solution(wheel_text, assignment):
    _, code, text = wheel_text
    # The README (the wheel's METADATA) names the markers in its authoring guide; code must not.
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS"):
        assert marker not in code
    for item, entry in answer_key(assignment).items():
        for sentence in prose(entry["reference"]):
            assert sentence[:60] not in text, f"{item}: reference text in the wheel"
