"""Parallel autograding: the coordinator never hangs or loses a result, and workers grade the
same as one process does."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from ipt_widgets.instructor.parallel import LOST, THREAD_VARS, autograde_jobs

JOBS = [("a1", f"s{n}") for n in range(6)]


@pytest.fixture
def bare_course(tmp_path) -> Path:
    """Just enough of a course for the coordinator: a config naming a SQLite gradebook."""
    (tmp_path / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.db_url = 'sqlite:///{tmp_path / 'gradebook.db'}'\n"
    )
    sqlite3.connect(tmp_path / "gradebook.db").close()
    return tmp_path


# Worker stand-ins: module-level, so spawned processes can import them.
def reporting_worker(index, course, db_url, shard_url, threads, tasks, results):
    """Grades nothing; reports which shard and thread settings it was given."""
    while (job := tasks.get()) is not None:
        settings = {var: os.environ.get(var) for var in THREAD_VARS}
        results.put((index, job, True, f"{shard_url}|{threads}|{settings}"))
    results.put((index, None, True, ""))


def dying_worker(index, course, db_url, shard_url, threads, tasks, results):
    """Whichever worker takes the first job dies holding it, without a word; the other works on.

    (Keyed on the job, not the worker: with instant fake jobs, a worker that starts late may
    find the queue already empty.)"""
    while (job := tasks.get()) is not None:
        if job == JOBS[0]:
            os._exit(9)
        results.put((index, job, True, ""))
    results.put((index, None, True, ""))


def dead_on_arrival(index, course, db_url, shard_url, threads, tasks, results):
    os._exit(9)


def test_every_job_is_reported_once_with_its_own_shard(bare_course):
    seen = []
    results = autograde_jobs(
        bare_course, JOBS, 2, worker=reporting_worker, grade_here=False, progress=lambda j, ok: seen.append(j)
    )
    assert set(results) == set(JOBS) and sorted(seen) == sorted(JOBS)
    shards = {error.split("|")[0] for _, error in results.values()}
    assert shards <= {f"sqlite:///{bare_course / '.grading-shards' / f'gradebook-{i}.db'}" for i in range(2)}
    assert not (bare_course / ".grading-shards").exists(), "shards are removed after the run"


def test_kernels_get_an_equal_share_of_the_cores(bare_course, monkeypatch):
    for var in THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    results = autograde_jobs(bare_course, JOBS, 2, worker=reporting_worker, grade_here=False)
    share = str(max(1, (os.cpu_count() or 1) // 2))
    for _, error in results.values():
        _, threads, settings = error.split("|")
        assert threads == share
        assert settings == str({var: share for var in THREAD_VARS})


def test_an_instructors_own_thread_setting_wins(bare_course, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    results = autograde_jobs(bare_course, JOBS[:2], 2, worker=reporting_worker, grade_here=False)
    assert all("'OMP_NUM_THREADS': '3'" in error for _, error in results.values())


def test_a_worker_that_dies_loses_only_its_own_job(bare_course):
    results = autograde_jobs(bare_course, JOBS, 2, worker=dying_worker, grade_here=False)  # must return, not hang
    lost = [job for job, outcome in results.items() if outcome == (False, LOST)]
    assert lost == [JOBS[0]], "the job the dead worker held is reported as not graded"
    assert all(ok for job, (ok, _) in results.items() if job not in lost), "the other worker graded the rest"


def test_when_every_worker_dies_all_jobs_are_reported(bare_course):
    results = autograde_jobs(bare_course, JOBS, 2, worker=dead_on_arrival, grade_here=False)
    assert results == {job: (False, LOST) for job in JOBS}


@pytest.mark.slow
def test_two_workers_grade_as_one_process_does(tmp_path):
    """Real nbgrader: the same cohort graded serially and by two workers, into two gradebooks."""
    from ipt_widgets.instructor.cohort import answer_key, manual_answers, write_submission
    from ipt_widgets.instructor.cycle import prepare_course
    from ipt_widgets.instructor.parallel import make_api
    from nbgrader.api import Gradebook

    from tests.conftest import REPO

    assignment, profiles = "m07_techniques", ["strong", "partial", "blank", "strong"]
    scores = {}
    for workers in (1, 2):
        course = prepare_course(REPO, tmp_path / f"course-{workers}")
        before = os.getcwd()
        try:
            os.chdir(course)
            assert make_api(course).generate_assignment(assignment, force=True)["success"]
        finally:
            os.chdir(before)
        solutions = course / "solutions" / assignment
        key, manual = answer_key(solutions), manual_answers(solutions)
        students = [f"t{n}" for n in range(len(profiles))]
        for n, (sid, profile) in enumerate(zip(students, profiles)):
            write_submission(
                course / "submitted" / sid / assignment,
                course / "exercises" / assignment,
                assignment,
                key,
                manual,
                profile,
                n,
            )
        results = autograde_jobs(course, [(assignment, s) for s in students], workers)
        assert all(ok for ok, _ in results.values()), results
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            scores[workers] = {s: gb.find_submission(assignment, s).score for s in students}
        with sqlite3.connect(course / "gradebook.db") as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert scores[1] == scores[2]
    assert scores[1]["t0"] > scores[1]["t1"] > scores[1]["t2"] == 0


class FakeAPI:
    """nbgrader's API as _grade sees it: one scripted result per call."""

    def __init__(self, *results):
        self.results, self.calls = list(results), 0

    def autograde(self, assignment, student):
        self.calls += 1
        return self.results.pop(0)


PORT_RACE = {"success": False, "log": "zmq.error.ZMQError: Address already in use", "error": "NbGraderException"}


def test_a_kernel_that_could_not_start_is_graded_again_once():
    from ipt_widgets.instructor.parallel import _grade

    api = FakeAPI(PORT_RACE, {"success": True, "log": "", "error": ""})
    assert _grade(api, JOBS[0]) == (True, "") and api.calls == 2
    api = FakeAPI(PORT_RACE, PORT_RACE)
    assert _grade(api, JOBS[0]) == (False, "NbGraderException") and api.calls == 2


def test_a_locked_gradebook_is_waited_for_then_reported(monkeypatch):
    from ipt_widgets.instructor import parallel

    monkeypatch.setattr("time.sleep", lambda s: None)
    locked = {"success": False, "log": "sqlite3.OperationalError: database is locked", "error": "NbGraderException"}
    api = FakeAPI(locked, locked, {"success": True, "log": "", "error": ""})
    assert parallel._grade(api, JOBS[0]) == (True, "") and api.calls == 3
    api = FakeAPI(locked, locked, locked)
    assert parallel._grade(api, JOBS[0]) == (False, "NbGraderException") and api.calls == 3


def test_a_submission_that_fails_on_its_own_is_not_graded_twice():
    from ipt_widgets.instructor.parallel import _grade

    timeout = {"success": False, "log": "CellTimeoutError: a cell timed out", "error": "NbGraderException"}
    api = FakeAPI(timeout)
    assert _grade(api, JOBS[0]) == (False, "NbGraderException") and api.calls == 1
