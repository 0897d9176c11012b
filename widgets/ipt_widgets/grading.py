"""What nbgrader's hidden test cells call.

A hidden test cell ends with one of these calls, so its value (a float) is the cell's
execute_result, which nbgrader reads as partial credit. Before returning, the call displays an
HTML feedback card, which nbgrader copies into the trainee's generated feedback.

Rules for this module, because it runs inside graded cells:

* a trainee's missing, malformed or tampered answer scores 0 with a message; it never raises;
* a bad *reference*, points or case file (the instructor's mistake) raises a
  :class:`HiddenTestError` (a ValueError) naming the item and field, because grading against a
  broken key must be loud; its full text is shown as HTML and wrapped in the traceback, since
  nbgrader cuts long traceback lines (``python -m ipt_widgets.instructor.grading_errors`` lists
  them after autograde);
* nothing here writes to stderr or warns: nbgrader scores a cell with stderr output as 0;
* no ipywidgets import: every autograded notebook pays for what this module imports.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .cases import ClassificationReference
from .feedback import classification_card, notice_card, score_card
from .item_labels import item_label
from .scoring.base import ItemScore, share
from .scoring.classification import parse_classification, score_classification
from .store import ResponseStore

# nbgrader's Validate cuts every traceback line at 87 characters: the message is wrapped shorter.
WRAP = 76


class HiddenTestError(ValueError):
    """A hidden test that cannot grade (a bad reference, points or case file): the instructor's
    mistake, never the trainee's. The full message is also shown as HTML above the traceback."""


@contextmanager
def instructor_errors(item_id: str) -> Iterator[None]:
    """Turn any error in preparing a hidden test into a HiddenTestError whose full text survives
    nbgrader's truncation: shown as an HTML card, and wrapped into short lines in the traceback."""
    try:
        yield
    except HiddenTestError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        message = str(exc)
        _display_html(
            notice_card(
                f"The hidden test of {item_id} could not grade this item: {message} "
                "This is the instructor's mistake, not the trainee's: fix it in solutions/ and grade again.",
                title="Hidden test error (for the instructor)",
            )
        )
        lines = textwrap.wrap(message, WRAP, break_long_words=True) or [type(exc).__name__]
        raise HiddenTestError("\n".join(["the hidden test is broken (not the trainee's answer):", *lines])) from None


def check_points_field(item_id: str, points: Any) -> None:
    """A test cell's ``points`` must be a positive number (``points="2"`` is a typo, not a score)."""
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not points > 0:
        raise ValueError(f"hidden test for {item_id!r}: field 'points' must be a positive number, got {points!r}")


def _display_html(html: str, metadata: dict | None = None) -> None:
    """Show HTML in the notebook (and hence in nbgrader feedback); print it elsewhere.
    ``metadata`` is kept with the output in the graded notebook (e.g. the review queue's data)."""
    try:
        from IPython.display import HTML, display
    except ImportError:  # plain Python, e.g. a script: still show the message
        print(html)
        return
    display(HTML(html), metadata=metadata)


class NotAnswered(Exception):
    """Raised by :func:`check_answered` under nbgrader's Validate for an item with no saved answer.

    IPython shows an exception's ``_render_traceback_()`` instead of a traceback, so Validate
    (and the notebook) show one plain sentence, not Python internals.
    """

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def check_answered(notebook: str, item_id: str, *, directory: str | Path | None = None) -> None:
    """The visible part of a test cell: tell the trainee whether an answer is saved.

    * Answered: shows nothing, returns None (the cell passes nbgrader's Validate).
    * Not answered, under Validate: raises :class:`NotAnswered` with a sentence naming the item
      as the trainee sees it ("Case 8"), so Validate lists it as failed.
    * Not answered while the trainee runs the notebook: shows a card saying what to do, and
      returns None, so *Run All* goes on to the next item.
    * While autograding: shows nothing; the hidden grading call that follows explains.
    """
    store = ResponseStore.for_notebook(notebook, directory)
    loaded = store.load()
    value = loaded.items.get(item_id, {}).get("value")
    if _has_content(value) and not (isinstance(value, dict) and "area" in value and value["area"] is None):
        return None
    execution = os.environ.get("NBGRADER_EXECUTION")
    if execution == "autograde":
        # The grading call that follows explains a missing answer; a missing file needs saying once.
        if not store.path.exists():
            _display_html(
                notice_card(
                    f"Your submission had no {store.path.name}, the file that holds your answers, so there was "
                    "nothing to grade. Next time, submit the whole assignment folder, with that file in it.",
                    title="No answers file",
                )
            )
        return None
    label = item_label(notebook, item_id, directory)
    detail = f" ({loaded.message})" if loaded.problems else ""
    if execution == "validate":
        raise NotAnswered(
            # Short: nbgrader shows it on one line that does not wrap.
            f"{label} is not answered yet{detail}: answer it in its widget, then press Validate again."
        )
    _display_html(
        notice_card(
            f"{label} has no saved answer yet{detail}. Answer in the widget above: your answer is saved as "
            "you go, and this note goes away when you run this cell again.",
            title="Not answered yet",
        )
    )
    return None


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
    with instructor_errors(item_id):
        check_points_field(item_id, points)
        ref = ClassificationReference.from_mapping(reference, f"hidden test for {item_id!r}, reference")
    loaded = ResponseStore.for_notebook(notebook, directory).load()
    notes = list(loaded.problems)
    answer, problem = parse_classification(loaded.items.get(item_id, {}).get("value"))
    label = title or item_label(notebook, item_id, directory)
    if problem:
        notes.append(f"Your saved answer to {label} could not be used: {problem}.")
    score = score_classification(answer, ref, points)
    _display_html(classification_card(label, score, answer, ref, notes=notes))
    # A plain float, never above the cell's points: nbgrader rejects larger values.
    return float(min(score.points, points))


