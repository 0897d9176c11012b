"""Autograde a cohort across the machine's cores without corrupting the gradebook.

SQLite takes one writer at a time, so parallel workers never share it: each worker grades into
its own copy of the gradebook (a *shard*), and the shards' results are merged into the course
gradebook at the end, in one process. With PostgreSQL (a ``db_url`` starting ``postgresql``)
the workers write to the one gradebook directly: it takes concurrent writers.

Three things make the parallel run pay (measured in ``make benchmark-grading``):

- nbgrader runs in-process through :class:`nbgrader.apps.NbGraderAPI`, so its start-up (about
  1.5 s) is paid once per worker, not once per submission; one pool of workers grades every
  (assignment, trainee) job of a run, not one pool per assignment; and the calling process,
  which has nbgrader loaded already, grades too, starting at once while the others start;
- the jobs sit in one queue that free workers take from, so a slow submission (a notebook that
  runs into the timeout) does not leave the other core idle;
- each worker's kernels get an equal share of the cores for their maths libraries
  (``OMP_NUM_THREADS`` and friends). Left alone, every kernel scoring free text starts one
  BLAS thread per core, and two workers' kernels fighting over two cores were 2.5 times slower
  than one worker.

A worker that dies (killed, out of memory) does not hang the run: its unfinished jobs are
reported as failed and the other workers go on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue as queue_module
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

Job = tuple[str, str]  # (assignment, student)
Outcome = tuple[bool, str]  # (graded, error log)
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
LOST = "the grading worker stopped before grading this submission"


def load_config(course: Path, db_url: str | None = None):
    """The course's nbgrader configuration (its nbgrader_config.py), optionally with another gradebook."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.merge(Config({"CourseDirectory": {"root": str(course)}}))
    if db_url:
        config.merge(Config({"CourseDirectory": {"db_url": db_url}}))
    return config


def course_db_url(course: Path) -> str:
    config = load_config(course)
    url = config.CourseDirectory.get("db_url")
    return url if isinstance(url, str) and url else f"sqlite:///{course / 'gradebook.db'}"


def scripts_on_path() -> None:
    # nbgrader runs the `alembic` command when it creates a gradebook; from an unactivated venv
    # (`.venv/bin/python -m ...`) that command is not on PATH unless we put it there.
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])


def make_api(course: Path, db_url: str | None = None, overrides: dict | None = None):
    """An in-process nbgrader API for the course (quiet: errors are returned, not printed)."""
    import logging

    from nbgrader.apps import NbGraderAPI
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    scripts_on_path()
    config = load_config(course, db_url)
    if overrides:
        from traitlets.config import Config

        config.merge(Config(overrides))
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir, Authenticator(config=config), config=config)
    api.log.setLevel(logging.ERROR)
    return api


@contextlib.contextmanager
def _in_dir(path: Path) -> Iterator[None]:
    # nbgrader resolves some paths against the working directory, not the course root.
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


# A kernel that could not start says nothing about the submission: jupyter_client picks free
# ports, then the kernel binds them, and between the two another grader's kernel can take one
# (seen once in about 500 parallel jobs). Such a job is graded again, once.
KERNEL_START_FAILURES = ("Address already in use", "Kernel died before replying to kernel_info")
# A gradebook held by another writer (another grader, a backup, a stray process) is waited for
# and tried again; after that only this submission is reported, and the run goes on.
LOCKED = ("database is locked",)


def _grade(api, job: Job, attempts: int = 3) -> Outcome:
    import time

    for attempt in range(1, attempts + 1):
        try:
            result = api.autograde(*job)
        except Exception as exc:  # one bad submission must never stop the others
            result = {"success": False, "error": f"{type(exc).__name__}: {exc}"}
        if result.get("success"):
            return True, ""
        report = f"{result.get('log') or ''}\n{result.get('error') or ''}"
        locked = any(lock in report for lock in LOCKED)
        port_race = any(failure in report for failure in KERNEL_START_FAILURES)
        if attempt == attempts or not (locked or (port_race and attempt < 2)):
            return False, result.get("error") or report
        time.sleep(2 * attempt if locked else 0)


