"""The simulated session as pure functions: play a scenario line by line, and score a session.

The coder is a parameter (``coder(line, turn, scenario)`` returning an object with ``technique``,
``confidence``, ``needs_review`` and ``reasons``), so the widget and grading pass the course's
line coder (:func:`ipt_widgets.scoring.scenario_coder.course_coder`) and tests a small
deterministic one. Nothing here draws or saves.

Rules (docs/authoring/scenarios.md):

* a line takes the first branch whose ``techniques`` hold its code, else the ``[any]`` fallback;
* a line the coder cannot code with confidence is never sent silently to a branch: in practice
  the caller asks to reword it (``uncodable="ask"``); in graded mode it takes the fallback and is
  flagged for review (``uncodable="fallback"``);
* a line chosen from the options (a branch's ``example``) takes that branch;
* each trainee turn scores good 1, acceptable 0.5, unhelpful or unsafe 0; the session's score is
  the mean over its turns (an unfinished session counts the fewest turns still needed as 0);
  the risk part is the share of risk-cue turns answered with a good branch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..risk import SCENARIO_RISK_PART
from ..scenario_format import END, Scenario, Turn
from ..scenario_paths import shortest_to_end
from .base import ItemScore

Coder = Callable[[str, Turn, Scenario], Any]
TURNS_PART = "turns"
MAX_LINE_CHARS = 1000


@dataclass(frozen=True)
class Step:
    """One trainee turn: the line said at ``turn``, its code, and the branch it took."""

    turn: str
    line: str
    branch: int
    technique: str | None = None
    confidence: float = 0.0
    needs_review: bool = False
    reasons: tuple[str, ...] = ()
    option: bool = False  # chosen from the options, not written

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"turn": self.turn, "line": self.line, "branch": self.branch}
        if self.option:
            data["option"] = True
        if self.technique:
            data["technique"] = self.technique  # shown on restore; grading re-codes, never reads it
        if self.needs_review:
            data["needs_review"] = True
        return data


@dataclass(frozen=True)
class SessionState:
    """Where a session is: the current turn id (``end`` when finished) and the steps so far."""

    turn: str
    steps: tuple[Step, ...] = ()

    @property
    def done(self) -> bool:
        return self.turn == END

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(s.turn for s in self.steps) + ((END,) if self.done else ())


@dataclass(frozen=True)
class Outcome:
    """What one line did: the new state, its step, and whether the trainee must reword it."""

    state: SessionState
    step: Step
    needs_reword: bool = False


def start(scenario: Scenario) -> SessionState:
    return SessionState(turn=scenario.start)


def _follow(scenario: Scenario, state: SessionState, step: Step) -> SessionState:
    branch = scenario.turns[state.turn].branches[step.branch]
    return SessionState(turn=branch.next, steps=(*state.steps, step))


def code_step(scenario: Scenario, turn: Turn, line: str, coder: Coder) -> Step:
    """Code one line at ``turn`` and pick its branch (the fallback when it cannot be coded)."""
    code = coder(line, turn, scenario)
    technique = getattr(code, "technique", None)
    review = bool(getattr(code, "needs_review", False)) or not isinstance(technique, str)
    return Step(
        turn=turn.id,
        line=line,
        branch=len(turn.branches) - 1 if review else turn.branch_for(technique),
        technique=technique if isinstance(technique, str) else None,
        confidence=float(getattr(code, "confidence", 0.0) or 0.0),
        needs_review=review,
        reasons=tuple(str(r) for r in getattr(code, "reasons", ()) or ()),
    )


def advance(scenario: Scenario, state: SessionState, line: str, coder: Coder, *, uncodable: str = "ask") -> Outcome:
    """Say ``line`` at the current turn. ``uncodable``: "ask" (practice: the state does not move
    and ``needs_reword`` is set) or "fallback" (graded: the fallback branch, flagged for review)."""
    if state.done:
        raise ValueError(f"scenario {scenario.id!r}: the session has ended; start again to say more")
    line = " ".join(str(line).split())[:MAX_LINE_CHARS]
    if not line:
        raise ValueError(f"scenario {scenario.id!r}: the line is empty; write what you would say next")
    step = code_step(scenario, scenario.turns[state.turn], line, coder)
    if step.needs_review and uncodable == "ask":
        return Outcome(state=state, step=step, needs_reword=True)
    return Outcome(state=_follow(scenario, state, step), step=step)


def choose(scenario: Scenario, state: SessionState, index: int) -> Outcome:
    """Say the example line of branch ``index`` (the options fallback); it takes that branch."""
    if state.done:
        raise ValueError(f"scenario {scenario.id!r}: the session has ended; start again to say more")
    turn = scenario.turns[state.turn]
    if not 0 <= index < len(turn.branches):
        raise ValueError(f"scenario {scenario.id!r}, turn {turn.id!r}: no option {index + 1}")
    step = Step(turn=turn.id, line=turn.branches[index].example, branch=index, option=True)
    return Outcome(state=_follow(scenario, state, step), step=step)


def replay(scenario: Scenario, steps: Sequence[Step]) -> SessionState:
    """Rebuild a state from saved steps along their saved branches (display only: grading re-codes).
    Stops at the first step that does not fit the scenario."""
    state = start(scenario)
    for step in steps:
        turn = scenario.turns.get(state.turn)
        if state.done or turn is None or step.turn != turn.id or not 0 <= step.branch < len(turn.branches):
            break
        state = _follow(scenario, state, step)
    return state


def regrade(scenario: Scenario, lines: Sequence[dict[str, Any]], coder: Coder) -> tuple[SessionState, list[str]]:
    """Walk the key ``scenario`` again with the recorded lines, re-coding each one (recorded codes
    and branches are never trusted). A line recorded as an option takes its branch only when it is
    that branch's example word for word. Returns the state and notes for the instructor."""
    state, notes = start(scenario), []
    for index, entry in enumerate(lines):
        if state.done:
            notes.append(f"{len(lines) - index} line(s) recorded after the end were not scored")
            break
        turn = scenario.turns[state.turn]
        if entry.get("turn") != turn.id:
            notes.append(
                f"line {index + 1} was said at turn {entry.get('turn')!r} on screen, but re-coded the session is at "
                f"{turn.id!r}: scored here, please read it"
            )
        line = " ".join(str(entry.get("line", "")).split())[:MAX_LINE_CHARS]
        examples = [b.example for b in turn.branches]
        if entry.get("option") and line in examples:
            step = Step(turn=turn.id, line=line, branch=examples.index(line), option=True)
        elif line:
            step = code_step(scenario, turn, line, coder)
        else:
            step = Step(
                turn=turn.id, line="", branch=len(turn.branches) - 1, needs_review=True, reasons=("empty line",)
            )
        if entry.get("turn") != turn.id:
            step = replace(step, needs_review=True, reasons=(*step.reasons, "path differs from the one on screen"))
        state = _follow(scenario, state, step)
    return state, notes


