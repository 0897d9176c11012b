"""One grading task: a trainee's submission of one assignment in, the graded notebooks and grade rows out.

The task needs no shared filesystem and never opens the course gradebook, so it runs the same in
the instructor's process, on a Dask worker of a LocalCluster, or on a worker pod or HPC node
with only its own temporary folder. What it takes:

* an :class:`AssignmentBundle` (carried by each task, built into a scratch course once per
  assignment and worker): the course's ``nbgrader_config.py``, the assignment's source (``solutions/<id>/``) and release
  (``exercises/<id>/``) files, and the assignment's gradebook rows;
* a :class:`SubmissionTask`: the bytes of the trainee's submitted files (already rebuilt by the
  tidy step) and what the course gradebook holds for this submission (an extension, manual scores).

Each worker process builds, per assignment, a scratch course from the bundle and a template
gradebook from its rows; each task grades into a fresh copy of that template with nbgrader's own
``autograde`` (so the course's configuration applies: rebuild from the release, the guard, the
sandbox, and whichever execution path ``IPT_GRADING_PATH`` selects) and returns a
:class:`GradedSubmission`. A failure of the submission itself is returned (``ok=False``), never
raised, so the coordinator reports it and does not grade it again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..nbgrader_execute import TAKEN, taken_summary
from . import gradebook_rows as rows_io
from .nbgrader_api import course_id, in_dir, load_config, make_api, scripts_on_path

Files = dict[str, bytes]  # relative path -> content
# A kernel that could not start says nothing about the submission: jupyter_client picks free
# ports, then the kernel binds them, and between the two another grader's kernel can take one.
# Such a submission is graded again, once, in the same task.
KERNEL_START_FAILURES = ("Address already in use", "Kernel died before replying to kernel_info")


@dataclass(frozen=True)
class AssignmentBundle:
    assignment: str
    config: bytes  # the course's nbgrader_config.py
    source: Files  # solutions/<id>/
    release: Files  # exercises/<id>/
    rows: dict  # gradebook_rows.assignment_rows
    digest: str = ""


@dataclass(frozen=True)
class SubmissionTask:
    assignment: str
    student: str
    files: Files  # submitted/<student>/<id>/
    prior: dict = field(default_factory=dict)  # gradebook_rows.prior_rows


@dataclass
class GradedSubmission:
    assignment: str
    student: str
    ok: bool
    error: str = ""
    files: Files = field(default_factory=dict)  # autograded/<student>/<id>/
    rows: dict = field(default_factory=dict)  # gradebook_rows.graded_rows
    seconds: dict = field(default_factory=dict)  # "task": whole task, "grading": nbgrader's autograde
    where: str = ""  # host:pid of the process that graded it
    path: str = ""  # the path its notebooks took: "inprocess", "kernel: why", or "mixed: ..."
    worker: str = ""  # the Dask worker's address that graded it ("" outside Dask)


def read_tree(folder: Path) -> Files:
    """Every regular file under ``folder`` (links, pipes and devices are left out)."""
    files = {}
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def write_tree(folder: Path, files: Files) -> None:
    """Write ``files`` under ``folder``, refusing any path that would leave it."""
    root = folder.resolve()
    for name, content in files.items():
        target = (folder / name).resolve()
        if name.startswith("/") or ".." in Path(name).parts or not target.is_relative_to(root):
            raise ValueError(f"{name!r}: a file name that leaves {folder}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def make_bundle(course: Path, assignment: str, rows: dict) -> AssignmentBundle:
    """What every task of ``assignment`` needs from the course, read once by the coordinator."""
    config = (course / "nbgrader_config.py").read_bytes()
    skip = ".responses.json"  # a saved answers file in solutions/ is never sent (nor released)
    source = {k: v for k, v in read_tree(course / "solutions" / assignment).items() if skip not in k}
    release = read_tree(course / "exercises" / assignment)
    everything = (assignment, config, sorted(source.items()), sorted(release.items()), repr(rows))
    digest = hashlib.sha256(repr(everything).encode())
    return AssignmentBundle(assignment, config, source, release, rows, digest.hexdigest()[:16])


# nbgrader, os.chdir, sys.stdout and the in-process path's state are per process: one submission at
# a time in it, even on a worker given more than one thread.
_LOCK = threading.Lock()
_COURSES: dict[str, tuple[Path, object]] = {}  # bundle digest -> (scratch course, nbgrader API)


def _scratch_root() -> Path:
    try:  # on a Dask worker, its own local directory (removed with the worker)
        from distributed import get_worker

        return Path(get_worker().local_directory)
    except (ImportError, ValueError):
        return Path(tempfile.gettempdir())


def _prepared(bundle: AssignmentBundle) -> tuple[Path, object]:
    """This process's scratch course for ``bundle``: built, cache warmed and nbgrader loaded once."""
    if bundle.digest in _COURSES:
        return _COURSES[bundle.digest]
    from nbgrader.api import Gradebook

    from .warm import warm_embedding_cache

    scripts_on_path()  # a new gradebook asks the `alembic` command for its version
    course = Path(tempfile.mkdtemp(prefix=f"ipt-grading-{bundle.assignment}-", dir=_scratch_root()))
    (course / "nbgrader_config.py").write_bytes(bundle.config)
    write_tree(course / "solutions" / bundle.assignment, bundle.source)
    write_tree(course / "exercises" / bundle.assignment, bundle.release)
    with Gradebook(f"sqlite:///{course / 'template.db'}", course_id(load_config(course))) as gb:
        rows_io.build_assignment(gb, bundle.rows)
    # Sandboxed kernels read the embedding cache but may not write it: fill it here, once.
    warm_embedding_cache(course, [bundle.assignment])
    api = make_api(course, f"sqlite:///{course / 'gradebook.db'}")
    _COURSES[bundle.digest] = (course, api)
    return course, api


