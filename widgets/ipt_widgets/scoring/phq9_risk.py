"""The risk part of a PHQ-9 exercise: for each administration, the action it calls for.

The reference gives one decision per session, from item 9 and any risk fact the case states:
item 9 at 0 and no other cue → ``monitor``; item 9 above 0 with no plan or intent stated →
``ask_and_plan``; ``urgent`` for acute risk: a plan or intent (especially with means at hand),
preparations or rehearsal, a recent attempt, or a patient who cannot take part in safety planning.
Access to means alone is met in the safety plan (making means safer), not by ``urgent``. After a
positive item 9, a later session at 0 is ``monitor``: the safety plan made then stays under review
(the reference's ``why`` says so). A reference is checked
against its own item 9 scores: a positive item 9 can never call for routine monitoring, and any
action beyond it needs the fact that calls for it (``why``) when item 9 does not.

Scoring (pure): each session earns a share of credit (:data:`CREDIT`); sessions that call for
action count :data:`ACTION_WEIGHT` times as much as those that do not. A session that called for
action but was left to routine monitoring is an *unsafe miss*: the risk part then earns nothing,
and the PHQ-9 scorer caps the whole item at half its points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..risk import RISK_ACTIONS
from ..schema import at, check_keys, choice_error
from ..vocab import PHQ9_FREQUENCIES
from .base import require_text

ACTION_WEIGHT = 3
# CREDIT[expected][chosen]: over-reaction keeps some credit (it is safe but costly: a crisis slot,
# a frightened patient); under-reaction to a stated plan keeps little; monitoring risk keeps none.
CREDIT: dict[str, dict[str, float]] = {
    "monitor": {"monitor": 1.0, "ask_and_plan": 0.5, "urgent": 0.25},
    "ask_and_plan": {"ask_and_plan": 1.0, "urgent": 0.5, "monitor": 0.0},
    "urgent": {"urgent": 1.0, "ask_and_plan": 0.25, "monitor": 0.0},
}
PHRASES = {score: phrase for phrase, score in PHQ9_FREQUENCIES.items()}


@dataclass(frozen=True)
class RiskDecision:
    """The action one administration calls for, and the stated fact that calls for it."""

    action: str
    why: str = ""


@dataclass(frozen=True)
class RiskResult:
    fraction: float
    unsafe: bool
    feedback: list[str]


def parse_decisions(raw: Any, item9: Sequence[int], where: str, data: Any = None) -> tuple[RiskDecision, ...]:
    """The reference's ``risk`` field: one action (or ``{action, why}``) per session, checked
    against the session's item 9 score."""
    field_at = at(where, data, "risk") if data is not None else where
    if not isinstance(raw, list) or len(raw) != len(item9):
        got = f"{len(raw)} entries" if isinstance(raw, list) else type(raw).__name__
        raise ValueError(f"{field_at}: field 'risk' must list one action per session ({len(item9)}), got {got}")
    return tuple(
        _decision(entry, score, f"{where}, field 'risk', session {i}", raw, i - 1)
        for i, (entry, score) in enumerate(zip(raw, item9), start=1)
    )


def _decision(entry: Any, item9: int, where: str, raw: list, index: int) -> RiskDecision:
    mapping = entry if isinstance(entry, dict) else {"action": entry}
    entry_at = at(where, raw, index)
    check_keys(mapping, ("action", "why"), entry_at)
    action = mapping.get("action")
    if not isinstance(action, str) or action not in RISK_ACTIONS:
        raise choice_error(entry_at, mapping, "action", action, RISK_ACTIONS)
    why = require_text(mapping, "why", entry_at, optional=True)
    if item9 > 0 and action == "monitor":
        raise ValueError(f"{entry_at}: item 9 is {item9} here, so the action cannot be 'monitor'")
    if not why and (action == "urgent" or (item9 == 0 and action != "monitor")):
        raise ValueError(f"{entry_at}: action {action!r} needs a 'why' naming the stated fact that calls for it")
    return RiskDecision(action, why)


def parse_choices(value: Any, n_sessions: int) -> tuple[str | None, ...]:
    """A trainee's saved choices; anything missing or unknown (an old responses file) is None."""
    raw = value if isinstance(value, list) else []
    chosen = [v if isinstance(v, str) and v in RISK_ACTIONS else None for v in raw[:n_sessions]]
    return tuple(chosen + [None] * (n_sessions - len(chosen)))


