"""Score the coding of a therapy transcript: the IPT technique of each therapist turn.

Rule: each therapist turn earns an equal share of the points when coded with the expert's
technique, or with one the expert lists as also acceptable for that turn (some turns are
honestly ambiguous, e.g. a question that also clarifies). Each turn's feedback explains it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..schema import at, check_keys, choice_error, suggestion
from ..vocab import TECHNIQUES
from .base import ItemScore, check_points, finish, is_choice, require_mapping, require_text

TURN_FIELDS = ("technique", "also_accept", "explanation")


@dataclass(frozen=True)
class TurnReference:
    technique: str
    also_accept: tuple[str, ...]
    explanation: str

    def accepts(self, code: str | None) -> bool:
        return code == self.technique or code in self.also_accept


@dataclass(frozen=True)
class TranscriptReference:
    """Expert codes, one per therapist turn, in order (turn keys "t1", "t2", ...)."""

    turns: tuple[TurnReference, ...]

    @classmethod
    def from_mapping(cls, data: Any, where: str) -> TranscriptReference:
        data = require_mapping(data, where)
        check_keys(data, ("turns",), where)
        raw = data.get("turns")
        if not isinstance(raw, list) or not raw:
            raise ValueError(f"{at(where, data, 'turns')}: field 'turns' must be a non-empty list of therapist turns")
        turns = []
        for index, turn in enumerate(raw, start=1):
            turn_at = at(f"{where}, therapist turn {index}", raw, index - 1)
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
            explanation = require_text(turn, "explanation", turn_at, optional=True)
            turns.append(TurnReference(technique, tuple(also), explanation))
        return cls(tuple(turns))


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
    expert = [
        f"Turn {i}: {TECHNIQUES[t.technique].label}. {t.explanation}".strip()
        for i, t in enumerate(reference.turns, start=1)
    ]
    if not codes:
        return ItemScore(0.0, max_points, "unanswered", ["No turn was coded."], expert, {"turns": 0.0})
    right = 0
    feedback = []
    for i, turn in enumerate(reference.turns, start=1):
        chosen = codes.get(turn_key(i))
        if turn.accepts(chosen):
            right += 1
            continue
        picked = TECHNIQUES[chosen].label if chosen else "nothing"
        feedback.append(
            f"Turn {i}: you chose {picked}; the expert codes {TECHNIQUES[turn.technique].label}. "
            f"{turn.explanation}".strip()
        )
    feedback.insert(0, f"{right} of {len(reference.turns)} therapist turns coded as the expert did.")
    return finish({"turns": right / len(reference.turns)}, {"turns": 1.0}, max_points, feedback, expert, "")