def _autograde(api, task: SubmissionTask) -> tuple[bool, str]:
    for attempt in (1, 2):
        try:
            result = api.autograde(task.assignment, task.student)
        except Exception as exc:  # nbgrader itself broke on this submission
            result = {"success": False, "error": f"{type(exc).__name__}: {exc}"}
        if result.get("success"):
            return True, ""
        report = f"{result.get('log') or ''}\n{result.get('error') or ''}"
        if attempt == 2 or not any(failure in report for failure in KERNEL_START_FAILURES):
            return False, report.strip()
    return False, "not graded"  # not reached


def grade_submission(task: SubmissionTask, bundle: AssignmentBundle) -> GradedSubmission:
    """Grade one submission in this process's scratch course; return the graded files and rows."""
    from nbgrader.api import Gradebook

    started = time.perf_counter()
    out = GradedSubmission(task.assignment, task.student, False, where=_here())
    with _LOCK:
        course, api = _prepared(bundle)
        submitted = course / "submitted" / task.student
        graded = course / "autograded" / task.student
        db = course / "gradebook.db"
        try:
            write_tree(submitted / task.assignment, task.files)
            shutil.copyfile(course / "template.db", db)
            url, cid = f"sqlite:///{db}", api.coursedir.course_id
            if (task.prior or {}).get("extension") is not None or (task.prior or {}).get("manual"):
                with Gradebook(url, cid) as gb:
                    rows_io.seed_prior(gb, task.assignment, task.student, task.prior)
            with in_dir(course), rows_io.quiet_submissions():
                graded_at = time.perf_counter()
                TAKEN.clear()
                out.ok, out.error = _autograde(api, task)
                out.path = taken_summary(TAKEN)
                out.seconds["grading"] = time.perf_counter() - graded_at
            if out.ok:
                out.files = read_tree(graded / task.assignment)
                with Gradebook(url, cid) as gb:
                    out.rows = rows_io.graded_rows(gb, task.assignment, task.student)
        finally:
            for folder in (submitted, graded, course / "feedback" / task.student):
                shutil.rmtree(folder, ignore_errors=True)
            db.unlink(missing_ok=True)
    out.seconds["task"] = time.perf_counter() - started
    return out


def _here() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def grade_batch(task_fn, tasks: list[SubmissionTask], bundle: AssignmentBundle) -> list[GradedSubmission]:
    """Grade a batch of one assignment's submissions, one result each, in order.

    A submission whose grading raises is returned as failed (``ok=False``): it never fails the
    others of its batch. The assignment's scratch course is built once per process, not per batch.
    """
    results = []
    for task in tasks:
        try:
            results.append(task_fn(task, bundle))
        except Exception as exc:  # this submission only
            error = f"{type(exc).__name__}: {exc}"
            results.append(GradedSubmission(task.assignment, task.student, False, error=error, where=_here()))
    return results
