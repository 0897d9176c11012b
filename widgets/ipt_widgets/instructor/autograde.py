"""`make autograde ASSIGNMENT=<id>`: rebuild every submission, then grade each trainee on its own.

``nbgrader autograde <id>`` stops the whole run at the first submission that breaks nbgrader
itself (a locked gradebook, a kernel that cannot start). Here each trainee is one Dask task of
:func:`.dask_grading.grade_jobs` (a LocalCluster of one worker per core by default;
``--scheduler tcp://host:8786`` or ``$IPT_DASK_SCHEDULER`` for a running cluster): a failure is
reported with the trainee's name, and every other trainee is still graded. The command says
which path grading takes (in the grading process, or a sandboxed kernel per notebook), lists any
test cell that failed with an error (a broken hidden test, never the trainee's answer), and exits
1 when any submission could not be graded or any such error occurred.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..submissions import tidy_assignment
from .dask_grading import grade_jobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="course root (default: here)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="LocalCluster workers (1: here)")
    parser.add_argument("--scheduler", default=None, help="a running Dask scheduler, e.g. tcp://host:8786")
    parser.add_argument(
        "--batch", type=int, default=None, help="trainees per Dask task (default: from cohort, workers)"
    )
    args = parser.parse_args(argv)
    course = args.course.resolve()
    try:
        notes = tidy_assignment(course, args.assignment)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    for trainee, lines in notes.items():
        for line in lines:
            print(f"{trainee}: {line}")
    from ..nbgrader_execute import status
    from .nbgrader_api import load_config

    configured = load_config(course).GradingExecute.get("grading_path", "")
    print(status(configured))  # the path grading takes ($IPT_GRADING_PATH); the sandbox on the kernel path
    submitted = course / "submitted"
    trainees = sorted(p.parent.name for p in submitted.glob(f"*/{args.assignment}") if p.is_dir())
    jobs = [(args.assignment, t) for t in trainees]
    run = grade_jobs(course, jobs, workers=args.workers, scheduler=args.scheduler, bar=True, batch=args.batch)
    outcomes = run.outcomes
    for job in sorted(run.retried):
        print(f"RETRIED {job[1]}: its worker died; graded again on another")
    failed = {job[1]: error for job, (ok, error) in outcomes.items() if not ok}
    for trainee, error in failed.items():
        print(f"NOT GRADED {trainee}: {error.strip().splitlines()[-1] if error.strip() else 'unknown error'}")
    paths = ", ".join(sorted(run.paths)) or "none"
    graded = len(outcomes) - len(failed)
    print(f"{args.assignment}: {graded} graded, {len(failed)} not graded ({run.where}; path {paths}).")
    if run.note:
        print(f"Note: {run.note}.")
    from .grading_errors import grading_errors, report

    errors = grading_errors(course, args.assignment)
    if errors:  # a broken hidden test scored some cells 0 for everyone it hit: say so loudly
        print(report(errors))
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
