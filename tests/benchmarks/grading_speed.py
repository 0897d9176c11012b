"""Grading speed: `make benchmark-grading [TRAINEES=8]`. Prints figures; asserts nothing.

1. **Overhead of the course.** Every assignment is autograded for a cohort of strong trainees, and
   so is a *bare* twin of each assignment: the same cells (markdown, answer and test cells, same
   points) holding trivial code, so nbgrader does the same work without the course's widgets,
   answer files and scoring. The ratio of the two per-notebook costs is what the course adds to
   nbgrader's own cost (goal: at most 1.15).
2. **Parallel grading.** The same cohort graded serially and with one worker per core (each
   worker grades into its own copy of the SQLite gradebook, merged at the end): the speed-up.

    python tests/benchmarks/grading_speed.py [--trainees N] [--assignments a,b] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


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
    from ipt_widgets.instructor.parallel import make_api

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


def timed_autograde(course: Path, assignment: str, students: list[str], workers: int) -> float:
    from ipt_widgets.instructor.parallel import autograde_cohort

    started = time.perf_counter()
    results = autograde_cohort(course, assignment, students, workers)
    failed = [s for s, (ok, _) in results.items() if not ok]
    if failed:
        raise RuntimeError(f"{assignment}: grading failed for {failed}: {results[failed[0]][1][-800:]}")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainees", type=int, default=8)
    parser.add_argument("--assignments", default="", help="comma-separated (default: all)")
    parser.add_argument("--workdir", type=Path, default=REPO / "build" / "benchmark-grading")
    args = parser.parse_args(argv)
    all_ids = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
    assignments = [a for a in args.assignments.split(",") if a] or all_ids
    cores = os.cpu_count() or 1
    print(f"Preparing {len(assignments)} assignments and their bare twins for {args.trainees} trainees...")
    course, students = prepare(args.workdir.resolve(), assignments, args.trainees)

    # 1. Overhead: serial, one process, interleaving course and bare so drift affects both alike.
    course_time = bare_time = 0.0
    print(f"\n{'assignment':<28}{'course s/nb':>12}{'bare s/nb':>11}{'ratio':>8}")
    for aid in assignments:
        c = timed_autograde(course, aid, students, 1)
        b = timed_autograde(course, f"bare_{aid}", students, 1)
        course_time += c
        bare_time += b
        print(f"{aid:<28}{c / len(students):>12.2f}{b / len(students):>11.2f}{c / b:>8.2f}")
    n = len(students) * len(assignments)
    print(
        f"{'all':<28}{course_time / n:>12.2f}{bare_time / n:>11.2f}{course_time / bare_time:>8.2f}"
        f"   <- course / bare per-notebook cost (goal <= 1.15)"
    )

    # 2. Parallel: the same cohort again, serially and with one worker per core.
    subset = assignments[: min(3, len(assignments))]
    serial = sum(timed_autograde(course, aid, students, 1) for aid in subset)
    parallel = sum(timed_autograde(course, aid, students, cores) for aid in subset)
    print(
        f"\nParallel grading of {len(students)} trainees x {len(subset)} assignments on {cores} cores: "
        f"serial {serial:.1f} s, {cores} workers {parallel:.1f} s, speed-up {serial / parallel:.2f}x (goal >= 1.8x)"
    )
    with sqlite3.connect(course / "gradebook.db") as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = db.execute("SELECT count(*) FROM submitted_assignment").fetchone()[0]
    print(f"Gradebook after merging: integrity {check}, {rows} submissions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