def reason(decision: RiskDecision, item9: int) -> str:
    """Why the session calls for its action, in one clause."""
    answer = f'item 9 was "{PHRASES[item9]}" ({item9})'
    if decision.why:
        return f"{answer}, and {decision.why[0].lower()}{decision.why[1:].rstrip('.')}"
    if decision.action == "monitor":
        return f"{answer} and the case states no other sign of risk"
    return f"{answer} and the case states no plan or intent"


def expert_line(decisions: Sequence[RiskDecision], item9: Sequence[int], labels: Sequence[str]) -> str:
    steps = "; ".join(
        f"{label}: {RISK_ACTIONS[d.action].lower()} ({reason(d, s)})" for label, d, s in zip(labels, decisions, item9)
    )
    return f"The action each administration calls for. {steps}."


def score_risk(
    chosen: Sequence[str | None],
    decisions: Sequence[RiskDecision],
    item9: Sequence[int],
    labels: Sequence[str],
    totals: Sequence[int] = (),
) -> RiskResult:
    """Credit for the risk decisions, whether any was an unsafe miss, and what each wrong one teaches.
    ``totals`` (the true totals) let the feedback name a total that fell while risk rose."""
    weights = [ACTION_WEIGHT if d.action != "monitor" else 1 for d in decisions]
    credits = [CREDIT[d.action].get(c, 0.0) if c else 0.0 for c, d in zip(chosen, decisions)]
    unsafe = any(c == "monitor" and d.action != "monitor" for c, d in zip(chosen, decisions))
    fraction = 0.0 if unsafe else sum(w * c for w, c in zip(weights, credits)) / sum(weights)
    fell = [0 < i < len(totals) and totals[i] < totals[i - 1] for i in range(len(decisions))]
    # Risk shown at an earlier session changes what over-reaction at a later, quieter one means.
    shown = [s > 0 or d.action != "monitor" for s, d in zip(item9, decisions)]
    earlier = [any(shown[:i]) for i in range(len(decisions))]
    feedback = [
        _teach(label, c, d, s, f, e)
        for label, c, d, s, f, e in zip(labels, chosen, decisions, item9, fell, earlier)
        if c != d.action
    ]
    if unsafe:
        feedback.append(
            "A session that called for action was left to routine monitoring. That is the one unsafe choice: "
            "it earns nothing for the risk decisions, and this item at most half its points."
        )
    return RiskResult(fraction, unsafe, feedback)


def _teach(
    label: str, chosen: str | None, decision: RiskDecision, item9: int, total_fell: bool = False, earlier: bool = False
) -> str:
    """One session's lesson: what the facts call for and why, then what was wrong with the choice.
    ``earlier``: an earlier session showed risk, so a safety plan is already in place."""
    right = f"{label}: {reason(decision, item9)}, so the action is: {RISK_ACTIONS[decision.action].lower()}."
    if chosen is None:
        return f"{right} No action was chosen for this session."
    if decision.action == "monitor":
        return f"{right} You chose more than that ({RISK_ACTIONS[chosen].lower()}). " + _over(earlier)
    if chosen == "monitor":
        fell = " The total fell at this session, but a falling total does not lower the risk item 9 reports."
        return (
            f"{right} A positive item 9 or a stated plan is never left to routine monitoring, whatever the total."
            + (fell if total_fell else "")
        )
    if decision.action == "urgent":
        return (
            f"{right} A safety plan alone is not enough once a plan or intent (especially with means at hand), "
            "preparations or a recent attempt is stated: the patient needs a same-day urgent assessment, and "
            "your supervisor must know."
        )
    return (
        f"{right} With no plan or intent stated, asking directly and agreeing a collaborative safety plan is "
        "the proportionate step, and the plan makes any means safer. An urgent assessment follows if the "
        "answers show a plan or intent, preparations or rehearsal, a recent attempt, or that the patient "
        "cannot take part in safety planning."
    )


def _over(earlier: bool) -> str:
    """What choosing more than routine monitoring teaches, with or without risk shown before."""
    if earlier:
        return (
            "Risk was shown at an earlier session, so the safety plan made then stays in place: you ask about "
            "suicidal thoughts again and review that plan briefly, as part of routine monitoring. Nothing new "
            "at this session calls for a fresh safety plan or an urgent assessment."
        )
    return (
        "Asking about suicidal thoughts is always right, but a safety plan or an urgent assessment answers "
        "risk the case does not show."
    )
