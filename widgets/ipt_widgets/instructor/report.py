"""Competency report: how a cohort is doing on each IPT competency, and how well each item works.

Run from the course root (the folder holding ``nbgrader_config.py``)::

    python -m ipt_widgets.instructor.report [--course DIR] [--out DIR] [--db URL] [--assignment ID ...]

It reads two things and writes six files:

- the item-to-competency map, from the grade cells of the instructor's source notebooks
  (``solutions/<assignment>/<notebook>.ipynb``, cell metadata ``ipt.competencies``);
- the scores, from nbgrader's gradebook through ``nbgrader.api.Gradebook`` (``grade.score``: the
  manual score when an instructor set one, else the autograder's);
- into ``--out`` (default ``<course>/reports/competency/``): ``trainee_competencies.csv``,
  ``cohort_competencies.csv``, ``items.csv``, ``heatmap.svg``, ``item_analysis.svg`` and
  ``report.html``, one self-contained page that holds everything.

Missing is not zero: an item a trainee never submitted, or one not graded yet (a written answer
waiting in formgrader), is left out of that trainee's fractions and counted as missing.

The module has three layers, so that the statistics can be tested without a database:
reading (solutions notebooks, course config, gradebook), pure computation (difficulty,
discrimination, aggregation) and rendering (CSV, SVG, HTML). Every string that a trainee could
have supplied (ids, names) is escaped in the HTML and the SVG, and guarded in the CSV against
spreadsheet formula injection.

The report holds trainees' grades: it writes a ``.gitignore`` into the output folder so that it
is never committed to the course repository by accident.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sqlite3
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from ..vocab import COMPETENCIES

# Thresholds, from classical test theory (e.g. Ebel & Frisbie, *Essentials of Educational
# Measurement*): an item almost everyone gets right or wrong tells you little about who has the
# competency, and a corrected item-total correlation below 0.2 means the item does not separate
# stronger from weaker trainees.
TOO_EASY = 0.9
TOO_HARD = 0.2
LOW_DISCRIMINATION = 0.2
NEEDS_SUPPORT = 0.6  # a trainee below this fraction on a competency needs support with it
NEEDS_SUPPORT_SHARE = 0.25  # a competency where more than this share needs support is a cohort issue
MIN_N = 3  # fewest pairs for which a correlation is reported at all

ItemKey = tuple[str, str, str]  # (assignment, notebook, grade_id)
Scores = Mapping[str, Mapping[ItemKey, tuple[float, float]]]  # trainee -> item -> (score, max score)


class ReportError(Exception):
    """A problem with the course or the gradebook that the instructor must fix; the message says where."""


# -- data model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One graded item: an nbgrader grade cell of a source notebook, with its competency tags."""

    assignment: str
    notebook: str
    grade_id: str
    points: float
    competencies: tuple[str, ...] = ()
    manual: bool = False  # a manually graded answer (written formulation), scored in formgrader

    @property
    def key(self) -> ItemKey:
        return (self.assignment, self.notebook, self.grade_id)


@dataclass(frozen=True)
class Trainee:
    """A student of the gradebook. Names come from the gradebook and are never trusted."""

    id: str
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part).strip()


@dataclass
class TraineeRow:
    trainee: Trainee
    competencies: dict[str, float | None]
    total: float | None  # fraction over every graded item, tagged or not
    graded: int
    missing: int


@dataclass
class CohortRow:
    competency: str
    label: str
    items: int
    trainees: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    needs_support: int

    @property
    def needs_support_share(self) -> float | None:
        return self.needs_support / self.trainees if self.trainees else None


@dataclass
class ItemRow:
    item: Item
    n: int
    missing: int
    difficulty: float | None
    discrimination: float | None
    discrimination_note: str
    flags: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Everything the renderers need, computed from items and scores."""

    items: list[Item]
    trainees: list[TraineeRow]
    cohort: list[CohortRow]
    item_rows: list[ItemRow]
    assignments: list[str]
    missing_not_submitted: int
    missing_not_graded: int
    notes: list[str]  # data problems found while reading (untagged items, mismatches, ...)


# -- pure computations ------------------------------------------------------------------------


def fraction(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Sum of scores over sum of maximum scores, or None when there is nothing to divide by.

    Parameters
    ----------
    pairs : iterable of (score, max_score)

    Returns
    -------
    float or None
    """
    pairs = list(pairs)
    top = math.fsum(m for _, m in pairs)
    if not pairs or top <= 0:
        return None
    return math.fsum(s for s, _ in pairs) / top


def difficulty(fractions: Sequence[float]) -> float | None:
    """The classical item difficulty (p-value): the mean fraction of the points earned.

    Higher means easier. None when no trainee has a score for the item.
    """
    return math.fsum(fractions) / len(fractions) if fractions else None


