"""Rehearse the whole instructor cycle on a synthetic cohort: `make cohort-cycle SIZE=40`.

In a scratch copy of the course (never the real gradebook), with nbgrader's own machinery:

1. generate every assignment from solutions/ and release it to the exchange;
2. trainees fetch it; half submit through the exchange (then ``collect``), half through an LMS:
   their files arrive as a Canvas-style download that ``zip_collect`` unpacks;
3. tidy the submissions (renamed, missing or unreadable notebooks) and autograde them on Dask;
4. review the free text as formgrader does: score the manually graded answers and confirm or
   override the scorer's marks (through nbgrader's gradebook API, what formgrader's buttons call);
5. generate feedback, release it, and fetch it as a trainee;
6. export the grades as CSV and write the competency report.

Each step shows a progress bar; failures of single submissions are listed, never fatal.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from .cohort import PROFILES, answer_key, manual_answers, profile_for, write_submission

LMS_REGEXP = r".*/(?P<student_id>[a-z0-9]+)_(?:late_)?(?:\d+_)*(?P<file_id>[^/]+)$"


def _bar(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="item", leave=True, dynamic_ncols=True, file=sys.stdout)


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    from .nbgrader_api import scripts_on_path

    scripts_on_path()  # nbgrader runs `alembic` from PATH
    run = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True, timeout=1800
    )
    if run.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return run


def prepare_course(source: Path, workdir: Path) -> Path:
    """A scratch course: the source config and solutions, nothing else (no gradebook, no exchange)."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    shutil.copy(source / "nbgrader_config.py", workdir)
    ignore = shutil.ignore_patterns("*.responses.json*", ".ipynb_checkpoints", "__pycache__")
    shutil.copytree(source / "solutions", workdir / "solutions", ignore=ignore)
    (workdir / ".exchange").mkdir(mode=0o777)
    with open(workdir / "nbgrader_config.py", "a", encoding="utf-8") as f:
        # LMS route: Canvas-style names "<login>_<numbers>_<original name>" (see README).
        f.write(f"\nc.FileNameCollectorPlugin.named_regexp = {LMS_REGEXP!r}\n")
        f.write("c.FileNameCollectorPlugin.valid_ext = ['.ipynb', '.json']\n")
        f.write("c.CollectApp.check_owner = False  # one OS user plays every trainee here\n")
    return workdir


