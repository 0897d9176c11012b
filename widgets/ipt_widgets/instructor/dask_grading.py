"""Grade a cohort on Dask: a task per batch of one assignment's trainees; the instructor's process writes.

Each (assignment, trainee) submission is graded by :func:`.grading_task.grade_submission`: it
takes the trainee's files and what it needs of the assignment, and returns the graded notebooks
and grade rows. A Dask task grades a batch of one assignment's trainees
(:func:`.grading_task.grade_batch`): on the in-process path a notebook costs a fraction of a
second, so a task per trainee would pay Dask's own cost per task more than the grading. The batch
size (:func:`batch_size`) gives each worker about four tasks and a batch at most
:data:`MAX_BATCH` trainees; ``batch=1`` is a task per trainee.

Nothing is shared but what the tasks carry, so the workers may be this machine's cores (a
``LocalCluster``, started and closed here: one single-threaded worker process per core), a
Kubernetes cluster (dask-kubernetes) or an HPC allocation (dask-jobqueue). This process, the
coordinator, writes each result into the course (``autograded/``) and the course gradebook
(SQLite or PostgreSQL) as it arrives: no other process ever writes the gradebook.

Which cluster: ``scheduler`` (``--scheduler tcp://host:8786``), else ``$IPT_DASK_SCHEDULER``, else
``c.DaskGrading.scheduler`` in ``nbgrader_config.py``, else a LocalCluster of ``workers``
processes; ``workers=1`` without a scheduler grades in this process, through the same task.

A worker that dies (killed, out of memory) loses only the batch it was running: Dask runs that
batch again once elsewhere (``allowed-failures: 1``; set it on a scheduler you start yourself)
and a second death reports its trainees. A submission that fails on its own is reported and never
run again, and never stops the others, in its batch or elsewhere.

Workers should be single-threaded processes (a LocalCluster's are): the in-process path changes
the working directory, ``sys.stdout`` and a timer for the whole process, so a worker with more
threads grades one submission at a time anyway (a lock) and the run says so.
"""

from __future__ import annotations

import collections
import logging
import math
import os
import shutil
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .gradebook_rows import assignment_rows, ensure_indexes, patient_url, prior_rows, write_patiently
from .grading_task import (
    GradedSubmission,
    SubmissionTask,
    grade_batch,
    grade_submission,
    make_bundle,
    read_tree,
    write_tree,
)
from .nbgrader_api import course_db_url, course_id, load_config

Job = tuple[str, str]  # (assignment, student)
Outcome = tuple[bool, str]  # (graded, why not)
SCHEDULER_ENV = "IPT_DASK_SCHEDULER"
TOPIC = "ipt-grading"  # each task announces its start on it: how retries are counted
# One task at a time per single-threaded worker (none waits on a worker that may die), and a task
# whose worker dies is run once more, then reported.
# Set on the workers of a LocalCluster started here (a cluster you start yourself: see
# docs/deploy/dask.md). Measured on one worker against one process grading alone, the same 96
# submissions: 0.400 s a submission with Dask's defaults, 0.375 s with these. Dask's statistical
# profiler walks the grading thread's deep stack every 10 ms; its MALLOC_TRIM_THRESHOLD_ hands
# freed memory back to the system at once, which this allocation-heavy work then asks for again.
DASK_SETTINGS = {
    "distributed.scheduler.allowed-failures": 1,
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
}
DIED = "the worker grading it died, and died again when it was retried"
TASKS_PER_WORKER = 4  # enough tasks to keep every worker busy to the end
MAX_BATCH = 16  # trainees: a short tail, and progress at least every few seconds


@dataclass
class GradingRun:
    outcomes: dict[Job, Outcome] = field(default_factory=dict)
    retried: set[Job] = field(default_factory=set)  # started more than once (a worker died under it)
    timings: list[dict] = field(default_factory=list)  # per graded task: seconds inside it, where
    where: str = "this process"
    dashboard: str = ""
    startup: float = 0.0  # cluster start (or connection) and the assignments sent to it
    wall: float = 0.0  # from the first task sent to the last result written
    writing: float = 0.0  # the coordinator's time reading tasks and writing results (its ceiling)
    paths: set[str] = field(default_factory=set)  # the paths the graded notebooks took
    batch: int = 1  # trainees per task
    tasks: int = 0  # Dask tasks (batches) sent
    note: str = ""  # e.g. workers with more than one thread


def batch_size(jobs: int, workers: int, per_worker: int = TASKS_PER_WORKER, most: int = MAX_BATCH) -> int:
    """Trainees per task: about ``per_worker`` tasks per worker, at most ``most`` trainees in one."""
    return max(1, min(most, math.ceil(jobs / (max(1, workers) * max(1, per_worker)))))


