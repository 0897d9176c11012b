"""What a graded scenario's hidden test calls: ``grade_scenario``.

The recorded lines are re-coded now, with the same rules as the widget
(:mod:`ipt_widgets.scoring.scenario`): recorded codes, branches and paths are never trusted.
The key (the whole scenario) is the hidden test's ``reference``. Lines that cannot be coded
with confidence, or a path that differs from the one the trainee saw, put the item in the
instructor's review queue (``python -m ipt_widgets.instructor.review_queue``). Like
:mod:`ipt_widgets.grading`, it never raises on a trainee's answer and never writes to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .grading import _display_html, check_points_field, instructor_errors, parts_metadata
from .item_labels import item_label
from .scenario_feedback import grading_card
from .scenario_release import parse_key
from .scoring.scenario import Coder, regrade, review_reasons, score_session
from .store import ResponseStore


def recorded_lines(value: Any) -> tuple[list[dict[str, Any]], str | None]:
    """The saved lines of a session, or a problem."""
    if value is None:
        return [], None
    steps = value.get("steps") if isinstance(value, dict) else None
    if not isinstance(steps, list):
        return [], "it is not a saved session"
    lines = [s for s in steps if isinstance(s, dict) and isinstance(s.get("line"), str)]
    problem = None if len(lines) == len(steps) else f"{len(steps) - len(lines)} saved line(s) could not be read"
    return lines, problem


def grade_scenario(
    notebook: str,
    item_id: str,
    reference: str,
    points: float,
    *,
    title: str | None = None,
    directory: str | Path | None = None,
    coder: Coder | None = None,
) -> float:
    """Re-code and score a saved session, show its feedback card, return the points."""
    with instructor_errors(item_id):
        check_points_field(item_id, points)
        scenario, _ = parse_key(reference, f"hidden test for {item_id!r}, reference")
        if scenario.id != item_id:
            raise ValueError(f"hidden test for {item_id!r}: the reference is scenario {scenario.id!r}")
    if coder is None:
        from .scoring.scenario_coder import course_coder as coder
    loaded = ResponseStore.for_notebook(notebook, directory).load()
    notes = list(loaded.problems)
    lines, problem = recorded_lines(loaded.items.get(item_id, {}).get("value"))
    label = title or item_label(notebook, item_id, directory, scenario.title)
    if problem:
        notes.append(f"Your saved answer to {label}: {problem}.")
    state, path_notes = regrade(scenario, lines, coder)
    score = score_session(scenario, state, points)
    reasons = review_reasons(state) + path_notes
    metadata = parts_metadata(score)
    if reasons:
        metadata["ipt"]["review"] = {
            "item": item_id,
            "reasons": reasons,
            "points": round(score.points, 2),
            "max_points": points,
        }
        notes.append("Some of your lines will be read by your instructor before this score counts.")
    _display_html(grading_card(label, scenario, state, score, notes), metadata=metadata)
    return float(min(score.points, points))