def _worker(index: int, course: str, db_url: str, shard_url: str, threads: int, tasks, results) -> None:
    """One grading process: take jobs from ``tasks`` until the ``None`` that ends them.

    With a shard, each graded submission is copied into the course gradebook at once, so the
    course gradebook is complete up to the last finished job even if the run is stopped, and
    no merge is left for the end (where it would run in a process without nbgrader loaded).
    """
    os.chdir(course)
    api = make_api(Path(course), shard_url)
    while (job := tasks.get()) is not None:
        ok, error = _grade(api, job)
        if ok and shard_url != db_url:
            assignment, student = job
            try:
                merge_gradebook(shard_url, _patient(db_url), assignment, [student])
            except Exception as exc:
                ok, error = False, f"graded, but not copied into the course gradebook: {type(exc).__name__}: {exc}"
        results.put((index, job, ok, error))
    results.put((index, None, True, ""))


def _spawned(worker: Callable, index: int, course: str, db_url: str, shard_url: str, threads: int, tasks, results):
    """Entry point of a spawned grader (spawned, not forked: nbgrader starts kernels and ZMQ)."""
    # nbgrader imports nbformat, which imports jsonschema, which imports rfc3987_syntax if it is
    # installed (jupyter-events asks for it) to check "iri" formats; that module builds its
    # grammar at import, about 1 s of this worker's 1.7 s start (python-jsonschema/jsonschema
    # #1392). Grading never checks an "iri", and jsonschema skips the check when the import fails.
    sys.modules.setdefault("rfc3987_syntax", None)
    with _thread_share(threads):  # the kernels it starts inherit this environment
        worker(index, course, db_url, shard_url, threads, tasks, results)


def _patient(sqlite_url: str) -> str:
    # Workers copy into the course gradebook one at a time: SQLite's own lock serialises them
    # (and is released by the OS if a worker dies), so wait for it rather than fail.
    return f"{sqlite_url}{'&' if '?' in sqlite_url else '?'}timeout=60"


