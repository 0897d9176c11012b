"""What an independent red team found against the grading, each kept as a regression test.

Every attack here worked on an earlier version (the figures are the red team's): a trainee id
carrying script into nbgrader's formgrader pages, an exchange entry that is a link to another
trainee's kept answers (28/28) or to solutions/, a forged submission in another trainee's name
with a time in 2099, a linked responses file graded through plain `nbgrader autograde` (28/28), a
submission folder that is a link graded as its target (28/28), one trainee stopping collect or
release_feedback for everybody.
"""

from __future__ import annotations

import json
import shutil

import pytest
from nbgrader.api import Gradebook

from tests.nbgrader.conftest import answer_key, make_course_copy, run_nbgrader, submit
from tests.nbgrader.test_autograde import perfect_points, perfect_value

pytestmark = pytest.mark.slow

M01 = "m01_problem_areas"
M10 = "m10_capstone"
WHEN = "2026-11-30 10:00:00.000000 UTC"


@pytest.fixture(scope="module")
def exchange_course(tmp_path_factory):
    from ipt_widgets.instructor.cycle import _as_trainee
    from ipt_widgets.instructor.nbgrader_api import in_dir as _in_dir
    from ipt_widgets.instructor.nbgrader_api import make_api

    root = tmp_path_factory.mktemp("red")
    course = make_course_copy(root / "course")
    (course / ".exchange").mkdir(mode=0o777)
    key = answer_key(M01)
    perfect = {item: perfect_value(ref) for item, ref in key.items()}
    with _in_dir(course):
        api = make_api(course)
        for aid in (M01, M10):
            assert api.generate_assignment(aid, force=True)["success"]
            assert api.release_assignment(aid)["success"]
        for sid in ("victim", "mallory"):
            submit(course, sid, M01, perfect if sid == "victim" else None)
            home = root / sid
            shutil.copytree(course / "submitted" / sid / M01, home / M01)
            shutil.rmtree(course / "submitted" / sid)
            _as_trainee("submit", course, home, M01, sid)
        inbound = next((course / ".exchange").glob("*/inbound"))
        mallory = next(inbound.glob(f"mallory+{M01}+*"))
        victim = next(inbound.glob(f"victim+{M01}+*"))
        (mallory / f"{M01}.responses.json").unlink(missing_ok=True)
        (mallory / f"{M01}.responses.json").symlink_to(victim / f"{M01}.responses.json")
        shutil.copytree(mallory, inbound / f'x"><img src=x onerror=alert(1)>+{M01}+{WHEN}+abc')
        (inbound / f"evil+{M01}+{WHEN}+abc").symlink_to(victim)
        (inbound / f"evil2+{M10}+{WHEN}+abc").symlink_to(course / "solutions" / M10)
        forged = inbound / f"victim+{M01}+2099-01-01 00:00:00.000000 UTC+zzz"
        shutil.copytree(course / "exercises" / M01, forged)
        shutil.copytree(course / "exercises" / M01, inbound / f"mallory+{M01}+not-a-time+x")
        assert api.collect(M01)["success"]
        assert api.collect(M10)["success"]
    return course, sum(perfect_points(ref) for ref in key.values())


def test_forged_or_linked_exchange_entries_are_not_collected(exchange_course):
    course, _ = exchange_course
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["mallory", "victim"]
    assert not (course / "submitted" / "evil2").exists()


def test_plain_nbgrader_autograde_never_follows_a_linked_responses_file(exchange_course):
    course, total = exchange_course
    assert (course / "submitted" / "mallory" / M01 / f"{M01}.responses.json").is_symlink()
    run_nbgrader(course, "autograde", M01)  # not the course's own command: the formgrader's route
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_submission(M01, "mallory").score == 0
        assert gb.find_submission(M01, "victim").score == pytest.approx(total)  # the 2099 forgery lost
    graded = course / "autograded" / "mallory" / M01
    assert not (graded / f"{M01}.responses.json").exists()


def test_feedback_is_released_to_everyone_who_can_receive_it(exchange_course):
    course, _ = exchange_course
    run_nbgrader(course, "generate_feedback", M01, "--force")
    (course / "feedback" / "mallory" / M01 / "submission_secret.txt").unlink()
    run_nbgrader(course, "release_feedback", M01)
    released = list((course / ".exchange").glob("*/feedback/*.html"))
    assert len(released) == 1  # the victim's; mallory's is skipped with an error, not a crash


def test_a_submission_folder_that_is_a_link_is_never_graded_as_its_target(tmp_path):
    from ipt_widgets.submissions import tidy_assignment

    course = make_course_copy(tmp_path / "course")
    run_nbgrader(course, "generate_assignment", M01, "--force")
    key = answer_key(M01)
    submit(course, "honest", M01, {item: perfect_value(ref) for item, ref in key.items()})
    forger = submit(course, "forger", M01, None)  # graded by plain nbgrader: no rebuild step before it
    nb = json.loads((forger / f"{M01}.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and cell["metadata"].get("nbgrader", {}).get("solution"):
            cell["source"] = (
                "get_ipython().ast_node_interactivity = 'none'\nimport builtins\nbuiltins.min = lambda *a: 2.0"
            )
    (forger / f"{M01}.ipynb").write_text(json.dumps(nb))
    (course / "submitted" / "copycat").mkdir()
    (course / "submitted" / "copycat" / M01).symlink_to(course / "submitted" / "honest" / M01)
    run_nbgrader(course, "autograde", M01, "--student", "forger")
    notes = tidy_assignment(course, M01)
    assert "link" in notes["copycat"][0]
    assert not (course / "submitted" / "copycat" / M01).is_symlink()
    assert (course / "submitted" / "honest" / M01 / f"{M01}.ipynb").exists()
    run_nbgrader(course, "autograde", M01)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_submission(M01, "copycat").score == 0
        assert gb.find_submission(M01, "forger").score == 0
