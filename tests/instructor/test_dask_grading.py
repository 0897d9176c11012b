"""Grading on Dask, without nbgrader's cost: the coordinator, the rows it copies, the task's files.

Stand-in tasks (module-level, so workers import them) return graded rows without running a
kernel; tests/instructor/test_dask_cluster.py grades real notebooks on a real cluster.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from ipt_widgets.instructor import dask_grading, gradebook_rows
from ipt_widgets.instructor.dask_grading import grade_jobs, scheduler_setting
from ipt_widgets.instructor.grading_task import GradedSubmission, read_tree, write_tree
from nbgrader.api import Gradebook

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
COURSE_ID = "dask-test"
STUDENTS = ["s1", "s2", "boom", "s3"]


@pytest.fixture
def course(tmp_path) -> Path:
    """A course with one assignment (one notebook, one 2-point test cell) and four submissions."""
    from ipt_widgets.instructor.nbgrader_api import scripts_on_path

    scripts_on_path()  # a new gradebook runs `alembic`
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    (tmp_path / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.db_url = {url!r}\nc.CourseDirectory.course_id = {COURSE_ID!r}\n"
    )
    with Gradebook(url, COURSE_ID) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb1", "a1")
        gb.add_grade_cell("test1", "nb1", "a1", max_score=2, cell_type="code")
        gb.add_grade_cell("essay", "nb1", "a1", max_score=4, cell_type="markdown")
        gb.add_solution_cell("essay", "nb1", "a1")
        gb.add_source_cell("test1", "nb1", "a1", cell_type="code", locked=True, source="2.0", checksum="x")
    for folder in ("solutions/a1", "exercises/a1"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "nb1.ipynb").write_text("{}")
    for n, student in enumerate(STUDENTS):
        write_tree(tmp_path / "submitted" / student / "a1", {"nb1.ipynb": f"answer {n}".encode()})
    return tmp_path


def attempts_dir() -> Path:
    return Path(os.environ["IPT_TEST_ATTEMPTS"])


def stand_in(task, bundle) -> GradedSubmission:
    """Scores 2 for an answer file that says so; raises for the trainee called 'boom'."""
    (attempts_dir() / f"{task.student}.{time.monotonic_ns()}").touch()
    if task.student == "boom":
        raise RuntimeError("this submission breaks the grader")
    assert bundle.rows["name"] == "a1" and "nb1.ipynb" in bundle.release
    score = 2.0 if task.files["nb1.ipynb"].startswith(b"answer") else 0.0
    grades = {"test1": [score, False], "essay": [None, True]}
    rows = {"timestamp": None, "notebooks": {"nb1": {"late_submission_penalty": 0.0, "grades": grades, "comments": {}}}}
    files = {"nb1.ipynb": b"graded " + task.files["nb1.ipynb"]}
    return GradedSubmission(task.assignment, task.student, True, files=files, rows=rows, seconds={"task": 0.01})


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "local-cluster"])
def test_a_failing_task_is_reported_once_and_the_others_are_written(course, tmp_path, monkeypatch, workers):
    monkeypatch.setenv("IPT_TEST_ATTEMPTS", str(tmp_path))
    monkeypatch.delenv(dask_grading.SCHEDULER_ENV, raising=False)
    seen = []
    run = grade_jobs(
        course, [("a1", s) for s in STUDENTS], workers=workers, task_fn=stand_in, progress=lambda j, ok: seen.append(j)
    )
    assert sorted(seen) == sorted(("a1", s) for s in STUDENTS)
    assert run.outcomes[("a1", "boom")] == (False, "RuntimeError: this submission breaks the grader")
    assert all(run.outcomes[("a1", s)] == (True, "") for s in STUDENTS if s != "boom")
    assert len(list(tmp_path.glob("boom.*"))) == 1, "a task that fails on its own is not run again"
    assert run.retried == set()
    assert (course / "autograded" / "s2" / "a1" / "nb1.ipynb").read_bytes() == b"graded answer 1"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        assert [gb.find_submission("a1", s).score for s in ("s1", "s2", "s3")] == [2.0, 2.0, 2.0]
        assert gb.find_grade("essay", "nb1", "a1", "s1").needs_manual_grade


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "local-cluster"])
def test_a_batch_grades_each_trainee_and_one_failure_fails_no_batch_mate(course, tmp_path, monkeypatch, workers):
    monkeypatch.setenv("IPT_TEST_ATTEMPTS", str(tmp_path))
    monkeypatch.delenv(dask_grading.SCHEDULER_ENV, raising=False)
    run = grade_jobs(course, [("a1", s) for s in STUDENTS], workers=workers, task_fn=stand_in, batch=2)
    assert (run.batch, run.tasks) == (2, 2)  # s1+s2, boom+s3
    assert run.outcomes[("a1", "boom")] == (False, "RuntimeError: this submission breaks the grader")
    assert run.outcomes[("a1", "s3")] == (True, ""), "boom's batch-mate is graded"
    assert len(list(tmp_path.glob("s3.*"))) == 1 and len(list(tmp_path.glob("boom.*"))) == 1
    assert (course / "autograded" / "s3" / "a1" / "nb1.ipynb").read_bytes() == b"graded answer 3"


def test_the_batch_size_gives_each_worker_about_four_tasks_of_at_most_sixteen():
    from ipt_widgets.instructor.dask_grading import batch_size, batches

    assert batch_size(6, 2) == 1  # a small cohort: a task per trainee
    assert batch_size(64 * 11, 2) == 16  # capped: a short tail
    assert batch_size(64, 2) == 8
    assert batch_size(10_000, 100) == 16 and batch_size(1000, 100) == 3
    jobs = [("a", "s1"), ("a", "s2"), ("b", "s1"), ("a", "s3")]
    assert batches(jobs, 2) == [[("a", "s1"), ("a", "s2")], [("a", "s3")], [("b", "s1")]]


def test_batches_taper_towards_the_end_so_no_worker_waits_long_for_the_last():
    from ipt_widgets.instructor.dask_grading import batches

    jobs = [(f"m{a:02d}", f"s{s:02d}") for a in range(11) for s in range(64)]
    sizes = [len(b) for b in batches(jobs, 16, taper=2)]
    assert sum(sizes) == len(jobs) and max(sizes) == 16
    assert sizes[:36] == [16] * 36 and sizes[-1] == 1  # full batches first, then shorter and shorter
    assert all(later <= earlier for earlier, later in zip(sizes[36:], sizes[37:]))
    tapered = batches(jobs, 16, taper=2)
    assert [job for b in tapered for job in b] == jobs and all(len({a for a, _ in b}) == 1 for b in tapered)


def test_each_worker_takes_its_own_run_of_batches_then_the_ends_of_the_others():
    from ipt_widgets.instructor.dask_grading import WorkQueues

    groups = [[("a", "s1")], [("a", "s2")], [("b", "s1")], [("b", "s2")], [("c", "s1")]]
    queues = WorkQueues(groups, ["w1", "w2"])
    assert [queues.take("w1")[0] for _ in range(3)] == [0, 1, 2]  # its own run: a, a, b
    assert queues.take("w1")[0] == 4  # then the far end of w2's run
    assert queues.take("w2")[0] == 3 and queues.take("w2") is None and queues.take("w1") is None
    any_worker = WorkQueues(groups, ["w1", "w2"])
    taken = [any_worker.take(w) for w in (None, "gone", None, "w2", "w1")]
    assert sorted(n for n, _ in taken) == [0, 1, 2, 3, 4] and any_worker.take(None) is None
    assert WorkQueues([], []).take(None) is None


def test_workers_with_more_than_one_thread_are_named():
    from ipt_widgets.instructor.dask_grading import threads_note

    assert threads_note({"tcp://a": {"nthreads": 1}, "tcp://b": {"nthreads": 1}}) == ""
    note = threads_note({"tcp://a": {"nthreads": 1}, "tcp://b": {"nthreads": 4}})
    assert "tcp://b" in note and "tcp://a" not in note and "--nthreads 1" in note


def test_a_manual_score_survives_regrading_and_asks_for_review(course, tmp_path):
    url = f"sqlite:///{course / 'gradebook.db'}"
    rows = {"timestamp": None, "notebooks": {"nb1": {"late_submission_penalty": 0.0, "grades": {}, "comments": {}}}}
    rows["notebooks"]["nb1"]["grades"] = {"test1": [1.0, False], "essay": [None, True]}
    with Gradebook(url, COURSE_ID) as gb:
        gradebook_rows.write_graded(gb, "a1", "s1", rows)
        gb.find_grade("essay", "nb1", "a1", "s1").manual_score = 3.0
        gb.db.commit()
        prior = gradebook_rows.prior_rows(gb, "a1", "s1")
        spec = gradebook_rows.assignment_rows(gb, "a1")
    assert prior["manual"] == {"nb1/essay": 3.0}
    copy = f"sqlite:///{tmp_path / 'task.db'}"  # the fixture put `alembic` on PATH
    with Gradebook(copy, COURSE_ID) as gb:  # a task's own gradebook, built from the rows
        gradebook_rows.build_assignment(gb, spec)
        gradebook_rows.seed_prior(gb, "a1", "s1", prior)
        assert gb.find_grade("essay", "nb1", "a1", "s1").manual_score == 3.0
        assert gb.find_source_cell("test1", "nb1", "a1").source == "2.0"
    with Gradebook(url, COURSE_ID) as gb:
        gradebook_rows.write_graded(gb, "a1", "s1", rows)  # graded again: the manual score stays
        assert gb.find_submission("a1", "s1").score == 4.0


def test_a_locked_gradebook_is_waited_for(course):
    url = f"sqlite:///{course / 'gradebook.db'}"
    rows = {"timestamp": None, "notebooks": {"nb1": {"late_submission_penalty": 0.0, "grades": {}, "comments": {}}}}
    rows["notebooks"]["nb1"]["grades"] = {"test1": [2.0, False], "essay": [None, True]}
    holder = sqlite3.connect(course / "gradebook.db", check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(1.0, holder.rollback)
    release.start()
    with Gradebook(gradebook_rows.patient_url(url), COURSE_ID) as gb:
        gradebook_rows.write_patiently(gb, "a1", "s1", rows)
    release.join()
    with Gradebook(url, COURSE_ID) as gb:
        assert gb.find_submission("a1", "s1").score == 2.0


def test_files_that_would_leave_the_folder_are_refused(tmp_path):
    for name in ("../escape.txt", "/etc/passwd", "a/../../b"):
        with pytest.raises(ValueError, match="leaves"):
            write_tree(tmp_path / "graded", {name: b"x"})
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.json").write_text("{}")
    (tmp_path / "in" / "link.json").symlink_to(tmp_path / "in" / "ok.json")
    assert read_tree(tmp_path / "in") == {"ok.json": b"{}"}, "links are never read"


def test_the_scheduler_comes_from_the_flag_then_the_environment_then_the_config(course, monkeypatch):
    monkeypatch.delenv(dask_grading.SCHEDULER_ENV, raising=False)
    assert scheduler_setting(course) is None
    with open(course / "nbgrader_config.py", "a") as f:
        f.write("c.DaskGrading.scheduler = 'tcp://config:8786'\n")
    assert scheduler_setting(course) == "tcp://config:8786"
    monkeypatch.setenv(dask_grading.SCHEDULER_ENV, "tcp://env:8786")
    assert scheduler_setting(course) == "tcp://env:8786"
    assert scheduler_setting(course, "tcp://flag:8786") == "tcp://flag:8786"


class FakeAPI:
    """nbgrader's API as a task sees it: one scripted result per call."""

    def __init__(self, *results):
        self.results, self.calls = list(results), 0

    def autograde(self, assignment, student):
        self.calls += 1
        return self.results.pop(0)


PORT_RACE = {"success": False, "log": "zmq.error.ZMQError: Address already in use", "error": "NbGraderException"}
TASK = type("Task", (), {"assignment": "a1", "student": "s1"})()


def test_a_kernel_that_could_not_start_is_graded_again_once_and_nothing_else_is():
    from ipt_widgets.instructor.grading_task import _autograde

    api = FakeAPI(PORT_RACE, {"success": True})
    assert _autograde(api, TASK) == (True, "") and api.calls == 2
    api = FakeAPI(PORT_RACE, PORT_RACE)
    assert not _autograde(api, TASK)[0] and api.calls == 2
    timeout = {"success": False, "log": "CellTimeoutError: a cell timed out", "error": "NbGraderException"}
    api = FakeAPI(timeout)
    assert not _autograde(api, TASK)[0] and api.calls == 1