def pearson(xs: Sequence[float], ys: Sequence[float]) -> tuple[float | None, str]:
    """Pearson's correlation of two paired sequences, with the reason when it is undefined.

    With a 0/1 item this is the point-biserial correlation.

    Returns
    -------
    (r, reason) : r is None, and reason says why, when there are fewer than ``MIN_N`` pairs or
        either sequence has no variance; otherwise reason is "".
    """
    if len(xs) != len(ys):
        raise ValueError(f"pearson: {len(xs)} x values but {len(ys)} y values")
    n = len(xs)
    if n < MIN_N:
        return None, f"only {n} trainee(s) with data (need {MIN_N})"
    mx, my = math.fsum(xs) / n, math.fsum(ys) / n
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12:
        return None, "no variance: every trainee scored the same on this item"
    if syy <= 1e-12:
        return None, "no variance: every trainee has the same total on the other items"
    r = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r)), ""


def rest_fractions(item: Item, items: Sequence[Item], scores: Scores) -> dict[str, float]:
    """Each trainee's fraction over the *other* graded items of the item's assignment.

    This is the "corrected" total: leaving the item out keeps it from correlating with itself.
    Trainees with no other graded item in the assignment are left out.
    """
    others = [i.key for i in items if i.assignment == item.assignment and i.key != item.key]
    result = {}
    for trainee, graded in scores.items():
        value = fraction(graded[k] for k in others if k in graded)
        if value is not None:
            result[trainee] = value
    return result


def discrimination(item_fractions: Mapping[str, float], rest: Mapping[str, float]) -> tuple[float | None, str]:
    """Corrected item-total correlation: the item's fraction against the rest of the assignment.

    Parameters
    ----------
    item_fractions : trainee -> fraction of the item's points earned
    rest : trainee -> fraction over the other items of the same assignment

    Returns
    -------
    (r, reason) : as :func:`pearson`, over the trainees present in both mappings.
    """
    common = sorted(set(item_fractions) & set(rest))
    r, reason = pearson([item_fractions[t] for t in common], [rest[t] for t in common])
    if r is None and len(common) < MIN_N and len(item_fractions) >= MIN_N:
        reason += " who also have another graded item in this assignment"
    return r, reason


def item_flags(p: float | None, r: float | None) -> list[str]:
    """The flags of an item: "too easy" (p > 0.9), "too hard" (p < 0.2), "low discrimination" (r < 0.2)."""
    flags = []
    if p is not None and p > TOO_EASY:
        flags.append("too easy")
    if p is not None and p < TOO_HARD:
        flags.append("too hard")
    if r is not None and r < LOW_DISCRIMINATION:
        flags.append("low discrimination")
    return flags


def analyse_items(items: Sequence[Item], scores: Scores, expected: Mapping[str, set[ItemKey]]) -> list[ItemRow]:
    """Difficulty, discrimination and flags of every item.

    Parameters
    ----------
    items : the graded items
    scores : trainee -> item key -> (score, max score), graded items only
    expected : trainee -> the item keys that trainee should have a score for (missing = expected - graded)
    """
    rows = []
    for item in items:
        fractions = {}
        for trainee, graded in scores.items():
            score, top = graded.get(item.key, (0.0, 0.0))
            if top > 0:  # not graded (absent), or a 0-point item: no fraction
                fractions[trainee] = score / top
        p = difficulty(list(fractions.values()))
        r, reason = discrimination(fractions, rest_fractions(item, items, scores))
        if p is None:
            reason = "no graded answers yet"
        elif not any(i.assignment == item.assignment and i.key != item.key for i in items):
            reason = "the only item of its assignment: no other items to correlate with"
        missing = sum(1 for t, keys in expected.items() if item.key in keys and item.key not in scores.get(t, {}))
        rows.append(ItemRow(item, len(fractions), missing, p, r, reason, item_flags(p, r)))
    return rows


def summarise_trainees(
    trainees: Sequence[Trainee],
    items: Sequence[Item],
    scores: Scores,
    expected: Mapping[str, set[ItemKey]],
    competencies: Sequence[str] = tuple(COMPETENCIES),
) -> list[TraineeRow]:
    """Per trainee: the fraction earned on each competency, the total, and items graded or missing.

    An item tagged with k competencies counts fully toward each of them. Only graded items count;
    a missing item is neither a zero nor in the denominator.
    """
    by_competency: dict[str, list[ItemKey]] = {c: [] for c in competencies}
    for item in items:
        for c in item.competencies:
            if c in by_competency:
                by_competency[c].append(item.key)
    rows = []
    for trainee in trainees:
        graded = scores.get(trainee.id, {})
        own = expected.get(trainee.id, set())
        values = {c: fraction(graded[k] for k in keys if k in graded) for c, keys in by_competency.items()}
        total = fraction(graded[i.key] for i in items if i.key in graded)
        n_graded = sum(1 for i in items if i.key in graded)
        n_missing = sum(1 for k in own if k not in graded)
        rows.append(TraineeRow(trainee, values, total, n_graded, n_missing))
    return rows


