"""What nbgrader's hidden test cells call.

A hidden test cell ends with one of these calls, so its value (a float) is the cell's
execute_result, which nbgrader reads as partial credit. Before returning, the call displays an
HTML feedback card, which nbgrader copies into the trainee's generated feedback.

Rules for this module, because it runs inside graded cells:

* a trainee's missing, malformed or tampered answer scores 0 with a message; it never raises;
* a bad *reference* (the instructor's mistake) raises ValueError naming the item and field,
  because grading against a broken key must be loud;
* nothing here writes to stderr or warns: nbgrader scores a cell with stderr output as 0;
* no ipywidgets import: every autograded notebook pays for what this module imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .cases import ClassificationReference
from .feedback import classification_card, notice_card
from .scoring.classification import parse_classification, score_classification
from .store import ResponseStore


def _display_html(html: str) -> None:
    """Show HTML in the notebook (and hence in nbgrader feedback); print it elsewhere."""
    try:
        from IPython.display import HTML, display
    except ImportError:  # plain Python, e.g. a script: still show the message
        print(html)
        return
    display(HTML(html))


def check_answered(notebook: str, item_id: str, *, directory: str | Path | None = None) -> float | None:
    """The visible part of a test cell: tell the trainee whether an answer is saved.

    Returns None when an answer is saved (the cell then passes nbgrader's Validate button), or
    0.0 with a message when it is not (so Validate reports the item as unanswered).
    """
    store = ResponseStore.for_notebook(notebook, directory)
    loaded = store.load()
    value = loaded.items.get(item_id, {}).get("value")
    answer, _ = parse_classification(value)
    if answer is not None and answer.area is not None:
        return None
    detail = f" ({loaded.message})" if loaded.problems else ""
    _display_html(
        notice_card(
            f"No answer is saved yet for {item_id}{detail}. Choose an answer in the widget above; "
            "it is saved as soon as you click.",
            title="Not answered yet",
        )
    )
    return 0.0


def grade_classification(
    notebook: str,
    item_id: str,
    reference: Mapping[str, Any],
    points: float,
    *,
    title: str | None = None,
    directory: str | Path | None = None,
) -> float:
    """Score one saved classification, show its feedback card, and return the points.

    Parameters
    ----------
    notebook
        The notebook's file stem (its responses file is ``<stem>.responses.json``).
    item_id
        The case id the widget saved under.
    reference
        The expert classification: ``area``, ``stage`` (role disputes), ``explanation`` and
        optionally ``stage_explanation``, ``distractors``, ``stage_feedback``.
    points
        The test cell's points in nbgrader; the return value is never above it.
    title
        Heading of the card (default: the item id).
    """
    ref = ClassificationReference.from_mapping(reference, f"hidden test for {item_id!r}, reference")
    if not points or points <= 0:
        raise ValueError(f"hidden test for {item_id!r}: field 'points' must be positive, got {points!r}")
    loaded = ResponseStore.for_notebook(notebook, directory).load()
    notes = list(loaded.problems)
    answer, problem = parse_classification(loaded.items.get(item_id, {}).get("value"))
    if problem:
        notes.append(f"Your saved answer to {item_id} could not be used: {problem}.")
    score = score_classification(answer, ref, points)
    _display_html(classification_card(title or item_id, score, answer, ref, notes=notes))
    # A plain float, never above the cell's points: nbgrader rejects larger values.
    return float(min(score.points, points))
