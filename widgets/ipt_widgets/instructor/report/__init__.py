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

The package has three layers, so that the statistics can be tested without a database, and imports
flow one way, from the bottom up (a computing module never imports a reading or drawing one):

- the data model: ``model`` (thresholds, rows, :class:`ReportError`);
- computing, pure functions of plain data: ``stats`` (fraction, difficulty, correlation),
  ``item_analysis`` (difficulty, discrimination, flags), ``tables`` (per trainee, per competency,
  the whole report) and ``advice`` (the "what to do" list);
- reading: ``course`` (nbgrader settings, competency tags of the source notebooks) and
  ``gradebook`` (scores through nbgrader's API, matched with the source);
- drawing: ``formats`` (escaping), ``csvs``, ``svg`` (what both figures share), ``heatmap``,
  ``item_plot`` and ``page`` (the HTML);
- the command, on top: ``cli`` (and ``__main__``).

Every string that a trainee could have supplied (ids, names) is escaped in the HTML and the SVG,
and guarded in the CSV against spreadsheet formula injection.

The report holds trainees' grades: it writes a ``.gitignore`` into the output folder so that it
is never committed to the course repository by accident.
"""

from __future__ import annotations

from ...vocab import COMPETENCIES
from .advice import action_notes
from .cli import main, run, write_report
from .course import CourseSettings, course_settings, read_items
from .csvs import write_csvs
from .formats import _csv_text as _csv_text
from .formats import text
from .gradebook import GradebookData, read_gradebook, reconcile
from .heatmap import heatmap_svg
from .item_analysis import analyse_items, discrimination, item_flags, rest_fractions
from .item_plot import item_analysis_svg
from .model import (
    LOW_DISCRIMINATION,
    MIN_N,
    NEEDS_SUPPORT,
    NEEDS_SUPPORT_SHARE,
    TOO_EASY,
    TOO_HARD,
    CohortRow,
    Item,
    ItemKey,
    ItemRow,
    Report,
    ReportError,
    Scores,
    Trainee,
    TraineeRow,
)
from .page import report_html
from .stats import difficulty, fraction, pearson
from .svg import _ink as _ink
from .svg import colour_for
from .tables import build_report, summarise_cohort, summarise_trainees

__all__ = [
    "COMPETENCIES",
    "LOW_DISCRIMINATION",
    "MIN_N",
    "NEEDS_SUPPORT",
    "NEEDS_SUPPORT_SHARE",
    "TOO_EASY",
    "TOO_HARD",
    "CohortRow",
    "CourseSettings",
    "GradebookData",
    "Item",
    "ItemKey",
    "ItemRow",
    "Report",
    "ReportError",
    "Scores",
    "Trainee",
    "TraineeRow",
    "action_notes",
    "analyse_items",
    "build_report",
    "colour_for",
    "course_settings",
    "difficulty",
    "discrimination",
    "fraction",
    "heatmap_svg",
    "item_analysis_svg",
    "item_flags",
    "main",
    "pearson",
    "read_gradebook",
    "read_items",
    "reconcile",
    "report_html",
    "rest_fractions",
    "run",
    "summarise_cohort",
    "summarise_trainees",
    "text",
    "write_csvs",
    "write_report",
]