def summarise_cohort(
    rows: Sequence[TraineeRow], items: Sequence[Item], competencies: Sequence[str] = tuple(COMPETENCIES)
) -> list[CohortRow]:
    """Per competency: items, trainees with data, mean, median, min, max and how many are below 0.6."""
    result = []
    for c in competencies:
        values = [row.competencies[c] for row in rows if row.competencies.get(c) is not None]
        n_items = sum(1 for i in items if c in i.competencies)
        result.append(
            CohortRow(
                competency=c,
                label=COMPETENCIES.get(c, c),
                items=n_items,
                trainees=len(values),
                mean=statistics.fmean(values) if values else None,
                median=statistics.median(values) if values else None,
                minimum=min(values) if values else None,
                maximum=max(values) if values else None,
                needs_support=sum(1 for v in values if v < NEEDS_SUPPORT),
            )
        )
    return result


def build_report(
    items: Sequence[Item],
    trainees: Sequence[Trainee],
    scores: Scores,
    submitted: Mapping[str, set[str]],
    notes: Sequence[str] = (),
) -> Report:
    """Compute the whole report from plain data (no database, no files).

    Parameters
    ----------
    items : the graded items of the assignments reported on (only those the gradebook knows)
    trainees : every trainee of the gradebook
    scores : trainee id -> item key -> (score, max score), for graded items only
    submitted : trainee id -> the assignments that trainee submitted
    notes : data problems found while reading, carried into the report
    """
    items = list(items)
    assignments = sorted({i.assignment for i in items})
    expected = {t.id: {i.key for i in items} for t in trainees}
    not_submitted = not_graded = 0
    for t in trainees:
        graded = scores.get(t.id, {})
        for i in items:
            if i.key in graded:
                continue
            if i.assignment in submitted.get(t.id, set()):
                not_graded += 1
            else:
                not_submitted += 1
    rows = summarise_trainees(trainees, items, scores, expected)
    rows.sort(key=lambda r: (r.total is None, -(r.total or 0.0), r.trainee.id))
    return Report(
        items=items,
        trainees=rows,
        cohort=summarise_cohort(rows, items),
        item_rows=analyse_items(items, scores, expected),
        assignments=assignments,
        missing_not_submitted=not_submitted,
        missing_not_graded=not_graded,
        notes=list(notes),
    )


def action_notes(report: Report) -> list[str]:
    """The "what to do" list, in plain text (the renderer escapes it)."""
    notes = []
    n = len(report.trainees)
    for row in report.item_rows:
        where = f"{row.item.assignment} / {row.item.grade_id}"
        if "too easy" in row.flags:
            notes.append(
                f"{where} is too easy (difficulty {row.difficulty:.2f}): check that the item does not give the "
                "answer away, or keep it on purpose as a confidence builder."
            )
        if "too hard" in row.flags:
            notes.append(
                f"{where} is too hard (difficulty {row.difficulty:.2f}): check the reference answer first, then "
                "whether the teaching notebook prepares for it."
            )
        if "low discrimination" in row.flags:
            hint = (
                "trainees who do well elsewhere do worse here: check the reference answer for an error"
                if row.discrimination < 0
                else "read a few answers: strong trainees may be reading the item differently from the reference"
            )
            notes.append(f"{where} discriminates poorly (r = {row.discrimination:.2f}): {hint}.")
    for c in report.cohort:
        share = c.needs_support_share
        if share is not None and share > NEEDS_SUPPORT_SHARE:
            notes.append(
                f"{c.competency}: {c.needs_support} of {c.trainees} trainees ({share:.0%}) are below "
                f"{NEEDS_SUPPORT:.1f}. Revisit it with the cohort, e.g. with extra practice cases and supervision."
            )
    missing = report.missing_not_submitted + report.missing_not_graded
    if report.missing_not_graded:
        notes.append(
            f"{report.missing_not_graded} submitted item(s) are not graded yet (e.g. written answers): score them "
            "in formgrader, then run this report again."
        )
    if report.missing_not_submitted:
        notes.append(f"{report.missing_not_submitted} item(s) are missing because the assignment was not submitted.")
    if not n:
        notes.append("The gradebook has no trainees yet: collect and autograde submissions, then run this again.")
    if 0 < n < 30 and report.item_rows:
        notes.append(
            f"With {n} trainee(s), difficulty and discrimination are rough estimates: read them as hints, not verdicts."
        )
    if not missing and not notes:
        notes.append("Nothing to act on: no item is flagged and no competency has more than 25% needing support.")
    return notes