def autograde_jobs(
    course: Path,
    jobs: Iterable[Job],
    workers: int = 1,
    *,
    db_url: str | None = None,
    progress: Callable[[Job, bool], None] | None = None,
    grade_here: bool = True,
    worker: Callable = _worker,
) -> dict[Job, Outcome]:
    """Autograde every (assignment, student) job; return job -> (graded, error log).

    ``workers`` graders take jobs from one queue: this process (it has nbgrader loaded, so it
    starts at once, while the others start) and ``workers - 1`` spawned processes. A failed
    submission is reported and never stops the others; ``progress(job, ok)`` is called as each
    one finishes. Tests pass ``grade_here=False`` and swap in a ``worker`` that dies.
    """
    course = Path(course).resolve()
    jobs = list(dict.fromkeys(jobs))
    if not jobs:
        return {}
    from .warm import warm_embedding_cache

    # Sandboxed kernels read the embedding cache but may not write it: fill it here, once.
    warm_embedding_cache(course, sorted({aid for aid, _ in jobs}))
    url = db_url or course_db_url(course)
    workers = max(1, min(workers, len(jobs)))
    threads = max(1, (os.cpu_count() or 1) // workers)
    results: dict[Job, Outcome] = {}

    def record(job: Job, ok: bool, error: str) -> None:
        results[job] = (ok, error)
        if progress:
            progress(job, ok)

    if workers == 1 and grade_here:  # no process to start at all
        with _in_dir(course):
            api = make_api(course, url)
            for job in jobs:
                record(job, *_grade(api, job))
        return results

    spawned = workers - 1 if grade_here else workers
    shared = url.startswith("postgresql")
    shard_dir = course / ".grading-shards"
    if shared:
        urls = [url] * spawned
    else:
        if not url.startswith("sqlite:///"):
            raise ValueError(f"parallel grading needs a SQLite file or PostgreSQL gradebook, got {url}")
        shutil.rmtree(shard_dir, ignore_errors=True)
        shard_dir.mkdir()
        urls = []
        for i in range(spawned):
            copy = shard_dir / f"gradebook-{i}.db"
            shutil.copy(url.removeprefix("sqlite:///"), copy)
            urls.append(f"sqlite:///{copy}")

    context = multiprocessing.get_context("spawn")
    tasks, done_queue = context.Queue(), context.Queue()
    tasks.cancel_join_thread()  # if every worker died, unread jobs must not block our exit
    for job in jobs:
        tasks.put(job)
    for _ in range(workers):
        tasks.put(None)
    procs = [
        context.Process(
            target=_spawned, args=(worker, i, str(course), url, urls[i], threads, tasks, done_queue), daemon=True
        )
        for i in range(spawned)
    ]
    for proc in procs:
        proc.start()
    finished: set[int] = set()

    def collect(wait: float) -> bool:
        """Record one message from the workers; False if none came within ``wait`` seconds."""
        try:
            index, job, ok, error = done_queue.get(timeout=wait) if wait else done_queue.get_nowait()
        except queue_module.Empty:
            return False
        if job is None:
            finished.add(index)
        else:
            record(tuple(job), ok, error)
        return True

    try:
        if grade_here:
            # This process writes the course gradebook itself; workers copy into it between jobs.
            with _in_dir(course), _thread_share(threads):
                api = make_api(course, url)
                while (job := tasks.get()) is not None:
                    record(job, *_grade(api, job))
                    while collect(0):  # keep the progress bar moving for the workers' jobs too
                        pass
        while len(finished) < spawned:
            if collect(1.0):
                continue
            # A worker that died without saying so (killed, out of memory) is finished too.
            finished |= {i for i, p in enumerate(procs) if not p.is_alive() and p.exitcode != 0}
            if all(not p.is_alive() for p in procs):
                while collect(0.2):  # what the last of them sent before exiting
                    pass
                break
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
    for job in jobs:
        results.setdefault(job, (False, LOST))
    shutil.rmtree(shard_dir, ignore_errors=True)
    return results


@contextlib.contextmanager
def _thread_share(threads: int) -> Iterator[None]:
    """Give the kernels this process starts ``threads`` maths-library threads (unless set)."""
    added = [var for var in THREAD_VARS if var not in os.environ]
    os.environ.update({var: str(threads) for var in added})
    try:
        yield
    finally:
        for var in added:
            os.environ.pop(var, None)


def autograde_cohort(
    course: Path,
    assignment: str,
    students: Iterable[str],
    workers: int = 1,
    *,
    db_url: str | None = None,
    progress: Callable[[str, bool], None] | None = None,
) -> dict[str, Outcome]:
    """:func:`autograde_jobs` for one assignment: student -> (graded, error log)."""
    report = (lambda job, ok: progress(job[1], ok)) if progress else None
    results = autograde_jobs(course, [(assignment, s) for s in students], workers, db_url=db_url, progress=report)
    return {student: outcome for (_, student), outcome in results.items()}


def merge_gradebook(source_url: str, target_url: str, assignment: str, students: Iterable[str]) -> int:
    """Copy these students' graded submissions of ``assignment`` from one gradebook into another.

    Copies what autograde writes: the submission's timestamp and extension, each notebook's
    flag and late penalty, each grade's auto/manual score, extra credit and needs-manual-grade
    flag, and each comment. Returns the number of submissions copied.
    """
    from nbgrader.api import Gradebook, MissingEntry

    copied = 0
    with Gradebook(source_url) as source, Gradebook(target_url) as target:
        for student in students:
            try:
                sub = source.find_submission(assignment, student)
            except MissingEntry:
                continue
            st = sub.student
            target.update_or_create_student(
                student, first_name=st.first_name, last_name=st.last_name, email=st.email, lms_user_id=st.lms_user_id
            )
            new = target.update_or_create_submission(
                assignment, student, timestamp=sub.timestamp, extension=sub.extension
            )
            by_nb = {nb.name: nb for nb in new.notebooks}
            for nb in sub.notebooks:
                dest = by_nb[nb.name]
                dest.flagged = nb.flagged
                dest.late_submission_penalty = nb.late_submission_penalty
                grades = {g.name: g for g in dest.grades}
                for g in nb.grades:
                    t = grades[g.name]
                    t.auto_score, t.manual_score = g.auto_score, g.manual_score
                    t.extra_credit, t.needs_manual_grade = g.extra_credit, g.needs_manual_grade
                comments = {c.name: c for c in dest.comments}
                for c in nb.comments:
                    comments[c.name].auto_comment = c.auto_comment
                    comments[c.name].manual_comment = c.manual_comment
            target.db.commit()
            copied += 1
    return copied