def batches(jobs: list[Job], size: int, taper: int = 0) -> list[list[Job]]:
    """The jobs in batches of at most ``size``, each of one assignment (in the jobs' order).

    With ``taper`` (the number of workers), batches shrink towards the end, to about a
    ``TASKS_PER_WORKER``-th of what is left per worker: the last tasks are short, so no worker
    waits long for another to finish (64 trainees x 11 assignments on 2 workers: 4-5 s saved).
    """
    by_assignment: dict[str, list[Job]] = {}
    for job in jobs:
        by_assignment.setdefault(job[0], []).append(job)
    out, left = [], len(jobs)
    for group in by_assignment.values():
        i = 0
        while i < len(group):
            n = min(size, math.ceil(left / (taper * TASKS_PER_WORKER))) if taper else size
            out.append(group[i : i + max(1, n)])
            i += len(out[-1])
            left -= len(out[-1])
    return out


def scheduler_setting(course: Path, scheduler: str | None = None) -> str | None:
    """The scheduler address to use, from the argument, the environment or the course's config."""
    if scheduler:
        return scheduler
    if os.environ.get(SCHEDULER_ENV, "").strip():
        return os.environ[SCHEDULER_ENV].strip()
    value = load_config(course).get("DaskGrading", {}).get("scheduler")
    return value if isinstance(value, str) and value.strip() else None


def run_batch(task_fn: Callable, tasks: list[SubmissionTask], bundle) -> list[GradedSubmission]:
    """What a Dask worker runs: announce the start (retries are counted from it), then grade."""
    address = ""
    try:
        from distributed import get_worker

        jobs = [[task.assignment, task.student] for task in tasks]
        worker = get_worker()
        worker.log_event(TOPIC, {"jobs": jobs, "pid": os.getpid()})
        address = worker.address
    except (ImportError, ValueError):  # not on a Dask worker
        pass
    results = grade_batch(task_fn, tasks, bundle)
    for result in results:
        result.worker = address
    return results


class Coordinator:
    """Reads what each task needs from the course, and writes each result back: the only writer."""

    def __init__(self, course: Path, db_url: str | None, total: int, progress, bar: bool):
        self.course, self.url = course, db_url or course_db_url(course)
        self.course_id = course_id(load_config(course))
        self.run, self.progress, self._bundles, self._gradebook = GradingRun(), progress, {}, None
        self.bar = None
        if bar:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="grading", unit="submission", file=sys.stdout, dynamic_ncols=True)
        self.total = total

    @property
    def gradebook(self):
        """The course gradebook, opened once for the whole run (this process is its only writer)."""
        if self._gradebook is None:
            from nbgrader.api import Gradebook

            self._gradebook = Gradebook(patient_url(self.url), self.course_id)
            ensure_indexes(self._gradebook)
        return self._gradebook

    def bundle(self, assignment: str):
        if assignment not in self._bundles:
            rows = assignment_rows(self.gradebook, assignment)
            self._bundles[assignment] = make_bundle(self.course, assignment, rows)
        return self._bundles[assignment]

    def task(self, job: Job) -> SubmissionTask:
        started = time.perf_counter()
        assignment, student = job
        files = read_tree(self.course / "submitted" / student / assignment)
        prior = prior_rows(self.gradebook, assignment, student)
        self.gradebook.db.commit()  # ends the read: no lock is held while the task runs
        self.run.writing += time.perf_counter() - started
        return SubmissionTask(assignment, student, files, prior)

    def record(self, result: GradedSubmission) -> None:
        started = time.perf_counter()
        try:
            self._record(result)
        finally:
            self.run.writing += time.perf_counter() - started

    def _record(self, result: GradedSubmission) -> None:
        job = (result.assignment, result.student)
        self.run.paths.add(result.path)
        if not result.ok:
            return self._done(job, False, result.error or "not graded")
        try:
            folder = self.course / "autograded" / result.student / result.assignment
            shutil.rmtree(folder, ignore_errors=True)
            write_tree(folder, result.files)
            write_patiently(self.gradebook, result.assignment, result.student, result.rows)
        except Exception as exc:
            return self._done(job, False, f"graded, but not written to the course: {type(exc).__name__}: {exc}")
        self.run.timings.append({"job": job, **result.seconds, "where": result.where})
        self._done(job, True, "")

    def tasks(self, jobs: list[Job]) -> list[SubmissionTask]:
        """The batch's submissions; a trainee whose files cannot be read is reported, not sent."""
        tasks = []
        for job in jobs:
            try:
                tasks.append(self.task(job))
            except Exception as exc:  # unreadable files: this trainee only
                self._done(job, False, f"{type(exc).__name__}: {exc}")
        return tasks

    def failed(self, job: Job, exc: BaseException) -> None:
        from distributed import KilledWorker

        self._done(job, False, DIED if isinstance(exc, KilledWorker) else f"{type(exc).__name__}: {exc}")

    def _done(self, job: Job, ok: bool, error: str) -> None:
        self.run.outcomes[job] = (ok, error)
        if self.progress:
            self.progress(job, ok)
        if self.bar is not None:
            failed = sum(not ok for ok, _ in self.run.outcomes.values())
            done = len(self.run.outcomes)
            self.bar.set_postfix(graded=done - failed, failed=failed, left=self.total - done, refresh=False)
            self.bar.update()

    def close(self) -> None:
        if self._gradebook is not None:
            self._gradebook.close()
        if self.bar is not None:
            self.bar.close()