@dataclass(frozen=True)
class TurnResult:
    step: Step
    rating: str
    value: float
    risk_cue: bool


def turn_results(scenario: Scenario, state: SessionState) -> list[TurnResult]:
    out = []
    for step in state.steps:
        turn = scenario.turns[step.turn]
        branch = turn.branches[step.branch]
        out.append(TurnResult(step, branch.rating or "", branch.value, turn.risk_cue))
    return out


def score_session(scenario: Scenario, state: SessionState, points: float = 1.0) -> ItemScore:
    """The adherence-style score of a played (or re-coded) session, scaled to ``points``."""
    results = turn_results(scenario, state)
    missing = 0 if state.done else shortest_to_end(scenario).get(state.turn, 1)
    turns = len(results) + missing
    if not results:
        return ItemScore(0.0, points, "unanswered", ["The session was not started."], parts={TURNS_PART: 0.0})
    mean = sum(r.value for r in results) / turns
    parts = {TURNS_PART: mean}
    risk = [r for r in results if r.risk_cue]
    if risk:
        parts[SCENARIO_RISK_PART] = sum(r.rating == "good" for r in risk) / len(risk)
    feedback = []
    if missing:
        feedback.append(
            f"The session stopped before the end: {missing} more turn(s) at least were needed, counted as 0."
        )
    if any(r.rating == "unsafe" for r in risk):
        feedback.append("A suicide-risk cue was passed over: after such a hint, ask directly and calmly about suicide.")
    verdict = "correct" if mean >= 1 - 1e-9 else "partial" if mean > 0 else "incorrect"
    return ItemScore(points * mean, points, verdict, feedback, parts=parts)


def review_reasons(state: SessionState) -> list[str]:
    """Why an instructor should read the session: every line flagged for review."""
    out = []
    for number, step in enumerate(state.steps, 1):
        if step.needs_review:
            why = "; ".join(step.reasons) or "the coder could not code it with confidence"
            out.append(f"turn {number} ({step.turn}): {why}")
    return out
