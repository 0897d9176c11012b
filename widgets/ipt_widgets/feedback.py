"""HTML feedback cards: what a trainee reads after a check (practice) or after grading.

Every piece of text that could come from a trainee (rationale, a stored value) is escaped
here, once, so a widget, a generated feedback file and a report can all show a card safely.
Inline styles only: generated nbgrader feedback is a standalone HTML file without our CSS.
"""

from __future__ import annotations

from .cases import ClassificationReference
from .safe_read import escape_text as escape
from .scoring.base import ItemScore
from .scoring.classification import ClassificationAnswer, ClassificationScore
from .vocab import ROLE_DISPUTE, area_label, reason_label, secondary_label, stage_label

_COLOURS = {
    "correct": ("#e8f5e9", "#2e7d32"),
    "partial": ("#fff8e1", "#b26a00"),
    "incorrect": ("#fdecea", "#b3261e"),
    "unanswered": ("#eceff1", "#455a64"),
    "notice": ("#e3f2fd", "#0b57a4"),
}
_HEADINGS = {
    "correct": "Correct",
    "partial": "Partly correct",
    "incorrect": "Not yet right",
    "unanswered": "No answer",
}


def _box(kind: str, inner: str, label: str) -> str:
    background, border = _COLOURS[kind]
    return (
        f'<div class="ipt-card ipt-card-{kind}" role="status" aria-label="{escape(label)}" '
        f'style="background:{background};border-left:6px solid {border};padding:0.6em 1em;'
        f'margin:0.4em 0;border-radius:4px;color:#1b1b1b;line-height:1.45;max-width:60em">'
        f"{inner}</div>"
    )


def _opening(title: str, score, show_points: bool, notes, heading: str | None = None) -> list[str]:
    """Heading (verdict, points), notes, then the feedback lines: escaped, shared by every card."""
    heading = heading or _HEADINGS[score.verdict]
    if show_points:
        heading += f" — {score.points:g} / {score.max_points:g} points"
    parts = [f"<strong>{escape(title)}: {escape(heading)}</strong>"]
    parts += [f"<p style='margin:0.3em 0'><em>{escape(n)}</em></p>" for n in notes]
    parts += [f"<p style='margin:0.3em 0'>{escape(line)}</p>" for line in score.feedback]
    return parts


def notice_card(message: str, title: str = "Note") -> str:
    """A neutral card for a message (e.g. a responses file that could not be read)."""
    return _box("notice", f"<strong>{escape(title)}</strong><p style='margin:0.3em 0'>{escape(message)}</p>", title)


def classification_card(
    case_title: str,
    score: ClassificationScore,
    answer: ClassificationAnswer | None,
    reference: ClassificationReference | None = None,
    *,
    show_points: bool = True,
    notes: list[str] | tuple[str, ...] = (),
) -> str:
    """The card for one classification.

    Parameters
    ----------
    case_title
        Shown as the card's heading.
    score
        From :func:`ipt_widgets.scoring.score_classification`.
    answer
        The trainee's answer (its rationale is echoed, escaped), or None.
    reference
        When given, the expert answer and its explanation are shown: after grading, comparing
        one's own reasoning with the expert's is the point of the feedback.
    show_points
        Practice cards leave points out.
    notes
        Extra messages (e.g. problems reading the responses file), shown first.
    """
    parts = _opening(case_title, score, show_points, notes)
    if answer is not None and answer.rationale.strip():
        parts.append(
            "<p style='margin:0.3em 0'>Your rationale: "
            f"<q style='white-space:pre-wrap'>{escape(answer.rationale.strip())}</q></p>"
        )
    if reference is not None:
        expert = area_label(reference.area)
        if reference.area == ROLE_DISPUTE:
            expert += f", {stage_label(reference.stage).lower()} stage"
        if reference.not_indicated_reason is not None:
            expert += f" (reason: {reason_label(reference.not_indicated_reason).lower()})"
        if reference.secondary is not None:
            expert = f"primary {expert}; secondary {secondary_label(reference.secondary).lower()}"
        # A correct answer's feedback has just said so: the line confirms rather than repeats.
        agreed = ", as you chose" if score.verdict == "correct" else ""
        parts.append(f"<p style='margin:0.3em 0'><strong>Expert answer:</strong> {escape(expert)}{agreed}.</p>")
        texts = (reference.explanation, reference.stage_explanation, reference.secondary_explanation)
        for text in (*texts, reference.reason_explanation):
            if text and all(text not in line for line in score.feedback):
                parts.append(f"<p style='margin:0.3em 0'>{escape(text)}</p>")
    return _box(score.verdict, "".join(parts), f"Feedback on {case_title}")


