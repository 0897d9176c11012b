"""HTML for the simulated session: the transcript so far, the reaction to one line (practice),
and the end: the path, each line's code beside the expert's alternatives, and an adherence-style
summary. Everything a trainee wrote is escaped here. Inline styles only (feedback pages have no CSS).
"""

from __future__ import annotations

from .feedback import _box
from .safe_read import escape_text as escape
from .scenario_format import HELPFUL_TECHNIQUES, RATINGS, Scenario
from .scoring.base import ItemScore
from .scoring.scenario import SessionState, Step, turn_results

TECHNIQUE_LABELS = {
    "exploratory_question": "exploratory question",
    "clarification": "clarification",
    "communication_analysis": "communication analysis",
    "encouragement_of_affect": "encouragement of affect",
    "linking_mood_events": "linking mood to events",
    "psychoeducation_sick_role": "psychoeducation / sick role",
    "decision_analysis": "decision analysis",
    "role_play_setup": "role-play set-up",
    "formulation_contract": "formulation or contract",
    "risk_inquiry": "asking about suicide risk",
    "advice": "advice",
    "reassurance": "reassurance",
    "cbt_challenge": "CBT challenge",
    "past_interpretation": "interpreting the past",
    "taking_sides": "taking sides",
    "missed_risk": "missing the risk cue",
}
RATING_LABELS = {"good": "Good", "acceptable": "Acceptable", "unhelpful": "Unhelpful", "unsafe": "Unsafe"}
_RATING_KIND = {"good": "correct", "acceptable": "partial", "unhelpful": "incorrect", "unsafe": "incorrect"}
_P = "<p style='margin:0.3em 0'>"


def technique_label(technique: str | None, option: bool = False) -> str:
    if option:
        return "chosen from the options"
    return TECHNIQUE_LABELS.get(technique or "", "not coded")


def _speech(who: str, text: str, therapist: bool) -> str:
    style = "margin:0.3em 0 0.3em 2em;color:#0b3d91" if therapist else "margin:0.3em 0"
    return f"<p style='{style}'><strong>{escape(who)}:</strong> {escape(text)}</p>"


def transcript_html(scenario: Scenario, state: SessionState) -> str:
    """The session so far: the patient's turns and replies, the trainee's lines."""
    name = scenario.patient_name
    parts = []
    for step in state.steps:
        turn = scenario.turns[step.turn]
        parts.append(_speech(name, turn.patient, False))
        parts.append(_speech("You", step.line, True))
        parts.append(_speech(name, turn.branches[step.branch].reply, False))
    if state.done:
        if scenario.ending:
            parts.append(f"<p style='margin:0.3em 0'><em>{escape(scenario.ending)}</em></p>")
    else:
        parts.append(_speech(name, scenario.turns[state.turn].patient, False))
    return (
        # Named after the scenario: several sessions on one page are landmarks that must differ.
        f"<section role='log' aria-live='polite' aria-label='The session so far: {escape(scenario.title)}' "
        "style='max-width:60em;line-height:1.5;border-left:3px solid #cfd8dc;padding-left:0.8em'>"
        + "".join(parts)
        + "</section>"
    )


def reaction_card(scenario: Scenario, step: Step) -> str:
    """Practice: what the line was coded as, its rating, the supervisor's feedback and the aim."""
    turn = scenario.turns[step.turn]
    branch = turn.branches[step.branch]
    rating = branch.rating or ""
    inner = [
        f"<strong>{escape(RATING_LABELS.get(rating, 'Said'))}: "
        f"{escape(technique_label(step.technique, step.option))}</strong>",
        _P + escape(branch.feedback) + "</p>",
    ]
    if turn.aim:
        inner.append(_P + "<em>The aim here:</em> " + escape(turn.aim) + "</p>")
    return _box(_RATING_KIND.get(rating, "notice"), "".join(inner), "Feedback on your line")