def _has_content(value: Any) -> bool:
    """True when a saved value holds anything the trainee entered."""
    if isinstance(value, dict):
        return any(_has_content(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_content(v) for v in value)
    return value not in (None, "", False)


def _grade(
    notebook: str,
    item_id: str,
    points: float,
    title: str | None,
    directory: str | Path | None,
    score: Callable[[Any], tuple[ItemScore, str | None]],
    figure: str = "",
) -> float:
    """Shared path: load the answer, score it, show the card, return the float."""
    loaded = ResponseStore.for_notebook(notebook, directory).load()
    notes = list(loaded.problems)
    result, problem = score(loaded.items.get(item_id, {}).get("value"))
    label = title or item_label(notebook, item_id, directory)
    if problem:
        notes.append(f"Your saved answer to {label} could not be used: {problem}.")
    # The parts ride with the card as data: the competency report reads its risk column from them.
    _display_html(score_card(label, result, notes=notes, extra_html=figure), metadata=parts_metadata(result))
    return float(min(result.points, points))


def parts_metadata(result: ItemScore) -> dict:
    """The card's output metadata: each scored part's fraction (see instructor/report/risk.py)."""
    return {"ipt": {"parts": {str(name): round(share(value), 4) for name, value in result.parts.items()}}}


def _case(case_file: str | Path, section: str, item_id: str, directory: str | Path | None):
    from .casebook import load_casebook

    path = Path(directory or ".") / case_file
    cases = getattr(load_casebook(path, strict=True), section)
    if item_id not in cases:
        raise ValueError(f"{path}: no {section} case with id {item_id!r}")
    return cases[item_id]


def grade_inventory(
    notebook: str,
    item_id: str,
    reference: Mapping[str, Any],
    points: float,
    *,
    title: str | None = None,
    directory: str | Path | None = None,
) -> float:
    """Score a saved interpersonal inventory; the card shows the expert's closeness circle."""
    from .figures import closeness_circle_svg
    from .scoring.inventory import InventoryReference, parse_inventory, score_inventory

    with instructor_errors(item_id):
        check_points_field(item_id, points)
        ref = InventoryReference.from_mapping(reference, f"hidden test for {item_id!r}, reference")
    expert_people = [{"name": p.name, "circle": p.circle, "focus": p.focus} for p in ref.people]
    figure = "<p style='margin:0.4em 0 0'><strong>The expert's closeness circle</strong></p>" + closeness_circle_svg(
        expert_people
    )

    def score(value):
        entries, problem = parse_inventory(value)
        return score_inventory(entries, ref, points), problem

    return _grade(notebook, item_id, points, title, directory, score, figure)


def grade_timeline(
    notebook: str,
    item_id: str,
    reference: Mapping[str, Any],
    points: float,
    *,
    case_file: str = "cases.yaml",
    title: str | None = None,
    directory: str | Path | None = None,
) -> float:
    """Score a saved mood–event timeline; events and weeks come from the released case file."""
    from .figures import timeline_svg
    from .scoring.timeline import TimelineReference, parse_timeline, score_timeline

    with instructor_errors(item_id):
        check_points_field(item_id, points)
        case = _case(case_file, "timeline", item_id, directory)
        ref = TimelineReference.from_mapping(
            reference, f"hidden test for {item_id!r}, reference", list(case.events), case.weeks
        )
    labels = {e.id: e.label for e in case.events}
    kinds = {ref.onset: "onset", ref.worsening: "worsening"}
    events = sorted(((labels[e], w, kinds.get(e, "")) for e, w in ref.event_weeks.items()), key=lambda x: x[1])
    figure = timeline_svg(list(ref.mood), events, title="The expert's timeline")

    def score(value):
        answer, problem = parse_timeline(value, case.weeks)
        return score_timeline(answer, ref, list(case.events), points), problem

    return _grade(notebook, item_id, points, title, directory, score, figure)


def grade_transcript(
    notebook: str,
    item_id: str,
    reference: Mapping[str, Any],
    points: float,
    *,
    title: str | None = None,
    directory: str | Path | None = None,
) -> float:
    """Score the technique coding of a transcript, turn by turn."""
    from .scoring.transcript import TranscriptReference, parse_codes, score_transcript

    with instructor_errors(item_id):
        check_points_field(item_id, points)
        ref = TranscriptReference.from_mapping(reference, f"hidden test for {item_id!r}, reference")

    def score(value):
        codes, problem = parse_codes(value)
        return score_transcript(codes, ref, points), problem

    return _grade(notebook, item_id, points, title, directory, score)


def grade_phq9(
    notebook: str,
    item_id: str,
    reference: Mapping[str, Any],
    points: float,
    *,
    case_file: str = "cases.yaml",
    title: str | None = None,
    directory: str | Path | None = None,
) -> float:
    """Score PHQ-9 item scores, totals and their interpretation; the card shows the trajectory."""
    from .figures import phq9_svg
    from .scoring.phq9 import PHQ9Reference, parse_phq9, score_phq9

    with instructor_errors(item_id):
        check_points_field(item_id, points)
        case = _case(case_file, "phq9", item_id, directory)
        ref = PHQ9Reference.from_mapping(reference, f"hidden test for {item_id!r}, reference")
        if len(ref.sessions) != len(case.labels):
            raise ValueError(
                f"hidden test for {item_id!r}: reference has {len(ref.sessions)} sessions, the case {len(case.labels)}"
            )
    figure = phq9_svg(ref.totals, list(case.labels))

    def score(value):
        answer, problem = parse_phq9(value, len(case.labels))
        return score_phq9(answer, ref, list(case.labels), points), problem

    return _grade(notebook, item_id, points, title, directory, score, figure)


def grade_draft(
    notebook: str,
    item_id: str,
    reference: str | Mapping[str, Any],
    points: float,
    *,
    title: str | None = None,
    directory: str | Path | None = None,
) -> float:
    """Score a saved free-text formulation or plan, show the element-by-element card, return points.

    ``reference`` is the expert reference (YAML text or a mapping, in the format of
    docs/authoring/free_text_references.md), kept in the hidden test so it is never released.
    The rubric's points are scaled to the cell's ``points``. The instructor can override the
    score in formgrader; the card stays in the feedback either way.
    """
    from .formulations import FormulationReference, parse_reference
    from .scoring.free_text import score_draft

    where = f"hidden test for {item_id!r}, reference"
    with instructor_errors(item_id):
        check_points_field(item_id, points)
        ref = (
            parse_reference(reference, where)
            if isinstance(reference, str)
            else FormulationReference.from_mapping(reference, where)
        )
    loaded = ResponseStore.for_notebook(notebook, directory).load()
    notes = list(loaded.problems)
    value = loaded.items.get(item_id, {}).get("value")
    if value is not None and not isinstance(value, str):
        label = item_label(notebook, item_id, directory, title or ref.title)
        notes.append(f"Your saved answer to {label} could not be used: it should be text.")
        value = None
    from .feedback import draft_card

    score = score_draft(value or "", ref)
    scaled = round(points * score.points / score.max_points, 2) if score.max_points else 0.0
    # The review queue (python -m ipt_widgets.instructor.review_queue) reads this from the graded notebook.
    review = {"item": item_id, "reasons": list(score.review_reasons), "points": scaled, "max_points": points}
    _display_html(
        draft_card(title or ref.title, score, notes=notes, show_exemplars=False),
        metadata={"ipt": {"review": review}} if score.needs_review else None,
    )
    provisional = (
        " This score is provisional: your instructor will read your draft before it counts."
        if score.needs_review
        else " Free-text scores are checked by an instructor, who may adjust them."
    )
    _display_html(
        notice_card(
            f"Rubric points {score.points:g} of {score.max_points:g}, scaled to this item: {scaled:g} of {points:g}."
            + provisional,
            title="How this was scored",
        )
    )
    return float(min(scaled, points))
