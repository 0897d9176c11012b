"""The gradebook rows a grading task needs and returns, as plain data that crosses machines.

A grading task (:mod:`.grading_task`) never opens the course gradebook. The coordinator reads
what the task needs from it: the assignment's rows (notebooks and their grade, solution, task
and source cells, the due date) and what the course already holds for this trainee (an extension,
manual scores, which decide whether nbgrader asks for a review). The task grades into a
throw-away SQLite gradebook built from those rows and returns what autograde wrote there; the
coordinator, the only writer, copies that into the course gradebook (SQLite or PostgreSQL).
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Iterator
from typing import Any

Rows = dict[str, Any]
CELL_KINDS = {
    "grade_cells": ("update_or_create_grade_cell", ("max_score", "cell_type")),
    "solution_cells": ("update_or_create_solution_cell", ()),
    "task_cells": ("update_or_create_task_cell", ("max_score", "cell_type")),
    "source_cells": ("update_or_create_source_cell", ("cell_type", "locked", "source", "checksum")),
}


@contextlib.contextmanager
def quiet_submissions() -> Iterator[None]:
    """Without SQLAlchemy's warning about nbgrader's new submission rows (harmless, one per trainee)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Object of type <Submitted")
        yield


def assignment_rows(gb, assignment: str) -> Rows:
    """Everything of ``assignment`` that autograde reads from the gradebook."""
    found = gb.find_assignment(assignment)
    notebooks = []
    for nb in found.notebooks:
        entry: Rows = {"name": nb.name, "kernelspec": nb.kernelspec}
        for kind, (_, fields) in CELL_KINDS.items():
            entry[kind] = [{"name": c.name, **{f: getattr(c, f) for f in fields}} for c in getattr(nb, kind)]
        notebooks.append(entry)
    return {"name": found.name, "duedate": found.duedate, "notebooks": notebooks}


def build_assignment(gb, rows: Rows) -> None:
    """Recreate an assignment's rows (from :func:`assignment_rows`) in another gradebook."""
    aid = rows["name"]
    gb.update_or_create_assignment(aid, duedate=rows["duedate"])
    for nb in rows["notebooks"]:
        gb.update_or_create_notebook(nb["name"], aid, kernelspec=nb["kernelspec"])
        for kind, (method, fields) in CELL_KINDS.items():
            for cell in nb[kind]:
                getattr(gb, method)(cell["name"], nb["name"], aid, **{f: cell[f] for f in fields})


def _submission_id(gb, assignment: str, student: str) -> str | None:
    """The submission's row id, or None; without loading nbgrader's computed scores (which a
    submission object loads every time, and the coordinator would pay for every trainee)."""
    from nbgrader.api import Assignment, SubmittedAssignment

    return (
        gb.db.query(SubmittedAssignment.id)
        .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
        .filter(Assignment.name == assignment, SubmittedAssignment.student_id == student)
        .scalar()
    )


def prior_rows(gb, assignment: str, student: str) -> Rows:
    """What the course gradebook already holds for this submission that autograde takes into account."""
    from nbgrader.api import BaseCell, Grade, Notebook, SubmittedAssignment, SubmittedNotebook

    sub_id = _submission_id(gb, assignment, student)
    if sub_id is None:
        return {"extension": None, "manual": {}}
    extension = gb.db.query(SubmittedAssignment.extension).filter(SubmittedAssignment.id == sub_id).scalar()
    scored = (
        gb.db.query(Notebook.name, BaseCell.name, Grade.manual_score)
        .join(SubmittedNotebook, SubmittedNotebook.notebook_id == Notebook.id)
        .join(Grade, Grade.notebook_id == SubmittedNotebook.id)
        .join(BaseCell, BaseCell.id == Grade.cell_id)
        .filter(SubmittedNotebook.assignment_id == sub_id, Grade.manual_score.isnot(None))
        .all()
    )
    return {"extension": extension, "manual": {f"{nb}/{cell}": score for nb, cell, score in scored}}


def seed_prior(gb, assignment: str, student: str, prior: Rows) -> None:
    """Put the trainee's extension and manual scores into a task's own gradebook before it grades."""
    if prior.get("extension") is None and not prior.get("manual"):
        return
    gb.update_or_create_student(student)
    sub = gb.update_or_create_submission(assignment, student, extension=prior.get("extension"))
    for nb in sub.notebooks:
        for grade in nb.grades:
            grade.manual_score = prior["manual"].get(f"{nb.name}/{grade.name}", grade.manual_score)
    gb.db.commit()


