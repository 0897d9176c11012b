"""The three CSV files: one row per trainee, per competency of the cohort, and per item."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from ...vocab import COMPETENCIES
from .formats import _csv_text, _num
from .model import Report

COHORT_HEADER = [
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
ITEMS_HEADER = [
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


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            w.writerow(row)


def _trainee_rows(report: Report, competencies: Sequence[str]) -> Iterable[list[object]]:
    for row in report.trainees:
        yield [
            _csv_text(row.trainee.id),
            *(_num(row.competencies.get(c)) for c in competencies),
            _num(None if row.total is None else 100 * row.total, 1),
            row.graded,
            row.missing,
        ]


def _cohort_rows(report: Report) -> Iterable[list[object]]:
    for c in report.cohort:
        yield [
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


def _item_rows(report: Report) -> Iterable[list[object]]:
    for row in report.item_rows:
        i = row.item
        yield [
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


def write_csvs(report: Report, out: Path) -> None:
    """Write ``trainee_competencies.csv``, ``cohort_competencies.csv`` and ``items.csv``."""
    competencies = list(COMPETENCIES)
    trainee_header = ["student_id", *competencies, "total_percent", "items_graded", "items_missing"]
    _write(out / "trainee_competencies.csv", trainee_header, _trainee_rows(report, competencies))
    _write(out / "cohort_competencies.csv", COHORT_HEADER, _cohort_rows(report))
    _write(out / "items.csv", ITEMS_HEADER, _item_rows(report))