def score_card(
    title: str,
    score: ItemScore,
    *,
    show_points: bool = True,
    show_expert: bool = True,
    notes: list[str] | tuple[str, ...] = (),
    extra_html: str = "",
) -> str:
    """The card for any item scored as an :class:`ItemScore`.

    ``extra_html`` must be trusted markup built by this package (e.g. an SVG figure).
    """
    parts = _opening(title, score, show_points, notes)
    if show_expert and score.expert:
        items = "".join(f"<li>{escape(line)}</li>" for line in score.expert if line)
        parts.append(
            f"<p style='margin:0.5em 0 0.2em'><strong>Expert answer</strong></p><ul style='margin:0'>{items}</ul>"
        )
    parts.append(extra_html)
    return _box(score.verdict, "".join(parts), f"Feedback on {title}")


_ELEMENT_MARKS = {
    "met": ("✔", "#1b5e20", "Met"),
    "partly met": ("◐", "#8a4f00", "Partly met"),
    "missed": ("✘", "#b3261e", "Missed"),
}


def draft_card(
    title: str,
    score,
    *,
    show_points: bool = True,
    show_expert: bool = True,
    notes: list[str] | tuple[str, ...] = (),
    show_exemplars: bool = True,
) -> str:
    """The card for a scored free-text draft (a :class:`~ipt_widgets.scoring.free_text.DraftScore`).

    Element by element: met, partly met or missed, what the element asks for, the trainee's
    sentence that earned it, and (``show_exemplars``, practice only) an example of how an expert
    might write what is not fully met. Graded feedback never shows exemplars: they are the
    rubric, and a later cohort could paste them. Then the off-model, area and review notes (in
    ``score.feedback``) and, when ``show_expert``, the expert formulation.
    """
    from .scoring.free_text import BAND_LABELS, rating_band

    elements_met = bool(score.elements) and all(e.status == "met" for e in score.elements)
    # Every element met but short of full points: "Partly correct" would contradict the table.
    heading = "Every element met" if score.verdict == "partial" and elements_met else None
    parts = _opening(title, score, show_points, notes, heading)
    if score.verdict != "unanswered":
        band = rating_band(score.points / score.max_points) if score.max_points else 0
        parts.append(
            f"<p style='margin:0.3em 0'>Overall: <strong>{escape(BAND_LABELS[band])}</strong> "
            f"({score.word_count} words).</p>"
        )
    rows = []
    for element in score.elements:
        mark, colour, label = _ELEMENT_MARKS[element.status]
        cell = f"<strong>{escape(element.description)}</strong>"
        if element.evidence:
            cell += f"<br>You wrote: <q>{escape(element.evidence)}</q>"
        if element.suggestion and show_exemplars:
            cell += f"<br><span style='color:#455a64'>An expert might write: <q>{escape(element.suggestion)}</q></span>"
        # Practice cards have no points column at all: an empty header cell names nothing.
        points = (
            f"<td style='padding:3px 6px;vertical-align:top;white-space:nowrap'>"
            f"{element.points:g}/{element.max_points:g}</td>"
            if show_points
            else ""
        )
        rows.append(
            f"<tr><td style='padding:3px 6px;color:{colour};white-space:nowrap;vertical-align:top'>"
            f"<span aria-hidden='true'>{mark}</span> {label}</td><td style='padding:3px 6px'>{cell}</td>{points}</tr>"
        )
    points_head = "<th scope='col' style='padding:3px 6px'>Points</th>" if show_points else ""
    parts.append(
        "<table style='border-collapse:collapse;margin:0.4em 0' aria-label='Rubric elements'>"
        "<thead><tr><th scope='col' style='text-align:left;padding:3px 6px'>Element</th>"
        "<th scope='col' style='text-align:left;padding:3px 6px'>What a good answer does</th>"
        f"{points_head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    if show_expert and score.expert:
        text = "".join(f"<p style='margin:0.3em 0'>{escape(line)}</p>" for line in score.expert if line)
        parts.append(f"<p style='margin:0.5em 0 0.2em'><strong>Expert formulation</strong></p>{text}")
    return _box(score.verdict, "".join(parts), f"Feedback on {title}")
