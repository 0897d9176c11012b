"""Autograde a cohort across the machine's cores without corrupting the gradebook.

SQLite takes one writer at a time, so parallel workers never share it: each worker grades its
share of the trainees into its own copy of the gradebook (a *shard*), and the shards' results
are merged into the course gradebook at the end, in one process. With PostgreSQL (a ``db_url``
starting ``postgresql``) the workers write to the one gradebook directly: it takes concurrent
writers.

Each worker runs nbgrader in-process through :class:`nbgrader.apps.NbGraderAPI`, so nbgrader's
start-up (about 3 s) is paid once per worker, not once per trainee.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path


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


def make_api(course: Path, db_url: str | None = None):
    """An in-process nbgrader API for the course (quiet: errors are returned, not printed)."""
    import logging

    from nbgrader.apps import NbGraderAPI
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    config = load_config(course, db_url)
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir, Authenticator(config=config), config=config)
    api.log.setLevel(logging.ERROR)
    return api


def _worker(course: str, assignment: str, students: list[str], db_url: str, queue) -> None:
    # Each worker is its own process (spawned, not forked: nbgrader starts kernels and ZMQ).
    os.chdir(course)
    api = make_api(Path(course), db_url)
    for student in students:
        started = time.perf_counter()
        result = api.autograde(assignment, student)
        queue.put((student, bool(result.get("success")), result.get("error") or "", time.perf_counter() - started))
    queue.put(None)


def autograde_cohort(
    course: Path,
    assignment: str,
    students: Iterable[str],
    workers: int = 1,
    *,
    db_url: str | None = None,
    progress: Callable[[str, bool], None] | None = None,
) -> dict[str, tuple[bool, str]]:
    """Autograde ``students``' submissions of ``assignment``; return student -> (ok, error log).

    ``workers`` processes share the trainees round-robin. A failed submission is reported and
    never stops the others. ``progress(student, ok)`` is called as each one finishes.
    """
    course = Path(course).resolve()
    students = list(students)
    url = db_url or course_db_url(course)
    workers = max(1, min(workers, len(students) or 1))
    shared = url.startswith("postgresql") or workers == 1
    shards = [students[i::workers] for i in range(workers)]
    urls = []
    shard_dir = course / ".grading-shards"
    if not shared:
        if not url.startswith("sqlite:///"):
            raise ValueError(f"parallel grading needs a SQLite file or PostgreSQL gradebook, got {url}")
        master = Path(url.removeprefix("sqlite:///"))
        shutil.rmtree(shard_dir, ignore_errors=True)
        shard_dir.mkdir()
        for i in range(workers):
            copy = shard_dir / f"gradebook-{i}.db"
            shutil.copy(master, copy)
            urls.append(f"sqlite:///{copy}")
    else:
        urls = [url] * workers
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    procs = [
        context.Process(target=_worker, args=(str(course), assignment, shard, shard_url, queue), daemon=True)
        for shard, shard_url in zip(shards, urls)
        if shard
    ]
    for proc in procs:
        proc.start()
    results: dict[str, tuple[bool, str]] = {}
    running = len(procs)
    while running:
        item = queue.get()
        if item is None:
            running -= 1
            continue
        student, ok, error, _seconds = item
        results[student] = (ok, error)
        if progress:
            progress(student, ok)
    for proc in procs:
        proc.join()
    for student in students:
        results.setdefault(student, (False, "the grading worker stopped before grading this submission"))
    if not shared:
        for shard_url, shard in zip(urls, shards):
            merge_gradebook(shard_url, url, assignment, [s for s in shard if results[s][0]])
        shutil.rmtree(shard_dir, ignore_errors=True)
    return results


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
