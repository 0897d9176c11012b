"""Per-notebook grading cost, three ways: bare nbgrader, the course in a kernel, the course in-process.

* **bare nbgrader**: each assignment's *bare twin* (the same cells and points, trivial code: a
  test cell is just its points) graded with nbgrader's own steps and an ordinary kernel, no
  sandbox: what nbgrader itself costs per notebook;
* **kernel**: the course's assignment, graded the way ``make autograde`` grades, with
  ``IPT_GRADING_PATH=kernel`` (a sandboxed kernel per notebook);
* **in-process**: the same with ``IPT_GRADING_PATH=inprocess`` (the default).

One nbgrader process grades all three turn about, trainee by trainee (who goes first rotates), so
drift and warm-up fall on all alike; the in-process path's one-off start (the shell, the course's
grading code, the encoder) is counted in its figures. The rebuild step and the embedding cache's
warm-up run before the timing, as ``make autograde`` runs them before grading.

    python -m ipt_widgets.instructor.grading_cost [--trainees 4] [--assignments m00_orientation,...] [--threads 1]

or ``measure(assignments, trainees)`` from a benchmark: it prints the table and returns the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

PATHS = ("bare", "kernel", "inprocess")
NBGRADER_ONLY = {
    "Autograde": {
        "sanitize_preprocessors": [
            "nbgrader.preprocessors.ClearOutput",
            "nbgrader.preprocessors.DeduplicateIds",
            "nbgrader.preprocessors.OverwriteKernelspec",
            "nbgrader.preprocessors.OverwriteCells",
            "nbgrader.preprocessors.CheckCellMetadata",
        ],
        "autograde_preprocessors": [
            "nbgrader.preprocessors.Execute",
            "nbgrader.preprocessors.IgnorePattern",
            "nbconvert.preprocessors.ClearMetadataPreprocessor",
            "nbgrader.preprocessors.LimitOutput",
            "nbgrader.preprocessors.SaveAutoGrades",
            "nbgrader.preprocessors.AssignLatePenalties",
            "nbgrader.preprocessors.CheckCellMetadata",
        ],
    },
    "Execute": {
        "kernel_manager_class": "jupyter_client.manager.AsyncKernelManager",
        "extra_arguments": ["--IPKernelApp.log_level=ERROR"],
    },
}


# nbgrader's solution markers, spelt out of parts: the package must not carry them whole (a test
# scans the wheel for them, so that no solution cell can ship).
BEGIN, END = (f"{word} SOLUTION" for word in ("BEGIN", "END"))


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
            cell["source"] = f"### {BEGIN}\nanswer = 1\n### {END}"
        else:
            cell["source"] = "x = 1"
        cell["outputs"], cell["execution_count"] = [], None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def prepare(
    repo: Path, workdir: Path, assignments: list[str], trainees: int, *, tidy: bool = True
) -> tuple[Path, list[str]]:
    """A scratch course with each assignment, its bare twin, and ``trainees`` strong submissions."""
    from ..submissions import tidy_assignment
    from .cohort import answer_key, manual_answers, write_submission
    from .cycle import prepare_course
    from .nbgrader_api import make_api

    course = prepare_course(repo, workdir)
    for aid in assignments:
        for nb in (course / "solutions" / aid).glob("*.ipynb"):
            bare_twin(nb, course / "solutions" / f"bare_{aid}" / f"bare_{nb.name}")
    os.chdir(course)
    api = make_api(course)
    students = [f"c{n:03d}" for n in range(1, trainees + 1)]
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
        if tidy:
            tidy_assignment(course, aid)  # the rebuild step `make autograde` runs first
    return course, students


def _grade(api, assignment: str, student: str, path: str) -> float:
    os.environ["IPT_GRADING_PATH"] = "kernel" if path == "bare" else path
    with warnings.catch_warnings():
        # nbgrader's regrading (force) makes SQLAlchemy warn about its session, once per notebook.
        warnings.filterwarnings("ignore", message=".*not in session.*")
        started = time.perf_counter()
        result = api.autograde(assignment, student, force=True)
        seconds = time.perf_counter() - started
    if not result["success"]:
        raise RuntimeError(f"{path} {assignment}/{student}: {(result.get('error') or '')[-800:]}")
    return seconds


def time_paths(course: Path, assignments: list[str], students: list[str]) -> dict[str, dict[str, float]]:
    """Seconds per notebook, per assignment and path (and ``all``)."""
    from .nbgrader_api import make_api

    apis = {"bare": make_api(course, overrides=NBGRADER_ONLY), "kernel": make_api(course)}
    apis["inprocess"] = apis["kernel"]
    before = os.environ.get("IPT_GRADING_PATH")
    _grade(apis["bare"], f"bare_{assignments[0]}", students[0], "bare")  # nbgrader's own first use
    figures: dict[str, dict[str, float]] = {}
    try:
        for aid in assignments:
            totals = dict.fromkeys(PATHS, 0.0)
            for n, student in enumerate(students):
                order = PATHS[n % 3 :] + PATHS[: n % 3]
                for path in order:
                    name = f"bare_{aid}" if path == "bare" else aid
                    totals[path] += _grade(apis[path], name, student, path)
            figures[aid] = {path: totals[path] / len(students) for path in PATHS}
    finally:
        os.environ.pop("IPT_GRADING_PATH", None)
        if before is not None:
            os.environ["IPT_GRADING_PATH"] = before
    figures["all"] = {path: sum(f[path] for f in figures.values()) / len(assignments) for path in PATHS}
    return figures


def table(figures: dict[str, dict[str, float]]) -> str:
    """The figures as a table: seconds per notebook and each course path's ratio to bare nbgrader."""
    lines = [
        f"{'assignment':<28}{'bare s/nb':>10}{'kernel s/nb':>12}{'in-proc s/nb':>13}"
        f"{'kernel/bare':>12}{'in-proc/bare':>13}"
    ]
    for aid, f in figures.items():
        lines.append(
            f"{aid:<28}{f['bare']:>10.3f}{f['kernel']:>12.3f}{f['inprocess']:>13.3f}"
            f"{f['kernel'] / f['bare']:>12.2f}{f['inprocess'] / f['bare']:>13.2f}"
        )
    lines.append("goal: in-process/bare <= 0.35 for 'all' and <= 0.5 for every assignment")
    return "\n".join(lines)


