"""The command: read the course and the gradebook, compute the report, write its six files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .course import course_settings, read_items
from .csvs import write_csvs
from .gradebook import read_gradebook, reconcile
from .heatmap import heatmap_svg
from .item_plot import item_analysis_svg
from .model import Report, ReportError
from .page import report_html
from .parts import read_parts
from .risk import RISK_COMPETENCY, risk_scores
from .tables import build_report


def write_report(report: Report, out: Path, course: str = "") -> list[Path]:
    """Write the six files into ``out`` (created if needed) and return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    ignore = out / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Trainees' grades: never commit this folder.\n*\n", encoding="utf-8")
    write_csvs(report, out)
    shown = [c.competency for c in report.cohort if c.items]
    heatmap = heatmap_svg(report.trainees, shown)
    items_svg = item_analysis_svg(report.item_rows)
    (out / "heatmap.svg").write_text(heatmap, encoding="utf-8")
    (out / "item_analysis.svg").write_text(items_svg, encoding="utf-8")
    (out / "report.html").write_text(report_html(report, heatmap, items_svg, course), encoding="utf-8")
    names = ["trainee_competencies.csv", "cohort_competencies.csv", "items.csv"]
    return [out / n for n in [*names, "heatmap.svg", "item_analysis.svg", "report.html"]]


def run(course: Path, out: Path | None = None, assignments: Sequence[str] | None = None, db: str | None = None):
    """Read the course and gradebook, compute the report and write it. Raises ReportError on bad input."""
    course = course.resolve()
    settings = course_settings(course, db)
    items, notes = read_items(settings.source, assignments)
    data = read_gradebook(settings.db_url, settings.course_id, {i.assignment for i in items})
    kept, more = reconcile(items, data)
    risk = risk_scores(kept, read_parts(course, assignments))
    report = build_report(
        kept, data.trainees, data.scores, data.submitted, [*notes, *more], evidence={RISK_COMPETENCY: risk}
    )
    out = out or course / "reports" / "competency"
    paths = write_report(report, out, str(course))
    from ..review_queue import add_to_report  # the free-text review queue: its own module

    paths = [*add_to_report(course, out, assignments), *paths]
    return report, paths


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit status (0 done, 2 bad course, gradebook or arguments)."""
    parser = argparse.ArgumentParser(
        prog="python -m ipt_widgets.instructor.report",
        description="Competency report of a cohort: per-trainee and cohort competency scores, item "
        "difficulty and discrimination, as CSV, SVG and one HTML page.",
    )
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="course root (default: this folder)")
    parser.add_argument("--out", type=Path, help="output folder (default: <course>/reports/competency)")
    parser.add_argument("--db", metavar="URL", help="gradebook URL (default: the course's nbgrader config)")
    parser.add_argument(
        "--assignment", nargs="+", action="extend", metavar="ID", help="assignments to report on (default: all)"
    )
    args = parser.parse_args(argv)
    try:
        report, paths = run(args.course, args.out, args.assignment, args.db)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    missing = report.missing_not_submitted + report.missing_not_graded
    print(
        f"{len(report.trainees)} trainees, {len(report.assignments)} assignments, {len(report.items)} items, "
        f"{missing} missing item scores ({report.missing_not_submitted} not submitted, "
        f"{report.missing_not_graded} not graded yet)."
    )
    for note in report.notes:
        print(f"note: {note}")
    print(f"Wrote {len(paths)} files to {paths[0].parent}; open {paths[-1].name}.")
    return 0
