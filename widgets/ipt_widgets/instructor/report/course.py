"""Reading the course: its nbgrader settings and the competency tags of its source notebooks' grade cells."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...vocab import COMPETENCIES
from .model import Item, ReportError


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