def reword_card(step: Step) -> str:
    why = "; ".join(step.reasons)
    text = (
        "The course could not tell with confidence what kind of line this is"
        + (f" ({why})" if why else "")
        + ". Say it another way, in one or two plain sentences, or choose one of the lines below."
    )
    return _box("notice", f"<strong>Please reword your line</strong>{_P}{escape(text)}</p>", "Please reword")


def _row(number: int, scenario: Scenario, step: Step, rating: str, show_key: bool) -> str:
    turn = scenario.turns[step.turn]
    cells = [str(number), escape(step.line), escape(technique_label(step.technique, step.option))]
    if show_key:
        cells.append(escape(RATING_LABELS.get(rating, "")) + (" (for review)" if step.needs_review else ""))
        cells.append("<br>".join(f"“{escape(x)}”" for x in turn.expert))
    return "<tr>" + "".join(f"<td style='padding:0.2em 0.5em;vertical-align:top'>{c}</td>" for c in cells) + "</tr>"


def path_table(scenario: Scenario, state: SessionState, show_key: bool = True) -> str:
    heads = ["Turn", "Your line", "Coded as"] + (["Rating", "Expert alternatives"] if show_key else [])
    head = "".join(f"<th scope='col' style='text-align:left;padding:0.2em 0.5em'>{h}</th>" for h in heads)
    rows = [_row(i, scenario, r.step, r.rating, show_key) for i, r in enumerate(turn_results(scenario, state), 1)]
    return (
        "<table style='border-collapse:collapse;max-width:60em'><caption style='text-align:left'>"
        f"<strong>Your path</strong>: {escape(' → '.join(state.path))}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def adherence_lines(scenario: Scenario, state: SessionState) -> list[str]:
    results = turn_results(scenario, state)
    counts = {r: sum(x.rating == r for x in results) for r in RATINGS}
    helpful = sorted({technique_label(x.step.technique) for x in results if x.step.technique in HELPFUL_TECHNIQUES})
    lines = [
        f"{len(results)} turn(s): {counts['good']} good, {counts['acceptable']} acceptable, "
        f"{counts['unhelpful']} unhelpful, {counts['unsafe']} unsafe."
    ]
    if helpful:
        lines.append("IPT techniques you used: " + ", ".join(helpful) + ".")
    risk = [x for x in results if x.risk_cue]
    if risk:
        asked = sum(x.rating == "good" for x in risk)
        lines.append(f"Suicide-risk cues: {len(risk)}; asked about directly: {asked}.")
    flagged = sum(x.step.needs_review for x in results)
    if flagged:
        lines.append(f"{flagged} line(s) could not be coded with confidence: an instructor will read them.")
    return lines


def summary_html(scenario: Scenario, state: SessionState, score: ItemScore | None, show_key: bool = True) -> str:
    """The end of a session: adherence summary, the path and each line beside the expert's."""
    inner = ["<strong>End of the session: how it went</strong>"]
    if show_key:
        inner += [_P + escape(line) + "</p>" for line in adherence_lines(scenario, state)]
        if score is not None:
            inner.append(_P + f"Adherence score: {score.points / score.max_points:.0%} of the best path.</p>")
    inner.append(path_table(scenario, state, show_key))
    kind = "notice" if score is None else score.verdict
    return _box(kind, "".join(inner), "End of the session")


def grading_card(title: str, scenario: Scenario, state: SessionState, score: ItemScore, notes: list[str]) -> str:
    """The feedback card after grading: points, notes, the summary and the path with the key."""
    inner = [f"<strong>{escape(title)}: {round(score.points, 2):g} / {score.max_points:g} points</strong>"]
    inner += [f"{_P}<em>{escape(n)}</em></p>" for n in notes]
    inner += [_P + escape(line) + "</p>" for line in [*adherence_lines(scenario, state), *score.feedback]]
    inner.append(path_table(scenario, state, show_key=True))
    for i, r in enumerate(turn_results(scenario, state), 1):
        branch = scenario.turns[r.step.turn].branches[r.step.branch]
        inner.append(f"{_P}<em>Turn {i}:</em> {escape(branch.feedback)}</p>")
    return _box(score.verdict, "".join(inner), title)