def graded_rows(gb, assignment: str, student: str) -> Rows:
    """What autograde wrote for this submission: its time, late penalties, scores and comments."""
    sub = gb.find_submission(assignment, student)
    notebooks = {}
    for nb in sub.notebooks:
        notebooks[nb.name] = {
            "late_submission_penalty": nb.late_submission_penalty,
            "grades": {g.name: [g.auto_score, bool(g.needs_manual_grade)] for g in nb.grades},
            "comments": {c.name: c.auto_comment for c in nb.comments},
        }
    return {"timestamp": sub.timestamp, "notebooks": notebooks, "score": sub.score}


def write_graded(gb, assignment: str, student: str, rows: Rows) -> None:
    """Copy a task's :func:`graded_rows` into the course gradebook (the coordinator's one write).

    Only what autograde sets is written; manual scores, extra credit and manual comments that an
    instructor entered stay as they are. The rows are updated by id in three statements: going
    through nbgrader's objects loads every notebook's computed scores again (about 20 ms a
    submission), and the coordinator, the only writer, is the ceiling of a whole cluster.
    """
    from nbgrader import utils
    from nbgrader.api import BaseCell, Comment, Grade, MissingEntry, Notebook, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy import update

    sub_id = _submission_id(gb, assignment, student)
    if sub_id is None:  # the first grading of this submission: nbgrader creates its rows
        try:
            gb.find_student(student)
        except MissingEntry:
            gb.add_student(student)
        with quiet_submissions():
            sub_id = gb.add_submission(assignment, student).id
    if rows.get("timestamp"):
        stamp = utils.parse_utc(rows["timestamp"])
        gb.db.execute(update(SubmittedAssignment).where(SubmittedAssignment.id == sub_id).values(timestamp=stamp))
    names = dict(
        gb.db.query(SubmittedNotebook.id, Notebook.name)
        .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id)
        .filter(SubmittedNotebook.assignment_id == sub_id)
        .all()
    )
    for name in names.values():
        if name not in rows["notebooks"]:
            raise ValueError(f"{assignment}/{student}: the graded rows have no notebook {name!r}")
    penalties = [
        {"id": i, "late_submission_penalty": rows["notebooks"][n]["late_submission_penalty"]} for i, n in names.items()
    ]
    grades, comments = [], []
    for table, out in ((Grade, grades), (Comment, comments)):
        found = (
            gb.db.query(table.id, table.notebook_id, BaseCell.name)
            .join(BaseCell, table.cell_id == BaseCell.id)
            .filter(table.notebook_id.in_(list(names)))
            .all()
        )
        for row_id, notebook_id, cell in found:
            graded = rows["notebooks"][names[notebook_id]]
            if table is Grade:
                auto, needs = graded["grades"][cell]
                out.append({"id": row_id, "auto_score": auto, "needs_manual_grade": needs})
            else:
                out.append({"id": row_id, "auto_comment": graded["comments"].get(cell)})
    for table, values in ((SubmittedNotebook, penalties), (Grade, grades), (Comment, comments)):
        if values:
            gb.db.execute(update(table), values)
    gb.db.commit()


# nbgrader's tables have no index that starts with these columns (its unique constraints start
# with the cell or the notebook), so every lookup of a submission's notebooks, grades and comments
# read whole tables: 1.6 ms a query at 12,000 grade rows, growing with the cohort. These indexes
# serve the coordinator and nbgrader's own computed scores (the formgrader) alike.
INDEXES = {
    "ipt_grade_notebook": ("grade", "notebook_id"),
    "ipt_comment_notebook": ("comment", "notebook_id"),
    "ipt_submitted_notebook_assignment": ("submitted_notebook", "assignment_id"),
}


def ensure_indexes(gb) -> bool:
    """Add :data:`INDEXES` to the gradebook if missing (idempotent); False if it could not now."""
    from sqlalchemy import text

    try:
        for name, (table, column) in INDEXES.items():
            gb.db.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})"))
        gb.db.commit()
        return True
    except Exception:  # a locked or read-only gradebook: grading goes on, only slower
        gb.db.rollback()
        return False


LOCKED = "database is locked"


def patient_url(url: str) -> str:
    """A SQLite URL that waits up to 30 s for another writer's lock (other URLs unchanged)."""
    if url.startswith("sqlite:") and "timeout=" not in url:
        return f"{url}{'&' if '?' in url else '?'}timeout=30"
    return url


def write_patiently(gb, assignment: str, student: str, rows: Rows, attempts: int = 4) -> None:
    """:func:`write_graded`, waiting for a gradebook that another writer holds (a backup, a stray lock)."""
    for attempt in range(1, attempts + 1):
        try:
            write_graded(gb, assignment, student, rows)
            return
        except Exception as exc:
            gb.db.rollback()
            if LOCKED not in str(exc) or attempt == attempts:
                raise
            time.sleep(2 * attempt)
