"""Grading speed: `make benchmark-grading [TRAINEES=16] [SCALE=16,64]`. Prints figures; asserts nothing.

1. **Per notebook: bare nbgrader, the course on the kernel path, the course in-process.** Every
   assignment is autograded for a cohort of strong trainees three ways, turn about, trainee by
   trainee, in one process: a *bare* twin (the same cells and points holding trivial code, so
   nbgrader does its own work and nothing of the course's), the course with
   ``IPT_GRADING_PATH=kernel`` (a sandboxed kernel per notebook) and with
   ``IPT_GRADING_PATH=inprocess`` (the test cells run in the grading process). The embedding
   cache starts empty, so the first free-text item's extra work is counted.
2. **Cost of the protections.** The same cohort graded the way the course grades (every
   submission rebuilt from the release first, the notebook rebuilt again inside autograde, the
   partial-credit guard, each kernel in the bubblewrap sandbox) and the way it graded before
   those protections existed (nbgrader's default steps, an unsandboxed kernel, no rebuild), turn
   about, in one process. The rebuild step's own time is counted on the protected side (goal:
   at most 1.15).
3. **Scale.** For each cohort size of ``--scale``, every (assignment, trainee) job graded serially
   (one process, the same task as a Dask worker runs) and on a LocalCluster of one worker per
   core: wall times (the cluster's including its start), the speed-up, and Dask's own cost per
   task (the workers' time not spent in nbgrader's autograde, less each worker's one-off set-up).

    python tests/benchmarks/grading_speed.py [--trainees N] [--scale 16,64] [--assignments a,b] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def prepare(workdir: Path, assignments: list[str], trainees: int) -> tuple[Path, list[str]]:
    """The scratch course of ``grading_cost`` (each assignment, its bare twin, strong submissions),
    left untidied: the sections below time the rebuild step themselves."""
    from ipt_widgets.instructor.grading_cost import prepare as prepare_course_copy

    return prepare_course_copy(REPO, workdir, assignments, trainees, tidy=False)


PATH_ENV = "IPT_GRADING_PATH"  # kernel | inprocess: how the course's test cells are executed


@contextlib.contextmanager
def grading_path(path: str | None) -> Iterator[None]:
    """Grade with ``IPT_GRADING_PATH=path`` (unset for ``None``), restoring the setting after."""
    before = os.environ.pop(PATH_ENV, None)
    if path:
        os.environ[PATH_ENV] = path
    try:
        yield
    finally:
        os.environ.pop(PATH_ENV, None)
        if before is not None:
            os.environ[PATH_ENV] = before


def per_notebook(course: Path, assignments: list[str], students: list[str]) -> None:
    """Bare nbgrader (a kernel per notebook, nbgrader's own configuration), the course on the kernel
    path and the course in-process, per notebook, turn about: ``grading_cost``'s measurement."""
    from ipt_widgets.instructor.grading_cost import table, time_paths

    print()
    print(table(time_paths(course, assignments, students)))


# bare nbgrader's own configuration: the course's protections off, a kernel per notebook
from ipt_widgets.instructor.grading_cost import NBGRADER_ONLY as UNPROTECTED  # noqa: E402


def protections(course: Path, assignments: list[str], students: list[str]) -> None:
    from ipt_widgets.instructor.nbgrader_api import make_api
    from ipt_widgets.sandbox import status
    from ipt_widgets.submissions import tidy_assignment

    print(f"\n{status()}")
    apis = {"protected": make_api(course), "unprotected": make_api(course, overrides=UNPROTECTED)}
    totals = {"protected": 0.0, "unprotected": 0.0}
    print(f"{'assignment':<28}{'protected s/nb':>15}{'before s/nb':>13}{'ratio':>8}")
    for aid in assignments:
        started = time.perf_counter()
        tidy_assignment(course, aid)
        times = {"protected": time.perf_counter() - started, "unprotected": 0.0}
        for n, student in enumerate(students):
            order = ["protected", "unprotected"] if n % 2 == 0 else ["unprotected", "protected"]
            for name in order:
                started = time.perf_counter()
                result = apis[name].autograde(aid, student)
                times[name] += time.perf_counter() - started
                if not result["success"]:
                    raise RuntimeError(f"{name} {aid}/{student}: {result['error'][-800:]}")
        for name in totals:
            totals[name] += times[name]
        p, u = times["protected"] / len(students), times["unprotected"] / len(students)
        print(f"{aid:<28}{p:>15.2f}{u:>13.2f}{p / u:>8.2f}")
    n = len(students) * len(assignments)
    p, u = totals["protected"] / n, totals["unprotected"] / n
    print(f"{'all':<28}{p:>15.2f}{u:>13.2f}{p / u:>8.2f}   <- with the protections / before them (goal <= 1.15)")


def scale(course: Path, assignments: list[str], students: list[str], sizes: list[int]) -> None:
    """Serial (one process) against a LocalCluster of one worker per core, and Dask's own cost per task."""
    from ipt_widgets.instructor.dask_grading import grade_jobs

    cores = os.cpu_count() or 1
    print(f"\nSerial against LocalCluster ({cores} workers), {len(assignments)} assignments; path: default")
    print(
        f"{'trainees':>8}{'tasks':>7}{'serial s':>10}{'cluster s':>11}{'start s':>9}{'set-up s':>10}{'speed-up':>10}"
        f"{'batch':>6}{'s/nb':>7}{'dask ms/task':>14}{'share':>7}{'coord ms/nb':>13}"
    )
    for size in sizes:
        jobs = [(aid, sid) for aid in assignments for sid in students[:size]]
        started = time.perf_counter()
        serial = grade_jobs(course, jobs, workers=1, log=lambda line: None)
        serial_s = time.perf_counter() - started
        started = time.perf_counter()
        cluster = grade_jobs(course, jobs, workers=cores, log=lambda line: None)
        cluster_s = time.perf_counter() - started
        for run in (serial, cluster):
            failed = [job for job, (ok, _) in run.outcomes.items() if not ok]
            if failed:  # shown, not fatal: the other figures still stand
                print(f"  {len(failed)} of {len(jobs)} not graded ({run.where}): {run.outcomes[failed[0]][1][-300:]}")
        per_nb, own, share, setup = dask_overhead(cluster, cores)
        print(
            f"{size:>8}{cluster.tasks:>7}{serial_s:>10.1f}{cluster_s:>11.1f}{cluster.startup:>9.1f}{setup:>10.1f}"
            f"{serial_s / cluster_s:>9.2f}x{cluster.batch:>6}{per_nb:>7.2f}{own * 1000:>14.0f}{share:>7.1%}"
            f"{cluster.writing / len(jobs) * 1000:>13.0f}"
        )
    print("  goals: speed-up >= 1.8x on 2 cores for 64 trainees x 11 assignments; Dask's share <= 5% of a task")
    print("  start: the cluster's start; set-up: each worker's first task of each assignment, less its grading")
    print("  tasks: Dask tasks, each a batch of one assignment's trainees; s/nb: a worker's seconds per submission")
    print("  dask ms/task: (workers x cluster time - the workers' seconds in submissions - set-up) / tasks,")
    print("    which counts the idle tail too; share: of a task (its submissions' seconds plus Dask's)")
    print("  coord ms/nb: the instructor's process reading each submission's files and writing its result")
    with sqlite3.connect(course / "gradebook.db") as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
    print(f"Gradebook: integrity {check}.")


def dask_overhead(run, workers: int) -> tuple[float, float, float, float]:
    """A worker's seconds per submission, Dask's own seconds per task and its share of a task, and set-up.

    Set-up is each worker's first submission of each assignment, less its grading: it builds that
    assignment's scratch course and gradebook, loads nbgrader and warms the scorers (a serial run
    pays it once).
    """
    graded = len(run.timings) or 1
    inside = sum(t.get("task", 0.0) for t in run.timings)
    first: dict[tuple, dict] = {}
    for t in run.timings:
        first.setdefault((t["where"], t["job"][0]), t)
    setup = sum(t["task"] - t.get("grading", 0.0) for t in first.values())
    tasks = run.tasks or 1
    own = max(0.0, workers * run.wall - inside) / tasks
    task = (inside - setup) / tasks
    return (inside - setup) / graded, own, own / (task + own) if task + own else 0.0, setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainees", type=int, default=16)
    parser.add_argument("--assignments", default="", help="comma-separated (default: all)")
    parser.add_argument("--scale", default="16,64", help="cohort sizes graded serially and on a LocalCluster")
    parser.add_argument("--sections", default="per-notebook,protections,scale", help="which figures to print")
    parser.add_argument("--workdir", type=Path, default=REPO / "build" / "benchmark-grading")
    args = parser.parse_args(argv)
    all_ids = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
    assignments = [a for a in args.assignments.split(",") if a] or all_ids
    workdir = args.workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    os.environ["IPT_EMBEDDING_CACHE"] = str(workdir / "embedding-cache")  # starts empty
    sizes = [int(n) for n in args.scale.split(",") if n.strip()]
    cohort = max([args.trainees, *sizes])
    print(f"Preparing {len(assignments)} assignments and their bare twins for {cohort} trainees")
    course, students = prepare(workdir / "course", assignments, cohort)
    from ipt_widgets.instructor.warm import warm_embedding_cache

    started = time.perf_counter()
    warmed = warm_embedding_cache(course, assignments)  # as every grading run does first
    print(f"Embedding cache filled for {warmed} free-text references in {time.perf_counter() - started:.1f} s")
    sections = set(args.sections.split(","))
    if "per-notebook" in sections:
        per_notebook(course, assignments, students[: args.trainees])
    if "protections" in sections:
        protections(course, assignments, students[: args.trainees])
    if "scale" in sections:
        scale(course, assignments, students, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