def grade_jobs(
    course: Path,
    jobs: Iterable[Job],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    db_url: str | None = None,
    progress: Callable[[Job, bool], None] | None = None,
    bar: bool = False,
    task_fn: Callable = grade_submission,
    log: Callable[[str], None] = print,
    batch: int | None = None,
) -> GradingRun:
    """Grade every (assignment, student) job; the outcomes say which were graded and why not.

    ``progress(job, ok)`` is called as each one is written; ``bar`` shows a progress bar (graded /
    failed / left); ``batch`` is trainees per task (default: :func:`batch_size`). Tests pass
    another ``task_fn`` (it must be importable on the workers).
    """
    course = Path(course).resolve()
    jobs = list(dict.fromkeys(jobs))
    coordinator = Coordinator(course, db_url, len(jobs), progress, bar)
    address = scheduler_setting(course, scheduler)
    workers = workers or os.cpu_count() or 1
    try:
        if not jobs:
            return coordinator.run
        coordinator.run.batch = batch or batch_size(len(jobs), workers)
        groups = batches(jobs, coordinator.run.batch, taper=0 if batch else workers)
        coordinator.run.tasks = len(groups)
        if address is None and workers <= 1:
            return _in_this_process(coordinator, groups, task_fn)
        return _on_dask(coordinator, groups, task_fn, address, workers, log)
    finally:
        coordinator.close()


def _in_this_process(coordinator: Coordinator, groups: list[list[Job]], task_fn: Callable) -> GradingRun:
    started = time.perf_counter()
    for jobs in groups:
        try:
            bundle = coordinator.bundle(jobs[0][0])
        except Exception as exc:  # the assignment itself cannot be read: its trainees only
            for job in jobs:
                coordinator._done(job, False, f"{type(exc).__name__}: {exc}")
            continue
        for result in run_batch(task_fn, coordinator.tasks(jobs), bundle):
            coordinator.record(result)
    coordinator.run.wall = time.perf_counter() - started
    return coordinator.run


def _start(address: str | None, workers: int):
    """A client on the given scheduler, or on a LocalCluster started here (returned to close)."""
    from distributed import Client, LocalCluster

    if address:
        return Client(address, timeout="120s"), None
    try:
        import bokeh  # noqa: F401  the dashboard needs it

        dashboard = ":0"
    except ImportError:
        dashboard = None
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=dashboard,
        silence_logs=logging.ERROR,
    )
    return Client(cluster), cluster


def _dashboard(client) -> str:
    try:
        return client.dashboard_link if "dashboard" in client.scheduler_info().get("services", {}) else ""
    except Exception:
        return ""


def _on_dask(coordinator: Coordinator, groups: list[list[Job]], task_fn, address, workers: int, log) -> GradingRun:
    import dask
    import distributed  # noqa: F401  its defaults must be loaded before DASK_SETTINGS overrides them

    with dask.config.set(DASK_SETTINGS):
        started = time.perf_counter()
        client, cluster = _start(address, workers)
        try:
            where = address or f"LocalCluster, {workers} workers"
            _grade_on(client, coordinator, groups, task_fn, where, started, log)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    return coordinator.run


def threads_note(workers_info: dict) -> str:
    """What to say about workers with more than one thread ("" when every one has one)."""
    many = sorted(addr for addr, info in workers_info.items() if info.get("nthreads", 1) > 1)
    if not many:
        return ""
    return (
        f"{len(many)} worker(s) have more than one thread ({', '.join(many[:3])}): each grades one submission "
        "at a time (the in-process path changes its process's working directory and output streams); "
        "start workers with --nthreads 1 and one process per core"
    )


