"""Score the coding of a therapy transcript: the IPT technique of each therapist turn.

Rule: each therapist turn earns a share of the points when coded with the expert's technique, or
with one the expert lists as also acceptable for that turn (some turns are honestly ambiguous,
e.g. a question that also clarifies). Each turn's feedback explains it.

A turn the expert codes ``missed_risk`` (a suicide-risk cue missed or mishandled) weighs twice a
normal turn and accepts no alternative: calling it merely off-model teaches that safety is an
adherence matter. Its share is kept as its own part, ``missed_risk`` (0–1, the share of such turns
coded right), which the competency report reads as a risk decision; the other turns are ``turns``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..schema import at, check_keys, choice_error, suggestion
from ..vocab import MISSED_RISK, SAFE_RISK_RESPONSE, TECHNIQUES, TRANSCRIPT_DRIFT
from .base import ItemScore, check_points, finish, is_choice, require_mapping, require_text

TURN_FIELDS = ("technique", "also_accept", "explanation")
RISK_WEIGHT = 2  # a missed_risk turn counts as much as two normal turns


@dataclass(frozen=True)
class TurnReference:
    technique: str
    also_accept: tuple[str, ...]
    explanation: str

    def accepts(self, code: str | None) -> bool:
        return code == self.technique or code in self.also_accept


@dataclass(frozen=True)
class TranscriptReference:
    """Expert codes, one per therapist turn, in order (turn keys "t1", "t2", ...), and how the
    transcript's off-model turns read (``drift``: subtle, caricatured or none; "" if not said)."""

    turns: tuple[TurnReference, ...]
    drift: str = ""

    @classmethod
    def from_mapping(cls, data: Any, where: str) -> TranscriptReference:
        data = require_mapping(data, where)
        check_keys(data, ("turns", "drift"), where)
        raw = data.get("turns")
        if not isinstance(raw, list) or not raw:
            raise ValueError(f"{at(where, data, 'turns')}: field 'turns' must be a non-empty list of therapist turns")
        turns = tuple(_turn(turn, at(f"{where}, therapist turn {i}", raw, i - 1)) for i, turn in enumerate(raw, 1))
        drift = data.get("drift", "")
        if "drift" in data:
            if not is_choice(drift, TRANSCRIPT_DRIFT):
                raise choice_error(where, data, "drift", drift, TRANSCRIPT_DRIFT)
            off_model = any(t.technique == "off_model" for t in turns)
            if off_model != (drift != "none"):
                raise ValueError(
                    f"{at(where, data, 'drift')}: field 'drift' is {drift!r}, but "
                    + ("no turn is coded off_model" if not off_model else "a turn is coded off_model")
                )
        return cls(turns, drift)

    @property
    def risk_turns(self) -> int:
        """How many turns the expert codes missed_risk."""
        return sum(t.technique == MISSED_RISK for t in self.turns)


def _turn(turn: Any, turn_at: str) -> TurnReference:
    turn = require_mapping(turn, turn_at)
    check_keys(turn, TURN_FIELDS, turn_at)
    technique = turn.get("technique")
    if not is_choice(technique, TECHNIQUES):
        raise choice_error(turn_at, turn, "technique", technique, TECHNIQUES)
    also = turn.get("also_accept") or []
    bad = [a for a in also if not is_choice(a, TECHNIQUES)] if isinstance(also, list) else [also]
    if bad:
        raise ValueError(
            f"{at(turn_at, turn, 'also_accept')}: field 'also_accept' must list technique keys, "
            f"not {bad[0]!r}{suggestion(bad[0], TECHNIQUES)}"
        )
    if also and (technique == MISSED_RISK or MISSED_RISK in also):
        raise ValueError(
            f"{at(turn_at, turn, 'also_accept')}: field 'also_accept' cannot be used with missed_risk: a missed "
            "risk cue is coded missed_risk and nothing else, and no other turn accepts it"
        )
    explanation = require_text(turn, "explanation", turn_at, optional=True)
    return TurnReference(technique, tuple(also), explanation)


def turn_key(index: int) -> str:
    """The stored key of the index-th therapist turn (1-based)."""
    return f"t{index}"


def parse_codes(value: Any) -> tuple[dict[str, str] | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict) or not isinstance(value.get("codes"), dict):
        return None, "the saved coding is not a mapping of turns to techniques"
    return {str(k): v for k, v in value["codes"].items() if is_choice(v, TECHNIQUES)}, None


def score_transcript(
    codes: dict[str, str] | None, reference: TranscriptReference, max_points: float = 1.0
) -> ItemScore:
    check_points(max_points)
    expert = [_expert_line(i, t) for i, t in enumerate(reference.turns, start=1)]
    risk = reference.risk_turns
    other = len(reference.turns) - risk
    weights = {}
    if other:
        weights["turns"] = other / (other + RISK_WEIGHT * risk)
    if risk:
        weights[MISSED_RISK] = RISK_WEIGHT * risk / (other + RISK_WEIGHT * risk)
    if not codes:
        return ItemScore(0.0, max_points, "unanswered", ["No turn was coded."], expert, dict.fromkeys(weights, 0.0))
    right = {"turns": 0, MISSED_RISK: 0}
    feedback = []
    for i, turn in enumerate(reference.turns, start=1):
        part = MISSED_RISK if turn.technique == MISSED_RISK else "turns"
        chosen = codes.get(turn_key(i))
        if turn.accepts(chosen):
            right[part] += 1
            continue
        picked = TECHNIQUES[chosen].label if chosen else "nothing"
        line = f"Turn {i}: you chose {picked}; the expert codes {TECHNIQUES[turn.technique].label}. {turn.explanation}"
        if part == MISSED_RISK:
            line = f"{line} {SAFE_RISK_RESPONSE}"
        feedback.append(line.strip())
    total = right["turns"] + right[MISSED_RISK]
    summary = f"{total} of {len(reference.turns)} therapist turns coded as the expert did."
    if risk:
        summary += (
            f" {right[MISSED_RISK]} of {risk} turn{'s' if risk > 1 else ''} that miss{'' if risk > 1 else 'es'} "
            "a suicide-risk cue recognised (each counts double)."
        )
    feedback.insert(0, summary)
    parts = {"turns": right["turns"] / other} if other else {}
    if risk:
        parts[MISSED_RISK] = right[MISSED_RISK] / risk
    return finish(parts, weights, max_points, feedback, expert, "")


def _expert_line(number: int, turn: TurnReference) -> str:
    line = f"Turn {number}: {TECHNIQUES[turn.technique].label}. {turn.explanation}".strip()
    return f"{line} {SAFE_RISK_RESPONSE}" if turn.technique == MISSED_RISK else line
