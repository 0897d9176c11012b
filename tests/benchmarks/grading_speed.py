"""Grading speed: `make benchmark-grading [TRAINEES=16]`. Prints figures; asserts nothing.

1. **Overhead of the course.** Every assignment is autograded for a cohort of strong trainees, and
   so is a *bare* twin of each assignment: the same cells (markdown, answer and test cells, same
   points) holding trivial code, so nbgrader does the same work without the course's widgets,
   answer files and scoring. Course and bare notebooks are graded turn about, trainee by trainee,
   in one nbgrader process, so drift and warm-up fall on both alike. The ratio of the two
   per-notebook costs is what the course adds to nbgrader's own cost (goal: at most 1.15). The
   embedding cache starts empty, so the first free-text kernel's extra work is counted.
2. **Cost of the protections.** The same cohort graded the way the course grades (every
   submission rebuilt from the release first, the notebook rebuilt again inside autograde, the
   partial-credit guard, each kernel in the bubblewrap sandbox) and the way it graded before
   those protections existed (nbgrader's default steps, an unsandboxed kernel, no rebuild), turn
   about, in one process. The rebuild step's own time is counted on the protected side (goal:
   at most 1.15).
3. **Parallel grading.** One cohort's (assignment, trainee) jobs graded serially (in-process, as
   `make cohort-cycle WORKERS=1` does) and with one worker per core (each into its own copy of
   the SQLite gradebook, copied into the course gradebook as it goes), turn about, ``--rounds``
   times: the speed-up, then the gradebook's integrity.

    python tests/benchmarks/grading_speed.py [--trainees N] [--assignments a,b] [--rounds R] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PARALLEL_ASSIGNMENTS = ["m01_problem_areas", "m04_role_disputes", "m07_techniques"]  # one of each kind


def bare_twin(source: Path, target: Path) -> None:
    """A notebook with the same cells as ``source`` doing nothing but nbgrader's own work."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] != "code":
            continue
        if meta.get("grade"):
            cell["source"] = f"{float(meta.get('points', 1))}"
        elif meta.get("solution"):
            cell["source"] = "### BEGIN SOLUTION\nanswer = 1\n### END SOLUTION"
        else:
            cell["source"] = "x = 1"
        cell["outputs"], cell["execution_count"] = [], None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def prepare(workdir: Path, assignments: list[str], trainees: int) -> tuple[Path, list[str]]:
    from ipt_widgets.instructor.cohort import answer_key, manual_answers, write_submission
    from ipt_widgets.instructor.cycle import prepare_course
    from ipt_widgets.instructor.nbgrader_api import make_api

    course = prepare_course(REPO, workdir)
    for aid in assignments:
        for nb in (course / "solutions" / aid).glob("*.ipynb"):
            bare_twin(nb, course / "solutions" / f"bare_{aid}" / f"bare_{nb.name}")
    os.chdir(course)
    api = make_api(course)
    students = [f"b{n:03d}" for n in range(1, trainees + 1)]
    for aid in assignments:
        for name in (aid, f"bare_{aid}"):
            result = api.generate_assignment(name, force=True)
            if not result["success"]:
                raise RuntimeError(result["error"])
        release = course / "exercises" / aid
        key, manual = answer_key(course / "solutions" / aid), manual_answers(course / "solutions" / aid)
        for n, sid in enumerate(students):
            write_submission(course / "submitted" / sid / aid, release, aid, key, manual, "strong", n)
            shutil.copytree(course / "exercises" / f"bare_{aid}", course / "submitted" / sid / f"bare_{aid}")
    return course, students