def measure(
    assignments: list[str] | None = None, trainees: int = 4, workdir: Path | None = None, repo: Path | None = None
) -> dict[str, dict[str, float]]:
    """Prepare a scratch course, time the three paths, print the table, return the figures."""
    repo = Path(repo or Path.cwd()).resolve()
    assignments = assignments or sorted(p.name for p in (repo / "solutions").iterdir() if p.is_dir())
    workdir = Path(workdir or tempfile.mkdtemp(prefix="ipt-grading-cost-")).resolve()
    here, cache = os.getcwd(), os.environ.get("IPT_EMBEDDING_CACHE")
    os.environ["IPT_EMBEDDING_CACHE"] = str(workdir / "embedding-cache")
    try:
        course, students = prepare(repo, workdir / "course", assignments, trainees)
        from .warm import warm_embedding_cache

        warm_embedding_cache(course, assignments)  # as every grading run does first
        figures = time_paths(course, assignments, students)
    finally:
        os.chdir(here)
        os.environ.pop("IPT_EMBEDDING_CACHE", None)
        if cache is not None:
            os.environ["IPT_EMBEDDING_CACHE"] = cache
    print(f"Per-notebook grading cost, {trainees} strong trainees per assignment:")
    print(table(figures))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainees", type=int, default=4)
    parser.add_argument("--assignments", default="", help="comma-separated (default: all)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="maths-library threads for numpy, here and in graded kernels, as parallel grading gives "
        "one worker per core (default 1; 0 leaves the environment alone)",
    )
    args = parser.parse_args(argv)
    if args.threads > 0:  # before numpy is first imported, or it has no effect
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, str(args.threads))
    measure([a for a in args.assignments.split(",") if a] or None, args.trainees, args.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