# -- reading ----------------------------------------------------------------------------------


@dataclass
class CourseSettings:
    db_url: str
    course_id: str
    source: Path


def course_settings(course: Path, db_url: str | None = None) -> CourseSettings:
    """The gradebook URL, course id and source folder, from the course's ``nbgrader_config.py``.

    The config file is loaded as nbgrader loads it (traitlets). Without one, nbgrader's defaults
    apply: ``sqlite:///<course>/gradebook.db``; the source folder is this course's ``solutions``.
    ``db_url``, when given (``--db``), wins over the config.
    """
    if not course.is_dir():
        raise ReportError(f"course folder not found: {course}")
    config_file = course / "nbgrader_config.py"
    settings = {}
    if config_file.is_file():
        from traitlets.config.loader import PyFileConfigLoader  # nbgrader's own config machinery

        try:
            config = PyFileConfigLoader(config_file.name, path=str(course)).load_config()
        except Exception as exc:  # a broken config can raise anything; name the file instead
            raise ReportError(f"cannot load the nbgrader config {config_file}: {exc}") from exc
        settings = dict(config.get("CourseDirectory", {}))
    url = db_url or settings.get("db_url") or f"sqlite:///{course / 'gradebook.db'}"
    source = course / str(settings.get("source_directory") or "solutions")
    return CourseSettings(db_url=url, course_id=str(settings.get("course_id") or ""), source=source)


def read_items(source: Path, assignments: Sequence[str] | None = None) -> tuple[list[Item], list[str]]:
    """Read the graded items and their competency tags from the source notebooks.

    Parameters
    ----------
    source : the nbgrader source folder (``solutions/``)
    assignments : the assignment ids to read; None for every assignment folder

    Returns
    -------
    (items, notes) : notes name untagged items and unknown competency ids.

    Raises
    ------
    ReportError
        when the folder or a requested assignment is missing, or a notebook or its metadata is malformed.
    """
    if not source.is_dir():
        raise ReportError(f"source folder not found: {source} (nbgrader's source_directory)")
    available = sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))
    if assignments:
        unknown = [a for a in assignments if a not in available]
        if unknown:
            raise ReportError(
                f"no assignment {', '.join(unknown)} in {source} (available: {', '.join(available) or 'none'})"
            )
        wanted = list(dict.fromkeys(assignments))
    else:
        wanted = available
    items, notes = [], []
    for assignment in wanted:
        for path in sorted((source / assignment).glob("*.ipynb")):
            try:
                cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ReportError(f"cannot read notebook {path}: {exc}") from exc
            for cell in cells:
                item, note = _item_from_cell(cell, assignment, path)
                if item:
                    items.append(item)
                if note:
                    notes.append(note)
    return items, notes


def _item_from_cell(cell: dict, assignment: str, path: Path) -> tuple[Item | None, str]:
    metadata = cell.get("metadata") or {}
    nbg = metadata.get("nbgrader") or {}
    if not (nbg.get("grade") or nbg.get("task")):
        return None, ""
    grade_id = nbg.get("grade_id")
    if not isinstance(grade_id, str) or not grade_id:
        raise ReportError(f"{path}: a grade cell has no nbgrader.grade_id")
    try:
        points = float(nbg.get("points", 0))
    except (TypeError, ValueError) as exc:
        raise ReportError(f"{path}: cell {grade_id}: nbgrader.points is not a number") from exc
    tags = (metadata.get("ipt") or {}).get("competencies")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise ReportError(f"{path}: cell {grade_id}: ipt.competencies must be a list of competency ids")
    tags = list(dict.fromkeys(tags or []))
    unknown = [t for t in tags if t not in COMPETENCIES]
    known = tuple(t for t in tags if t in COMPETENCIES)
    manual = bool(nbg.get("solution")) or bool(nbg.get("task")) or cell.get("cell_type") == "markdown"
    item = Item(assignment, path.stem, grade_id, points, known, manual)
    if unknown:
        return item, (
            f"{assignment}/{path.name}, cell {grade_id}: unknown competency id(s) {', '.join(unknown)} "
            "(not in ipt_widgets.vocab.COMPETENCIES) are ignored; fix the tag."
        )
    if not known:
        return item, (
            f"{assignment}/{path.name}, cell {grade_id}: untagged (no ipt.competencies); it counts in totals "
            "and item analysis but toward no competency. Tag it in the source notebook."
        )
    return item, ""


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