def overhead(course: Path, assignments: list[str], students: list[str]) -> None:
    from ipt_widgets.instructor.nbgrader_api import make_api

    api = make_api(course)
    api.autograde(f"bare_{assignments[0]}", students[0])  # nbgrader's own first-use costs, on neither side

    def timed(assignment: str, student: str) -> float:
        started = time.perf_counter()
        result = api.autograde(assignment, student)
        if not result["success"]:
            raise RuntimeError(f"{assignment}/{student}: {result['error'][-800:]}")
        return time.perf_counter() - started

    total_course = total_bare = 0.0
    print(f"\n{'assignment':<28}{'course s/nb':>12}{'bare s/nb':>11}{'ratio':>8}")
    for aid in assignments:
        course_times, bare_times = [], []
        for n, student in enumerate(students):  # turn about; who goes first alternates
            pair = [(aid, course_times), (f"bare_{aid}", bare_times)]
            for name, times in pair if n % 2 == 0 else pair[::-1]:
                times.append(timed(name, student))
        c, b = sum(course_times), sum(bare_times)
        total_course, total_bare = total_course + c, total_bare + b
        print(f"{aid:<28}{c / len(students):>12.2f}{b / len(students):>11.2f}{c / b:>8.2f}")
    n = len(students) * len(assignments)
    print(
        f"{'all':<28}{total_course / n:>12.2f}{total_bare / n:>11.2f}{total_course / total_bare:>8.2f}"
        f"   <- course / bare per-notebook cost (goal <= 1.15)"
    )


NBGRADER_SANITIZE = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
NBGRADER_AUTOGRADE = [
    "nbgrader.preprocessors.Execute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
UNPROTECTED = {
    "Autograde": {"sanitize_preprocessors": NBGRADER_SANITIZE, "autograde_preprocessors": NBGRADER_AUTOGRADE},
    "Execute": {
        "kernel_manager_class": "jupyter_client.manager.AsyncKernelManager",
        "extra_arguments": ["--IPKernelApp.log_level=ERROR"],
    },
}


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


def parallel(course: Path, assignments: list[str], students: list[str], rounds: int) -> None:
    from ipt_widgets.instructor.parallel import autograde_jobs

    cores = os.cpu_count() or 1
    jobs = [(aid, sid) for aid in assignments for sid in students]

    def timed(workers: int) -> float:
        started = time.perf_counter()
        results = autograde_jobs(course, jobs, workers)
        seconds = time.perf_counter() - started
        failed = [job for job, (ok, _) in results.items() if not ok]
        if failed:  # shown, not fatal: the figures of the other rounds still stand
            print(f"  {len(failed)} of {len(jobs)} jobs not graded with {workers} worker(s): {failed}")
            print("  " + results[failed[0]][1][-800:].replace("\n", "\n  "))
        return seconds

    print(f"\nParallel grading of {len(students)} trainees x {len(assignments)} assignments on {cores} cores")
    print(f"{'round':<8}{'serial s':>10}{f'{cores} workers s':>14}{'speed-up':>10}")
    speedups = []
    for r in range(1, rounds + 1):
        serial, par = timed(1), timed(cores)
        speedups.append(serial / par)
        print(f"{r:<8}{serial:>10.1f}{par:>14.1f}{serial / par:>9.2f}x")
    print(f"{'median':<32}{statistics.median(speedups):>9.2f}x   <- serial / parallel (goal >= 1.8x)")
    with sqlite3.connect(course / "gradebook.db") as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = db.execute(
            f"SELECT count(*) FROM submitted_assignment JOIN assignment ON assignment.id = assignment_id"
            f" WHERE assignment.name IN ({','.join('?' * len(assignments))})",
            assignments,
        ).fetchone()[0]
    print(f"Gradebook: integrity {check}; {rows} submissions of {len(jobs)} expected.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainees", type=int, default=16)
    parser.add_argument("--assignments", default="", help="comma-separated (default: all)")
    parser.add_argument("--rounds", type=int, default=2, help="serial/parallel pairs to time")
    parser.add_argument("--workdir", type=Path, default=REPO / "build" / "benchmark-grading")
    args = parser.parse_args(argv)
    all_ids = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
    assignments = [a for a in args.assignments.split(",") if a] or all_ids
    workdir = args.workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    os.environ["IPT_EMBEDDING_CACHE"] = str(workdir / "embedding-cache")  # starts empty
    print(f"Preparing {len(assignments)} assignments and their bare twins for {args.trainees} trainees...")
    course, students = prepare(workdir / "course", assignments, args.trainees)
    from ipt_widgets.instructor.warm import warm_embedding_cache

    started = time.perf_counter()
    warmed = warm_embedding_cache(course, assignments)  # as every grading run does first
    print(f"Embedding cache filled for {warmed} free-text references in {time.perf_counter() - started:.1f} s")
    overhead(course, assignments, students)
    protections(course, assignments, students)
    parallel(course, [a for a in PARALLEL_ASSIGNMENTS if a in assignments] or assignments[:3], students, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