def roster(size: int) -> list[tuple[str, str, str]]:
    """(student id, first name, last name) for a synthetic cohort."""
    first = ["Amara", "Bao", "Carmen", "Dmitri", "Esi", "Farid", "Grace", "Hiroshi", "Ines", "Jonas"]
    last = ["Mensah", "Nguyen", "Ortiz", "Petrov", "Quispe", "Rahman", "Silva", "Tanaka", "Umar", "Vance"]
    return [(f"t{n:03d}", first[n % 10], last[(n // 10) % 10]) for n in range(1, size + 1)]


def run_cycle(
    source: Path,
    workdir: Path,
    size: int,
    assignments: list[str] | None,
    workers: int,
    db_url: str | None = None,
    scheduler: str | None = None,
) -> dict:
    """Run the whole cycle; return a summary (used by the tests and printed by main)."""
    from nbgrader.api import Gradebook

    from .dask_grading import grade_jobs
    from .nbgrader_api import make_api
    from .report import main as report_main

    started = time.perf_counter()
    course = prepare_course(source, workdir)
    if db_url:
        with open(course / "nbgrader_config.py", "a", encoding="utf-8") as f:
            f.write(f"c.CourseDirectory.db_url = {db_url!r}\n")
    assignments = assignments or sorted(p.name for p in (course / "solutions").iterdir() if p.is_dir())
    students = roster(size)
    ids = [s[0] for s in students]
    summary: dict = {"course": str(course), "assignments": assignments, "students": ids, "failed": {}, "profiles": {}}

    os.chdir(course)
    api = make_api(course)
    with _bar(len(assignments), "1/6 generate and release") as bar:
        for aid in assignments:
            for step in (api.generate_assignment(aid, force=True), api.release_assignment(aid)):
                if not step["success"]:
                    raise RuntimeError(f"{aid}: {step['error']}")
            bar.update()
    url = db_url or f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(url) as gb:
        for sid, first_name, last_name in students:
            gb.update_or_create_student(sid, first_name=first_name, last_name=last_name)

    # Trainees: even-numbered ones use the exchange, odd-numbered ones the LMS.
    homes = course / "trainees"
    with _bar(len(assignments) * size, "2/6 trainees work and submit") as bar:
        for aid in assignments:
            release = Path(api.coursedir.format_path(api.coursedir.release_directory, ".", aid))
            key = answer_key(course / "solutions" / aid)
            manual = manual_answers(course / "solutions" / aid)
            archive = course / "downloaded" / aid / "archive"
            archive.mkdir(parents=True, exist_ok=True)
            for n, sid in enumerate(ids):
                profile = profile_for(n)
                folder = homes / sid / aid
                summary["profiles"].setdefault(sid, {})[aid] = write_submission(
                    folder, release, aid, key, manual, profile, n
                )
                if n % 2 == 0:
                    _as_trainee("submit", course, homes / sid, aid, sid)
                else:
                    with zipfile.ZipFile(archive / f"{sid}.zip", "w") as zf:
                        for path in sorted(folder.iterdir()):
                            zf.write(path, f"{sid}_{1000 + n}_{path.name}")
                bar.update()

    with _bar(len(assignments), "3/6 collect (exchange) and zip_collect (LMS)") as bar:
        for aid in assignments:
            result = api.collect(aid)
            if not result["success"]:
                raise RuntimeError(f"collect {aid}: {result['error']}")
            _nbgrader(course, "zip_collect", aid, "--force")
            bar.update()

    with _bar(len(assignments) * size, f"4/6 tidy and autograde ({workers} worker{'s' * (workers > 1)})") as bar:
        jobs = []
        for aid in assignments:
            subprocess.run(
                [sys.executable, "-m", "ipt_widgets.submissions", aid, "--course", str(course)],
                check=True,
                capture_output=True,
            )
            submitted = sorted(p.name for p in (course / "submitted").iterdir() if (p / aid).is_dir())
            jobs += [(aid, sid) for sid in submitted]
            bar.update(size - len(submitted))
        # One cluster for every assignment: nbgrader starts once per worker, not per assignment.
        run = grade_jobs(
            course, jobs, workers=workers, scheduler=scheduler, db_url=db_url, progress=lambda job, ok: bar.update()
        )
        summary["grading"] = {"where": run.where, "retried": sorted(run.retried), "paths": sorted(run.paths)}
        for (aid, sid), (ok, error) in run.outcomes.items():
            if not ok:
                summary["failed"][f"{sid}/{aid}"] = error[-500:]

    with Gradebook(url) as gb:
        reviewed = review_free_text(gb, assignments, summary["profiles"])
    summary["reviewed"] = reviewed

    with _bar(len(assignments), "5/6 feedback: generate, release, fetch") as bar:
        for aid in assignments:
            step = api.generate_feedback(aid)
            if not step["success"]:
                raise RuntimeError(f"feedback {aid}: {step['error']}")
            # Exchange trainees get their feedback through the exchange; for LMS trainees the
            # instructor uploads feedback/<trainee>/<assignment>/*.html to the LMS instead.
            for sid in ids[::2]:
                step = api.release_feedback(aid, sid)
                if not step["success"]:
                    summary["failed"][f"{sid}/{aid} feedback"] = step["error"][-500:]
            _as_trainee("fetch_feedback", course, homes / ids[0], aid, ids[0])
            bar.update()

    with _bar(2, "6/6 export grades and competency report") as bar:
        _nbgrader(course, "export", "--to", str(course / "grades.csv"))
        bar.update()
        args = ["--course", str(course), "--out", str(course / "reports" / "competency")]
        code = report_main([*args, *(x for aid in assignments for x in ("--assignment", aid))])
        if code:
            raise RuntimeError("the competency report failed")
        bar.update()
    summary["grades_csv"] = str(course / "grades.csv")
    summary["report"] = str(course / "reports" / "competency" / "report.html")
    summary["seconds"] = round(time.perf_counter() - started, 1)
    return summary


def _as_trainee(action: str, course: Path, home: Path, aid: str, sid: str) -> None:
    """What `nbgrader submit` / `nbgrader fetch_feedback` do for trainee ``sid`` working in ``home``.

    One OS user plays every trainee here, so the trainee is named explicitly (``--student``).
    """
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchFeedback, ExchangeSubmit

    from .nbgrader_api import load_config

    config = load_config(course)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = aid
    coursedir.student_id = sid
    cls = {"submit": ExchangeSubmit, "fetch_feedback": ExchangeFetchFeedback}[action]
    app = cls(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    app.assignment_dir = str(home)
    app.log.setLevel("ERROR")
    app.start()


# The simulated instructor's marks for a manually graded answer, by what the trainee wrote: the whole
# model answer, its first paragraph, or nothing.
MANUAL_SHARE = {"strong": 1.0, "tampered": 1.0, "partial": 0.5, "blank": 0.0}


def review_free_text(gb, assignments: list[str], profiles: dict[str, dict[str, str]]) -> int:
    """What an instructor does in formgrader, through the gradebook API formgrader's buttons call.

    Each manually graded answer gets a score (here by the simulated trainee's profile); grades
    flagged for review are marked reviewed. Returns the number of grades reviewed.
    """
    reviewed = 0
    for aid in assignments:
        for sub in gb.assignment_submissions(aid):
            profile = profiles.get(sub.student_id, {}).get(aid, "blank").split(":")[0]
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if not grade.needs_manual_grade:
                        continue
                    if grade.auto_score is None:  # a manually graded answer
                        grade.manual_score = grade.max_score * MANUAL_SHARE[profile]
                    grade.needs_manual_grade = False
                    reviewed += 1
    gb.db.commit()
    return reviewed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ipt_widgets.instructor.cycle", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=40, help="number of synthetic trainees (default 40)")
    parser.add_argument("--assignments", default="", help="comma-separated assignment ids (default: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="grading processes (default: cores)")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="the course to copy (default: here)")
    parser.add_argument("--workdir", type=Path, default=Path("build/cohort"), help="scratch course folder")
    parser.add_argument("--db", default=None, help="gradebook URL (default: SQLite in the scratch course)")
    parser.add_argument("--scheduler", default=None, help="a running Dask scheduler, e.g. tcp://host:8786")
    args = parser.parse_args(argv)
    if args.size < 1:
        parser.error("--size must be at least 1")
    assignments = [a for a in args.assignments.split(",") if a] or None
    source = args.course.resolve()
    if not (source / "nbgrader_config.py").is_file():
        print(f"{source}: no nbgrader_config.py here; pass --course", file=sys.stderr)
        return 2
    summary = run_cycle(source, args.workdir.resolve(), args.size, assignments, args.workers, args.db, args.scheduler)
    print(
        f"\nCohort of {args.size} ({', '.join(PROFILES)}), {len(summary['assignments'])} assignments, "
        f"{summary['seconds']} s."
    )
    print(f"Grades:  {summary['grades_csv']}")
    print(f"Report:  {summary['report']}")
    with open(summary["grades_csv"], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print(f"Exported {len(rows)} grade rows; {summary['reviewed']} free-text grades reviewed.")
    if summary["failed"]:
        print(f"{len(summary['failed'])} submissions failed to grade (the others were graded):")
        for where, error in summary["failed"].items():
            print(f"  {where}: {error.splitlines()[-1] if error else 'no log'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