# -- rendering: CSV ---------------------------------------------------------------------------


def _num(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _csv_text(value: str) -> str:
    """Guard a trainee-supplied string against formula injection when the CSV is opened in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_csvs(report: Report, out: Path) -> None:
    """Write ``trainee_competencies.csv``, ``cohort_competencies.csv`` and ``items.csv``."""
    competencies = list(COMPETENCIES)
    with open(out / "trainee_competencies.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student_id", *competencies, "total_percent", "items_graded", "items_missing"])
        for row in report.trainees:
            w.writerow(
                [
                    _csv_text(row.trainee.id),
                    *(_num(row.competencies.get(c)) for c in competencies),
                    _num(None if row.total is None else 100 * row.total, 1),
                    row.graded,
                    row.missing,
                ]
            )
    with open(out / "cohort_competencies.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "competency",
                "label",
                "items",
                "trainees_with_data",
                "mean",
                "median",
                "min",
                "max",
                "needs_support_count",
                "needs_support_share",
            ]
        )
        for c in report.cohort:
            w.writerow(
                [
                    c.competency,
                    c.label,
                    c.items,
                    c.trainees,
                    _num(c.mean),
                    _num(c.median),
                    _num(c.minimum),
                    _num(c.maximum),
                    c.needs_support,
                    _num(c.needs_support_share),
                ]
            )
    with open(out / "items.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "assignment",
                "notebook",
                "grade_id",
                "points",
                "competencies",
                "n",
                "missing",
                "difficulty",
                "discrimination",
                "discrimination_note",
                "flags",
            ]
        )
        for row in report.item_rows:
            i = row.item
            w.writerow(
                [
                    i.assignment,
                    i.notebook,
                    i.grade_id,
                    f"{i.points:g}",
                    ";".join(i.competencies) or "untagged",
                    row.n,
                    row.missing,
                    _num(row.difficulty),
                    _num(row.discrimination),
                    row.discrimination_note,
                    ";".join(row.flags),
                ]
            )


# -- rendering: SVG ---------------------------------------------------------------------------

_FONT = "font-family='system-ui, sans-serif'"
# XML 1.0 forbids these characters even when escaped; a name holding one would break the SVG.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# viridis, sampled at 0, 0.1, ..., 1: perceptually uniform, readable with every common colour
# vision deficiency and in greyscale.
_VIRIDIS = (
    "#440154",
    "#482475",
    "#414487",
    "#355f8d",
    "#2a788e",
    "#21918c",
    "#22a884",
    "#44bf70",
    "#7ad151",
    "#bddf26",
    "#fde725",
)


def text(value: object, limit: int | None = None) -> str:
    """Escape any string for HTML or SVG text and attributes, after cutting it to ``limit`` characters."""
    s = _NOT_XML.sub("", str(value))
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    return escape(s, quote=True)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def colour_for(value: float) -> str:
    """The viridis colour of a fraction (0–1, clamped), interpolated between the sampled stops."""
    v = max(0.0, min(1.0, value)) * (len(_VIRIDIS) - 1)
    lo = min(int(v), len(_VIRIDIS) - 2)
    t = v - lo
    a, b = _rgb(_VIRIDIS[lo]), _rgb(_VIRIDIS[lo + 1])
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def _ink(background: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG relative luminance)."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(background))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def _svg(width: float, height: float, title: str, desc: str, body: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' width='{width:.0f}' "
        f"style='max-width:100%;height:auto' role='img' aria-label='{text(title)}'>"
        f"<title>{text(title)}</title><desc>{text(desc)}</desc>{body}</svg>"
    )


def heatmap_svg(rows: Sequence[TraineeRow], competencies: Sequence[str]) -> str:
    """Trainees (rows, sorted by total, highest first) × competencies (columns), value printed in each cell.

    Tall cohorts make a tall figure: rows keep a readable height however many trainees there are.
    """
    label_w, cell_w, cell_h, header_h, legend_h = 300, 62, 20, 150, 56
    columns = [*competencies, "total"]
    width = label_w + cell_w * len(columns) + 120  # room for the last header, which slants to the right
    height = header_h + cell_h * max(1, len(rows)) + legend_h
    parts = []
    for j, c in enumerate(columns):
        x = label_w + cell_w * j + cell_w / 2
        name = "Total (all items)" if c == "total" else c.replace("_", " ")
        parts.append(
            f"<text transform='translate({x + 4:.0f},{header_h - 8}) rotate(-45)' font-size='11' "
            f"font-weight='{'bold' if c == 'total' else 'normal'}' {_FONT}>{text(name, 30)}</text>"
        )
    below = 0
    for i, row in enumerate(rows):
        y = header_h + cell_h * i
        label = row.trainee.id + (f" ({row.trainee.name})" if row.trainee.name else "")
        parts.append(
            f"<text x='{label_w - 8}' y='{y + 14}' text-anchor='end' font-size='11' {_FONT}>{text(label, 44)}</text>"
        )
        for j, c in enumerate(columns):
            value = row.total if c == "total" else row.competencies.get(c)
            x = label_w + cell_w * j
            who = text(f"{row.trainee.id}, {c}: " + ("no data" if value is None else f"{value:.3f}"))
            if value is None:
                parts.append(
                    f"<rect x='{x}' y='{y}' width='{cell_w - 1}' height='{cell_h - 1}' fill='#eeeeee'>"
                    f"<title>{who}</title></rect>"
                    f"<text x='{x + cell_w / 2:.0f}' y='{y + 14}' text-anchor='middle' font-size='10' fill='#616161' "
                    f"{_FONT}>–</text>"
                )
                continue
            if c != "total" and value < NEEDS_SUPPORT:
                below += 1
            fill = colour_for(value)
            parts.append(
                f"<rect x='{x}' y='{y}' width='{cell_w - 1}' height='{cell_h - 1}' fill='{fill}'>"
                f"<title>{who}</title></rect>"
                f"<text x='{x + cell_w / 2:.0f}' y='{y + 14}' text-anchor='middle' font-size='11' fill='{_ink(fill)}' "
                f"{_FONT}>{value:.2f}</text>"
            )
    if not rows:
        parts.append(f"<text x='{label_w}' y='{header_h + 14}' font-size='12' {_FONT}>No trainees.</text>")
    # legend: the scale, with the support threshold marked
    ly = header_h + cell_h * max(1, len(rows)) + 16
    steps = 20
    for k in range(steps):
        parts.append(
            f"<rect x='{label_w + k * 12}' y='{ly}' width='12' height='12' fill='{colour_for(k / (steps - 1))}'/>"
        )
    parts.append(f"<text x='{label_w - 8}' y='{ly + 10}' text-anchor='end' font-size='10' {_FONT}>0</text>")
    parts.append(f"<text x='{label_w + steps * 12 + 4}' y='{ly + 10}' font-size='10' {_FONT}>1</text>")
    mark = label_w + NEEDS_SUPPORT * steps * 12
    parts.append(
        f"<line x1='{mark:.0f}' y1='{ly - 3}' x2='{mark:.0f}' y2='{ly + 15}' stroke='#b3261e' stroke-width='2'/>"
    )
    parts.append(
        f"<text x='{label_w}' y='{ly + 30}' font-size='10' {_FONT}>Fraction of points earned; red mark: "
        f"{NEEDS_SUPPORT:.1f}, below which a trainee needs support. Grey dash: no graded item yet.</text>"
    )
    desc = (
        f"{len(rows)} trainees by {len(competencies)} competencies, sorted by total score, highest first; "
        f"{below} trainee-competency cells are below {NEEDS_SUPPORT:.1f}. The value is printed in each cell."
    )
    return _svg(width, height, "Competency fractions by trainee", desc, "".join(parts))


def item_analysis_svg(rows: Sequence[ItemRow]) -> str:
    """Difficulty (x, 0–1) against discrimination (y, −1–1) per item, on shaded flag zones.

    Points are numbered as in the report's item table; items with no discrimination are not plotted.
    """
    width, height, left, top, plot_w, plot_h = 620, 420, 60, 20, 520, 330

    def x(p: float) -> float:
        return left + plot_w * max(0.0, min(1.0, p))

    def y(r: float) -> float:
        return top + plot_h * (1 - (max(-1.0, min(1.0, r)) + 1) / 2)

    parts = [f"<rect x='{left}' y='{top}' width='{plot_w}' height='{plot_h}' fill='#ffffff' stroke='#90a4ae'/>"]
    # (x0, x1, r0, r1, colour, label, label x, label r): Okabe-Ito colours, told apart without hue too
    zones = (
        (0, 1, -1, LOW_DISCRIMINATION, "#9e9e9e", f"low discrimination (r < {LOW_DISCRIMINATION:g})", 0.5, -0.9),
        (0, TOO_HARD, -1, 1, "#e69f00", f"too hard (p < {TOO_HARD:g})", TOO_HARD / 2, 0.93),
        (TOO_EASY, 1, -1, 1, "#56b4e9", f"too easy (p > {TOO_EASY:g})", (TOO_EASY + 1) / 2, 0.93),
    )
    for x0, x1, r0, r1, colour, label, lx, lr in zones:
        parts.append(
            f"<rect x='{x(x0):.1f}' y='{y(r1):.1f}' width='{x(x1) - x(x0):.1f}' height='{y(r0) - y(r1):.1f}' "
            f"fill='{colour}' opacity='0.22'/>"
        )
        parts.append(
            f"<text x='{x(lx):.1f}' y='{y(lr):.1f}' text-anchor='middle' font-size='10' {_FONT}>{text(label)}</text>"
        )
    for tick in (0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0):
        parts.append(
            f"<text x='{x(tick):.1f}' y='{top + plot_h + 14}' text-anchor='middle' font-size='10' "
            f"{_FONT}>{tick:g}</text>"
        )
    for tick in (-1, -0.5, 0, 0.2, 0.5, 1):
        parts.append(
            f"<text x='{left - 6}' y='{y(tick) + 4:.1f}' text-anchor='end' font-size='10' {_FONT}>{tick:g}</text>"
        )
    parts.append(
        f"<line x1='{left}' y1='{y(0):.1f}' x2='{left + plot_w}' y2='{y(0):.1f}' stroke='#b0bec5' "
        "stroke-dasharray='3 3'/>"
    )
    parts.append(
        f"<text x='{x(0.5):.1f}' y='{top + plot_h + 32}' text-anchor='middle' font-size='12' {_FONT}>"
        "difficulty p (mean fraction of the points earned; higher is easier)</text>"
    )
    parts.append(
        f"<text transform='translate(16,{y(0):.1f}) rotate(-90)' text-anchor='middle' font-size='12' {_FONT}>"
        "discrimination r (corrected item-total)</text>"
    )
    plotted, skipped = [], []
    for number, row in enumerate(rows, start=1):
        if row.difficulty is None or row.discrimination is None:
            skipped.append(f"{number} ({row.item.grade_id})")
            continue
        px, py = x(row.difficulty), y(row.discrimination)
        tip = text(
            f"{number}. {row.item.assignment} / {row.item.grade_id}: p {row.difficulty:.2f}, r {row.discrimination:.2f}"
        )
        # A flagged item is a red square, the others blue dots: shape as well as colour tells them apart.
        marker = (
            f"<rect x='{px - 5:.1f}' y='{py - 5:.1f}' width='10' height='10' fill='#b3261e' stroke='white'>"
            if row.flags
            else f"<circle cx='{px:.1f}' cy='{py:.1f}' r='5' fill='#0b57a4' stroke='white'>"
        )
        shape = "rect" if row.flags else "circle"
        parts.append(
            f"{marker}<title>{tip}</title></{shape}>"
            f"<text x='{px + 7:.1f}' y='{py - 5:.1f}' font-size='10' {_FONT}>{number}</text>"
        )
        plotted.append(f"item {number}: p {row.difficulty:.2f}, r {row.discrimination:.2f}")
    if skipped:
        parts.append(
            f"<text x='{left}' y='{top + plot_h + 52}' font-size='10' fill='#455a64' {_FONT}>"
            f"Not plotted (no discrimination yet): {text(', '.join(skipped), 110)}</text>"
        )
    desc = "Items by difficulty and discrimination; flagged items are red squares. " + (
        "; ".join(plotted) or "No item has both yet."
    )
    return _svg(width, height, "Item analysis: difficulty and discrimination", desc, "".join(parts))


# -- rendering: HTML --------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 78rem; padding: 0 1rem; color: #1b1b1b; }
h1 { margin-bottom: .2rem; } .meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: .6rem 0 1.4rem; font-size: .9rem; }
th, td { border: 1px solid #cfd8dc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eceff1; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.summary { display: flex; gap: 1rem; flex-wrap: wrap; padding: 0; list-style: none; }
.summary li { background: #e3f2fd; border-radius: .4rem; padding: .5rem .9rem; }
.summary b { display: block; font-size: 1.4rem; }
.warn { background: #fff8e1; border-left: 4px solid #e69f00; padding: .6rem 1rem; }
.flag { color: #b3261e; font-weight: 600; } figure { margin: 0 0 1.5rem; overflow-x: auto; }
"""


def _table(headers: Sequence[str], rows: Iterable[Sequence[tuple[str, bool]]]) -> str:
    """An HTML table; each cell is (already-escaped html, is_numeric)."""
    head = "".join(f"<th scope='col'>{text(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td class='num'>{c}</td>" if num else f"<td>{c}</td>" for c, num in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(report: Report, heatmap: str, items_svg: str, course: str = "") -> str:
    """One self-contained page: summary, what to do, cohort table, heatmap, trainees, items."""
    n_missing = report.missing_not_submitted + report.missing_not_graded
    summary = [
        ("trainees", len(report.trainees)),
        ("assignments", len(report.assignments)),
        ("items", len(report.items)),
        ("untagged items", sum(1 for i in report.items if not i.competencies)),
        ("missing item scores", n_missing),
    ]
    cohort = _table(
        ["Competency", "What it means", "Items", "Trainees with data", "Mean", "Median", "Min", "Max", "Needs support"],
        (
            [
                (text(c.competency), False),
                (text(c.label), False),
                (str(c.items), True),
                (str(c.trainees), True),
                (_num(c.mean, 2), True),
                (_num(c.median, 2), True),
                (_num(c.minimum, 2), True),
                (_num(c.maximum, 2), True),
                (
                    ""
                    if c.needs_support_share is None
                    else (
                        f"<span class='flag'>{c.needs_support_share:.0%}</span>"
                        if c.needs_support_share > NEEDS_SUPPORT_SHARE
                        else f"{c.needs_support_share:.0%}"
                    ),
                    True,
                ),
            ]
            for c in report.cohort
        ),
    )
    trainees = _table(
        ["Trainee", "Name", "Total", "Items graded", "Missing", f"Competencies below {NEEDS_SUPPORT:.1f}"],
        (
            [
                (text(r.trainee.id), False),
                (text(r.trainee.name), False),
                (_num(None if r.total is None else 100 * r.total, 1) + ("%" if r.total is not None else ""), True),
                (str(r.graded), True),
                (str(r.missing), True),
                (
                    text(", ".join(c for c, v in r.competencies.items() if v is not None and v < NEEDS_SUPPORT)),
                    False,
                ),
            ]
            for r in report.trainees
        ),
    )
    items = _table(
        ["#", "Assignment", "Item", "Points", "Competencies", "n", "Missing", "Difficulty", "Discrimination", "Flags"],
        (
            [
                (str(k), True),
                (text(r.item.assignment), False),
                (text(r.item.grade_id) + (" (manually graded)" if r.item.manual else ""), False),
                (f"{r.item.points:g}", True),
                (text(", ".join(r.item.competencies)) if r.item.competencies else "<i>untagged</i>", False),
                (str(r.n), True),
                (str(r.missing), True),
                (_num(r.difficulty, 2), True),
                (_num(r.discrimination, 2) or f"<small>{text(r.discrimination_note)}</small>", True),
                (f"<span class='flag'>{text(', '.join(r.flags))}</span>", False),
            ]
            for k, r in enumerate(report.item_rows, start=1)
        ),
    )
    todo = "".join(f"<li>{text(n)}</li>" for n in action_notes(report))
    data_notes = "".join(f"<li>{text(n)}</li>" for n in report.notes)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>IPT course: competency report</title>
<style>{_CSS}</style>
</head>
<body>
<h1>Competency report</h1>
<p class="meta">Course {text(course)}, assignments {text(", ".join(report.assignments) or "none")}; made {stamp}.
Holds trainees' grades: keep it private.</p>
<ul class="summary">{"".join(f"<li><b>{value}</b>{text(label)}</li>" for label, value in summary)}</ul>
<p>Missing item scores: {report.missing_not_submitted} not submitted, {report.missing_not_graded} submitted but not
graded yet. A missing score is left out of a trainee's fractions; it is not a zero.</p>

<h2>What to do</h2>
<ul>{todo}</ul>
{f'<div class="warn"><p><b>Data notes</b></p><ul>{data_notes}</ul></div>' if data_notes else ""}

<h2>Competencies across the cohort</h2>
<p>Each trainee's fraction on a competency is the points they earned on the graded items tagged with it, over
those items' points; an item tagged with several competencies counts toward each. "Needs support" is the share of
trainees with data below {NEEDS_SUPPORT:.1f}.</p>
{cohort}

<h2>Trainees by competency</h2>
<figure>{heatmap}</figure>
{trainees}

<h2>Items</h2>
<p><b>Difficulty</b> is the mean fraction of the item's points earned (the classical p-value; higher is easier).
<b>Discrimination</b> is the correlation between the item and each trainee's score on the other items of the same
assignment (corrected item-total correlation): near 0 or negative means the item does not separate stronger from
weaker trainees. Flags: too easy (p &gt; {TOO_EASY}), too hard (p &lt; {TOO_HARD}), low discrimination
(r &lt; {LOW_DISCRIMINATION}).</p>
<figure>{items_svg}</figure>
{items}
</body>
</html>
"""


# -- command ----------------------------------------------------------------------------------


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
    report = build_report(kept, data.trainees, data.scores, data.submitted, [*notes, *more])
    out = out or course / "reports" / "competency"
    paths = write_report(report, out, str(course))
    from .review_queue import add_to_report  # the free-text review queue: its own module

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


if __name__ == "__main__":
    sys.exit(main())
