"""A real Dask cluster on loopback: `dask scheduler` and two `dask worker` processes, as an
instructor would start them, grading a small cohort of real notebooks.

Every score must equal the serial run's and the gradebook must stay whole; a worker killed
(SIGKILL) while it grades loses only that task (a batch of two trainees), which is graded again
elsewhere, once.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]
REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = "m07_techniques"
PROFILES = ["strong", "partial", "blank", "strong", "partial", "strong"]
STUDENTS = [f"t{n}" for n in range(len(PROFILES))]
VICTIM = "t0"  # the first job: no earlier result waits on its worker to be fetched
STALL_ENV = "IPT_TEST_STALL_DIR"
WAIT = 600  # seconds: generous, for a loaded 2-core machine; every wait below ends on an event


def grade_or_stall(task, bundle):
    """The victim's first attempt says where it runs, then waits to be killed; every other grades."""
    from ipt_widgets.instructor.grading_task import grade_submission

    marker = Path(os.environ[STALL_ENV]) / f"{task.student}.pid"
    if task.student == VICTIM and not marker.exists():
        aside = marker.with_suffix(".tmp")
        aside.write_text(str(os.getpid()))
        aside.replace(marker)
        time.sleep(WAIT)  # the test kills this process long before
    return grade_submission(task, bundle)


def _until(check, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _address(file: Path) -> str | None:
    try:
        return json.loads(file.read_text()).get("address")
    except (OSError, ValueError):  # not written yet, or half written
        return None


def make_cohort(root: Path) -> Path:
    from ipt_widgets.instructor.cohort import answer_key, manual_answers, write_submission
    from ipt_widgets.instructor.cycle import prepare_course
    from ipt_widgets.instructor.nbgrader_api import in_dir, make_api

    course = prepare_course(REPO, root)
    with in_dir(course):
        assert make_api(course).generate_assignment(ASSIGNMENT, force=True)["success"]
    solutions = course / "solutions" / ASSIGNMENT
    key, manual = answer_key(solutions), manual_answers(solutions)
    for n, (student, profile) in enumerate(zip(STUDENTS, PROFILES)):
        release = course / "exercises" / ASSIGNMENT
        write_submission(course / "submitted" / student / ASSIGNMENT, release, ASSIGNMENT, key, manual, profile, n)
    return course


def scores_and_integrity(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM submitted_assignment").fetchone()[0] == len(STUDENTS)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "ipt-depression") as gb:
        return {s: gb.find_submission(ASSIGNMENT, s).score for s in STUDENTS}


@pytest.fixture(scope="module")
def serial_scores(tmp_path_factory) -> dict[str, float]:
    from ipt_widgets.instructor.dask_grading import grade_jobs

    course = make_cohort(tmp_path_factory.mktemp("serial") / "course")
    run = grade_jobs(course, [(ASSIGNMENT, s) for s in STUDENTS], workers=1, scheduler=None)
    assert run.where == "this process" and all(ok for ok, _ in run.outcomes.values()), run.outcomes
    scores = scores_and_integrity(course)
    assert scores["t0"] > scores["t1"] > scores["t2"] == 0
    return scores


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """`dask scheduler` and two `dask worker` processes on loopback; yields (address, stall dir)."""
    root = tmp_path_factory.mktemp("cluster")
    stall = root / "stall"
    stall.mkdir()
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1",
        DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION="1.0",
        **{STALL_ENV: str(stall)},
    )
    dask = str(Path(sys.executable).parent / "dask")
    file = root / "scheduler.json"
    procs = []

    def start(*args: str, log: str) -> None:
        out = open(root / log, "w")
        procs.append(subprocess.Popen([dask, *args], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root))

    try:
        loopback = ["--host", "127.0.0.1", "--no-dashboard", "--scheduler-file", str(file)]
        start("scheduler", "--port", "0", *loopback, log="scheduler.log")  # a free port, named in the file
        address = _until(lambda: _address(file), "the scheduler")
        for name in ("w1", "w2"):
            one = ["--nthreads", "1", "--nworkers", "1", "--name", name, "--local-directory", str(root / name)]
            start("worker", *loopback, *one, log=f"{name}.log")
        from distributed import Client

        with Client(address, timeout="120s") as client:
            client.wait_for_workers(2, timeout=WAIT)
        yield address, stall
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_a_real_cluster_grades_as_the_serial_run_does(cluster, serial_scores, tmp_path):
    from ipt_widgets.instructor.dask_grading import grade_jobs

    address, _ = cluster
    course = make_cohort(tmp_path / "course")
    run = grade_jobs(course, [(ASSIGNMENT, s) for s in STUDENTS], scheduler=address)
    assert run.where == address
    assert all(ok for ok, _ in run.outcomes.values()), run.outcomes
    assert run.retried == set()
    assert len({t["where"] for t in run.timings}) == 2, "both workers graded"
    from ipt_widgets.nbgrader_execute import setting

    taken = {path.split(":")[0] for path in run.paths}
    assert taken == {setting()}, f"the path the notebooks took, as the workers report it: {run.paths}"
    assert scores_and_integrity(course) == serial_scores


def test_a_killed_worker_loses_only_its_task_which_is_graded_again(cluster, serial_scores, tmp_path):
    from ipt_widgets.instructor.dask_grading import grade_jobs

    address, stall = cluster
    course = make_cohort(tmp_path / "course")
    jobs = [(ASSIGNMENT, s) for s in STUDENTS]
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(grade_jobs, course, jobs, scheduler=address, task_fn=grade_or_stall, batch=2)
        marker = stall / f"{VICTIM}.pid"
        pid = int(_until(lambda: marker.exists() and marker.read_text(), "the victim's task to start"))
        os.kill(pid, signal.SIGKILL)
        run = running.result(timeout=WAIT)
    assert all(ok for ok, _ in run.outcomes.values()), run.outcomes
    assert run.tasks == 3
    assert run.retried == {(ASSIGNMENT, s) for s in STUDENTS[:2]}, "only the killed worker's batch ran twice"
    victim = next(t for t in run.timings if t["job"] == (ASSIGNMENT, VICTIM))
    assert not victim["where"].endswith(f":{pid}"), "graded by another worker process"
    assert scores_and_integrity(course) == serial_scores