def _grade_on(client, coordinator: Coordinator, groups: list[list[Job]], task_fn, where: str, started, log) -> None:
    run = coordinator.run
    starts: Counter = Counter()
    client.subscribe_topic(TOPIC, lambda event: starts.update(tuple(job) for job in event[1]["jobs"]))
    run.where, run.dashboard = where, _dashboard(client)
    info = client.scheduler_info()["workers"]
    run.note = threads_note(info)
    dashboard = f"; dashboard: {run.dashboard}" if run.dashboard else ""
    log(f"Grading on {run.where}, {run.batch} trainee(s) a task{dashboard}")
    if run.note:
        log(f"Note: {run.note}.")
    for aid in dict.fromkeys(group[0][0] for group in groups):
        coordinator.bundle(aid)  # every assignment read (and cached) before any task: a broken one stops the run here
    run.startup = time.perf_counter() - started
    started = time.perf_counter()
    _submit_all(client, coordinator, groups, task_fn, list(info))
    run.wall = time.perf_counter() - started
    run.retried = {job for job, n in starts.items() if n > 1}


def _submit_all(client, coordinator: Coordinator, groups, task_fn, workers: list[str]) -> None:
    """Keep two batches in flight per worker, the second waiting on that worker (the trainees'
    files are read as their batch's turn comes).

    Each next batch goes to the worker that has just finished one, from that worker's run of
    batches (:class:`WorkQueues`); if that worker is gone, anywhere (``allow_other_workers``). An
    unpinned queue of tasks that depended on scattered data left one of two workers idle for 18 s
    in a 1,408-notebook run, until Dask's work stealing moved a task.
    """
    from distributed import as_completed

    waiting, running, tag = WorkQueues(groups, workers), {}, uuid.uuid4().hex[:8]
    resubmitted: set[int] = set()
    # Results are fetched as soon as they are done: one left on a worker that then dies is lost and
    # Dask would grade it again.
    queue = as_completed(with_results=True, raise_errors=False)

    def submit_next(worker: str | None) -> None:
        while (item := waiting.take(worker)) is not None:
            n, jobs = item
            tasks = coordinator.tasks(jobs)
            if not tasks:
                continue
            submit(n, tasks, worker=worker)
            return

    def submit(n: int, tasks: list, again: str = "", worker: str | None = None) -> None:
        key = f"ipt-grade-{tag}-{tasks[0].assignment}-{n}{again}"
        where = {"workers": [worker], "allow_other_workers": True} if worker else {}
        # Each task carries its assignment's bundle (0.1-0.3 MB, read once by the coordinator)
        # rather than a scattered copy: eleven broadcasts cost 1-2 s before any grading began. A
        # worker still builds each assignment once (by the bundle's digest).
        bundle = coordinator.bundle(tasks[0].assignment)
        future = client.submit(run_batch, task_fn, tasks, bundle, key=key, pure=False, **where)
        running[future.key] = (n, tasks)
        queue.add(future)

    for i in range(2 * max(1, len(workers))):
        submit_next(workers[i % len(workers)] if workers else None)
    for future, result in queue:
        n, tasks = running.pop(future.key)
        jobs = [(task.assignment, task.student) for task in tasks]
        future.release()
        if _cancelled(result) and n not in resubmitted:
            # The scheduler dropped the task (seen on a loaded machine when a worker died: "already
            # forgotten"): nothing was graded, so it is submitted once more.
            resubmitted.add(n)
            submit(n, tasks, again="-again")
            continue
        submit_next(result[0].worker or None if isinstance(result, list) and result else None)
        if isinstance(result, list):
            for one in result:
                coordinator.record(one)
        else:  # an error comes as (type, exception, traceback); a cancelled task as the exception
            for job in jobs:
                coordinator.failed(job, result[1] if isinstance(result, tuple) else result)


class WorkQueues:
    """The batches in one contiguous run per worker, so that a worker grades one assignment after
    another and builds each one's scratch course once (two workers sharing one queue both built
    every assignment). A worker whose run is done takes from the end of the longest other run,
    where the batches are shortest (:func:`batches` tapers them), so both finish together."""

    def __init__(self, groups: list[list[Job]], workers: list[str]):
        items = list(enumerate(groups))
        n = max(1, len(workers))
        size = math.ceil(len(items) / n) if items else 0
        self.workers = list(workers)
        self.runs = [collections.deque(items[i * size : (i + 1) * size]) for i in range(n)]

    def take(self, worker: str | None):
        """The next (index, jobs) for ``worker`` (any worker: None), or None when all are taken."""
        if worker in self.workers and self.runs[self.workers.index(worker)]:
            return self.runs[self.workers.index(worker)].popleft()
        longest = max(self.runs, key=len)
        if not longest:
            return None
        return longest.pop() if worker in self.workers else longest.popleft()


def _cancelled(result) -> bool:
    """Did the task come back cancelled by the scheduler, rather than failing on its own?"""
    exc = result[1] if isinstance(result, tuple) else result
    return type(exc).__name__ in ("FutureCancelledError", "CancelledError")
