"""Reading the gradebook through nbgrader's API, read-only, and matching it with the source notebooks."""

from __future__ import annotations

import math
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import Item, ItemKey, ReportError, Trainee


def _safe_url(db_url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is reported by the caller; never echo a password
        return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", db_url)


def _check_sqlite(db_url: str) -> None:
    """Refuse a missing or foreign SQLite file: nbgrader's Gradebook would create an empty one."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(db_url)
    except ArgumentError as exc:
        raise ReportError(f"not a database URL: {_safe_url(db_url)}") from exc
    if not url.get_backend_name() == "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(url.database)
    if not path.is_file():
        raise ReportError(
            f"gradebook not found: {path} (run `nbgrader generate_assignment` and `autograde` first, or pass --db URL)"
        )
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise ReportError(f"cannot read the gradebook {path}: {exc}") from exc
    if not {"grade", "student", "assignment"} <= tables:
        raise ReportError(f"{path} is not an nbgrader gradebook (no grade, student or assignment table)")


@dataclass
class GradebookData:
    trainees: list[Trainee]
    scores: dict[str, dict[ItemKey, tuple[float, float]]]
    submitted: dict[str, set[str]]
    cells: dict[ItemKey, float]  # every grade or task cell of the gradebook, with its max score
    assignments: set[str]


def read_gradebook(db_url: str, course_id: str, assignments: Iterable[str]) -> GradebookData:
    """Read trainees and graded scores through nbgrader's API; never writes to the gradebook.

    A grade with neither an automatic nor a manual score is not graded yet, and left out
    (nbgrader's ``Grade.score`` would report it as 0).
    """
    _check_sqlite(db_url)
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SQLAlchemyError

    wanted = set(assignments)
    scores: dict[str, dict[ItemKey, tuple[float, float]]] = defaultdict(dict)
    submitted: dict[str, set[str]] = defaultdict(set)
    cells: dict[ItemKey, float] = {}
    try:
        # course_id "" (nbgrader's default) makes Gradebook add no course row: this stays read-only.
        with Gradebook(db_url, course_id=course_id) as gb:
            trainees = [Trainee(s.id, s.first_name or "", s.last_name or "") for s in gb.students]
            known = {a.name: a for a in gb.assignments}
            for name in sorted(wanted & set(known)):
                assignment = known[name]
                for notebook in assignment.notebooks:
                    for cell in [*notebook.grade_cells, *notebook.task_cells]:
                        cells[(name, notebook.name, cell.name)] = float(cell.max_score or 0)
                for submission in assignment.submissions:
                    submitted[submission.student_id].add(name)
                    for notebook in submission.notebooks:
                        for grade in notebook.grades:
                            if grade.auto_score is None and grade.manual_score is None:
                                continue
                            key = (name, notebook.name, grade.name)
                            scores[submission.student_id][key] = (float(grade.score), float(grade.max_score or 0))
    except SQLAlchemyError as exc:
        raise ReportError(f"cannot read the gradebook {_safe_url(db_url)}: {exc.__class__.__name__}: {exc}") from exc
    return GradebookData(trainees, dict(scores), dict(submitted), cells, set(known))


def reconcile(items: Sequence[Item], data: GradebookData) -> tuple[list[Item], list[str]]:
    """Keep the items the gradebook knows; say what is in one source and not the other."""
    notes, kept = [], []
    for assignment in sorted({i.assignment for i in items} - data.assignments):
        notes.append(f"{assignment} is not in the gradebook yet (run `nbgrader generate_assignment`): left out.")
    for item in items:
        if item.assignment not in data.assignments:
            continue
        if item.key not in data.cells:
            notes.append(
                f"{item.assignment}/{item.notebook}, cell {item.grade_id} is in the source notebook but not in "
                "the gradebook (added after release?): left out."
            )
            continue
        if not math.isclose(item.points, data.cells[item.key]):
            notes.append(
                f"{item.assignment}/{item.notebook}, cell {item.grade_id}: {item.points:g} points in the source "
                f"but {data.cells[item.key]:g} in the gradebook; the gradebook's are used."
            )
        kept.append(item)
    in_source = {i.key for i in items}
    for key in sorted(k for k in data.cells if k[0] in {i.assignment for i in items} and k not in in_source):
        notes.append(f"{key[0]}/{key[1]}, cell {key[2]} is in the gradebook but not in the source notebook: left out.")
    return kept, notes
