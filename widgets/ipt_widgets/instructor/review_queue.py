"""The free-text review queue: every graded draft whose score is provisional.

``grade_draft`` attaches ``{"ipt": {"review": {...}}}`` to its card's output when the scorer sends
a draft for review (unsafe content, off-model practice, another language, suspected copying,
material foreign to the case, hedged areas, far past the asked length). After ``nbgrader
autograde``, this module reads autograded/<trainee>/<assignment>/*.ipynb and lists, per
assignment: trainee, item, grade id, reasons, provisional score and where to override it in
formgrader. With ``--mark`` it also sets ``needs_manual_grade`` on those grades through nbgrader's
Gradebook API, so formgrader lists them as needing review.

    make review-queue ASSIGNMENT=m01_problem_areas [MARK=1]
    python -m ipt_widgets.instructor.review_queue --assignment m01_problem_areas [--mark] [--csv FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path


@dataclass(frozen=True)
class ReviewEntry:
    trainee: str
    assignment: str
    notebook: str
    grade_id: str
    item: str
    reasons: tuple[str, ...]
    points: float
    max_points: float

    @property
    def formgrader_path(self) -> str:
        """Where to override the score: formgrader's list of this notebook's submissions (open the
        trainee, type the score in the cell's manual score box)."""
        return f"/formgrader/gradebook/{self.assignment}/{self.notebook}"


def _entries_in(path: Path, trainee: str, assignment: str) -> list[ReviewEntry]:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found = []
    for cell in nb.get("cells", []):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        for output in cell.get("outputs", []):
            review = output.get("metadata", {}).get("ipt", {}).get("review")
            if isinstance(review, dict):
                found.append(
                    ReviewEntry(
                        trainee=trainee,
                        assignment=assignment,
                        notebook=path.stem,
                        grade_id=grade_id,
                        item=str(review.get("item", "")),
                        reasons=tuple(str(r) for r in review.get("reasons", [])),
                        points=float(review.get("points", 0.0)),
                        max_points=float(review.get("max_points", 0.0)),
                    )
                )
    return found


def read_queue(course: Path, assignments: Sequence[str] | None = None) -> list[ReviewEntry]:
    """Every provisional free-text score in the course's autograded notebooks, sorted."""
    root = Path(course) / "autograded"
    entries = []
    for path in sorted(root.glob("*/*/*.ipynb")):
        trainee, assignment = path.parent.parent.name, path.parent.name
        if assignments and assignment not in assignments:
            continue
        entries += _entries_in(path, trainee, assignment)
    return sorted(entries, key=lambda e: (e.assignment, e.grade_id, e.trainee))


def mark_for_review(entries: Sequence[ReviewEntry], db_url: str) -> int:
    """Flag each entry's grade ``needs_manual_grade`` in the gradebook (what formgrader lists as
    needing review); returns how many were flagged. The automatic score stays until overridden."""
    from nbgrader.api import Gradebook, MissingEntry

    marked = 0
    with Gradebook(db_url) as gb:
        for e in entries:
            try:
                grade = gb.find_grade(e.grade_id, e.notebook, e.assignment, e.trainee)
            except MissingEntry:
                continue
            grade.needs_manual_grade = True
            marked += 1
        gb.db.commit()
    return marked


def as_text(entries: Sequence[ReviewEntry]) -> str:
    if not entries:
        return "No free-text score needs review."
    lines = [f"{len(entries)} free-text score(s) need review (provisional until you confirm or override):"]
    for e in entries:
        lines.append(
            f"  {e.assignment} / {e.trainee} / {e.grade_id} ({e.item}): {e.points:g} of {e.max_points:g} — "
            f"{'; '.join(e.reasons)}\n      override in formgrader: {e.formgrader_path} → {e.trainee} → "
            f"{e.grade_id}, manual score box"
        )
    return "\n".join(lines)


def write_csv(entries: Sequence[ReviewEntry], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["assignment", "trainee", "grade_id", "item", "provisional", "max", "reasons", "formgrader"])
        for e in entries:
            writer.writerow(
                [
                    e.assignment,
                    e.trainee,
                    e.grade_id,
                    e.item,
                    e.points,
                    e.max_points,
                    "; ".join(e.reasons),
                    e.formgrader_path,
                ]
            )
    return path


def report_section(entries: Sequence[ReviewEntry]) -> str:
    """The competency report's section: the same list as an HTML table."""
    if not entries:
        return "<h2>Free-text review queue</h2><p>No free-text score needs review.</p>"
    rows = "".join(
        f"<tr><td>{escape(e.assignment)}</td><td>{escape(e.trainee)}</td><td>{escape(e.grade_id)}</td>"
        f"<td>{e.points:g} / {e.max_points:g}</td><td>{escape('; '.join(e.reasons))}</td>"
        f"<td><code>{escape(e.formgrader_path)}</code></td></tr>"
        for e in entries
    )
    return (
        "<h2>Free-text review queue</h2><p>These scores are provisional until you confirm or override them "
        "in formgrader (manual score box of the item's cell).</p><table><thead><tr><th>Assignment</th>"
        "<th>Trainee</th><th>Item</th><th>Provisional</th><th>Why</th><th>Formgrader</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def add_to_report(course: Path, out: Path, assignments: Sequence[str] | None = None) -> list[Path]:
    """Called by the competency report: write review_queue.csv and add the section to report.html."""
    entries = read_queue(course, assignments)
    paths = [write_csv(entries, out / "review_queue.csv")]
    page = out / "report.html"
    if page.is_file():
        html = page.read_text(encoding="utf-8")
        page.write_text(html.replace("</body>", report_section(entries) + "\n</body>", 1), encoding="utf-8")
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ipt_widgets.instructor.review_queue", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="course root (default: this folder)")
    parser.add_argument("--assignment", nargs="+", action="extend", metavar="ID", help="assignments (default: all)")
    parser.add_argument("--csv", type=Path, help="also write the list as CSV")
    parser.add_argument("--mark", action="store_true", help="flag these grades for manual review in the gradebook")
    parser.add_argument("--db", metavar="URL", help="gradebook URL (default: <course>/gradebook.db)")
    args = parser.parse_args(argv)
    entries = read_queue(args.course, args.assignment)
    print(as_text(entries))
    if args.csv:
        print(f"Wrote {write_csv(entries, args.csv)}")
    if args.mark and entries:
        url = args.db or f"sqlite:///{(args.course / 'gradebook.db').resolve()}"
        print(f"Flagged {mark_for_review(entries, url)} grade(s) for review in formgrader.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
