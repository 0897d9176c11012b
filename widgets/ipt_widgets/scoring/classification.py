"""Score a problem-area classification against the expert reference.

Partial-credit rules (the course's contract with trainees; the README repeats them):

* no answer, or the wrong problem area: 0;
* the right area, when it is not a role dispute: full points;
* a role dispute with the right stage: full points;
* a role dispute with a wrong or missing stage: ``AREA_SHARE_OF_DISPUTE`` (half) of the points.
  Recognising the dispute is the larger clinical decision, but the stage decides the
  strategy (renegotiate, break an impasse, or help end the relationship), so it is worth half.

A mixed presentation (the reference has a ``secondary`` area, or ``"none"``) splits the points:
``PRIMARY_SHARE`` (70%) for the primary area, scored by the rules above, and the rest for the
secondary. The primary is the larger decision, since it organises the treatment; the secondary
is what the therapist keeps in view. A trainee who swaps the two (the expert's secondary as
primary and its primary as secondary) has recognised both areas but not which drives the
episode: the secondary share only. A reference without ``secondary`` scores exactly as above.

The fifth choice, ``not_indicated`` ("Not IPT now: refer or treat first"), comes with a reason
(bipolar history, psychotic features, substance dependence, acute risk, other):

* a case where IPT should not start now: the right reason earns full points, a wrong or missing
  reason ``REASON_SHARE`` (half): seeing that IPT must wait is the safety decision, the reason
  decides where the patient goes; any problem area earns 0, with what in the case calls for
  referral or treatment first;
* a case where IPT can go ahead: ``not_indicated`` earns 0, with why IPT can proceed (and what
  runs alongside it, such as a safety plan).

The rationale is not scored here: it is shown beside the expert's explanation so the trainee
(and the instructor, in formgrader) can compare them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..cases import CLASSIFIER_CHOICES, ClassificationReference
from ..vocab import (
    AREA_PITFALLS,
    DISPUTE_STAGES,
    NO_SECONDARY,
    NOT_INDICATED,
    NOT_INDICATED_REASONS,
    PROBLEM_AREAS,
    ROLE_DISPUTE,
    area_label,
    reason_label,
    stage_label,
)
from .base import is_choice, is_finite_number

SECONDARY_CHOICES = (*PROBLEM_AREAS, NO_SECONDARY)

AREA_SHARE_OF_DISPUTE = 0.5
PRIMARY_SHARE = 0.7
REASON_SHARE = 0.5
MAX_RATIONALE_CHARS = 5_000


@dataclass(frozen=True)
class ClassificationAnswer:
    """A trainee's classification, as saved by the VignetteClassifier widget."""

    area: str | None = None
    stage: str | None = None
    rationale: str = ""
    secondary: str | None = None
    not_indicated_reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The form kept in the response store ("secondary" and "not_indicated_reason" only when chosen)."""
        out: dict[str, Any] = {"area": self.area, "stage": self.stage, "rationale": self.rationale}
        if self.secondary is not None:
            out["secondary"] = self.secondary
        if self.not_indicated_reason is not None:
            out["not_indicated_reason"] = self.not_indicated_reason
        return out


@dataclass(frozen=True)
class ClassificationScore:
    """The result of scoring one classification.

    ``verdict`` is one of "correct", "partial", "incorrect", "unanswered". ``feedback`` holds
    teaching sentences in the order they should be read.
    """

    points: float
    max_points: float
    verdict: str
    area_correct: bool
    stage_correct: bool | None
    feedback: list[str] = field(default_factory=list)
    secondary_correct: bool | None = None
    reason_correct: bool | None = None


def parse_classification(value: Any) -> tuple[ClassificationAnswer | None, str | None]:
    """Turn a stored value into an answer, or explain why it cannot be used.

    Returns ``(answer, None)`` or ``(None, problem)``; never raises, because the value comes
    from a file the trainee's machine wrote and may have been edited.
    """
    if value is None:
        return None, None
    if not isinstance(value, dict):
        return None, f"the saved answer is a {type(value).__name__}, not a classification"
    area = value.get("area")
    stage = value.get("stage")
    rationale = value.get("rationale", "")
    if area is not None and not is_choice(area, CLASSIFIER_CHOICES):
        return None, (
            f"the saved problem area {str(area)[:40]!r} is not one of the four IPT problem areas or {NOT_INDICATED!r}"
        )
    if stage is not None and not is_choice(stage, DISPUTE_STAGES):
        return None, f"the saved dispute stage {str(stage)[:40]!r} is not an IPT dispute stage"
    secondary = value.get("secondary")
    if secondary is not None and not is_choice(secondary, SECONDARY_CHOICES):
        return None, f"the saved secondary area {str(secondary)[:40]!r} is not an IPT problem area or 'none'"
    reason = value.get("not_indicated_reason")
    if reason is not None and not is_choice(reason, NOT_INDICATED_REASONS):
        return None, f"the saved reason {str(reason)[:40]!r} is not one of {', '.join(NOT_INDICATED_REASONS)}"
    if not isinstance(rationale, str):
        rationale = ""
    answer = ClassificationAnswer(area, stage, rationale[:MAX_RATIONALE_CHARS], secondary, reason)
    return answer, None


def score_classification(
    answer: ClassificationAnswer | None,
    reference: ClassificationReference,
    max_points: float = 1.0,
) -> ClassificationScore:
    """Score ``answer`` against ``reference`` under the module's partial-credit rules."""
    if not is_finite_number(max_points) or max_points <= 0:
        raise ValueError(f"max_points must be a positive number, got {max_points!r}")
    if answer is None or answer.area is None:
        return ClassificationScore(0.0, max_points, "unanswered", False, None, ["No problem area was chosen."])
    if reference.secondary is None:
        return _score_primary(answer, reference, max_points)
    primary_points = round(max_points * PRIMARY_SHARE, 4)
    primary = _score_primary(answer, reference, primary_points)
    secondary_points, secondary_correct, lines = _score_secondary(answer, reference, max_points - primary_points)
    points = round(primary.points + secondary_points, 4)
    verdict = "correct" if points >= max_points else "partial" if points > 0 else "incorrect"
    return ClassificationScore(
        points,
        max_points,
        verdict,
        primary.area_correct,
        primary.stage_correct,
        primary.feedback + lines,
        secondary_correct,
    )


def _score_primary(
    answer: ClassificationAnswer, reference: ClassificationReference, max_points: float
) -> ClassificationScore:
    """The primary area (and a dispute's stage), worth ``max_points``."""
    feedback: list[str] = []
    if answer.area != reference.area:
        feedback.append(f"You chose {area_label(answer.area)}. " + _why_not(answer.area, reference))
        return ClassificationScore(0.0, max_points, "incorrect", False, None, feedback)

    feedback.append(_confirm_area(answer.area, reference.explanation))
    if reference.area == NOT_INDICATED:
        return _score_reason(answer, reference, max_points, feedback)
    if reference.area != ROLE_DISPUTE:
        return ClassificationScore(float(max_points), max_points, "correct", True, None, feedback)

    if answer.stage == reference.stage:
        if reference.stage_explanation:
            feedback.append(f"{stage_label(answer.stage)} is the right stage. {reference.stage_explanation}")
        return ClassificationScore(float(max_points), max_points, "correct", True, True, feedback)

    if answer.stage is None:
        feedback.append("You did not choose the stage of the dispute, which decides the strategy.")
    else:
        why_not = reference.stage_feedback.get(answer.stage, DISPUTE_STAGES[answer.stage].gloss)
        feedback.append(f"You chose the {stage_label(answer.stage)} stage. {why_not}")
    points = round(max_points * AREA_SHARE_OF_DISPUTE, 4)
    return ClassificationScore(points, max_points, "partial", True, False, feedback)


def _why_not(chosen: str, reference: ClassificationReference) -> str:
    """Why ``chosen`` is wrong: the case's own feedback, else what the case calls for, else the pitfall."""
    if chosen in reference.distractors:
        return reference.distractors[chosen]
    if reference.area == NOT_INDICATED:
        why = reference.reason_explanation or reference.explanation
        return (
            f"IPT is not the treatment to start now ({reason_label(reference.not_indicated_reason).lower()}): {why}"
        ).strip()
    return AREA_PITFALLS[chosen]


def _score_reason(
    answer: ClassificationAnswer, reference: ClassificationReference, max_points: float, feedback: list[str]
) -> ClassificationScore:
    """A case where IPT must wait: the reason decides the rest of the points."""
    expected, chosen = reference.not_indicated_reason, answer.not_indicated_reason
    why = reference.reason_explanation
    if chosen == expected:
        feedback.append(f"{reason_label(expected)} is the reason. {why}".strip())
        return ClassificationScore(float(max_points), max_points, "correct", True, None, feedback, reason_correct=True)
    if chosen is None:
        mine = "You did not say why IPT should wait"
    else:
        mine = f"You gave the reason “{reason_label(chosen).lower()}”"
    feedback.append(f"{mine}; the reason here is {reason_label(expected).lower()}. {why}".strip())
    points = round(max_points * REASON_SHARE, 4)
    return ClassificationScore(points, max_points, "partial", True, None, feedback, reason_correct=False)


def _score_secondary(
    answer: ClassificationAnswer, reference: ClassificationReference, share: float
) -> tuple[float, bool, list[str]]:
    """The secondary area, worth ``share``: (points, right?, feedback lines)."""
    expected, chosen = reference.secondary, answer.secondary
    why = reference.secondary_explanation
    if chosen == expected:
        if expected == NO_SECONDARY:
            return share, True, [f"Right: there is no secondary area. {why}".strip()]
        return share, True, [f"{area_label(expected)} is the right secondary area. {why}".strip()]
    expert = _expert_secondary(expected)
    if chosen is None:
        return 0.0, False, [f"You did not choose a secondary area (or none): {expert}. {why}".strip()]
    if answer.area == expected and chosen == reference.area:
        line = (
            f"You swapped the two areas: the expert's primary area is {area_label(reference.area).lower()} and "
            f"the secondary {area_label(expected).lower()}. You recognised both, which earns the secondary "
            f"share; the primary is the one that drives the episode and organises the treatment. {why}"
        )
        return share, False, [line.strip()]
    if chosen == answer.area:
        mine = "You chose the same area as primary and as secondary"
    elif chosen == NO_SECONDARY:
        mine = "You chose no secondary area"
    else:
        mine = f"You chose {area_label(chosen).lower()} as the secondary area"
    return 0.0, False, [f"{mine}; {expert}. {why}".strip()]


def _expert_secondary(key: str | None) -> str:
    if key == NO_SECONDARY:
        return "the expert sees no secondary area"
    return f"the expert's secondary area is {area_label(key).lower()}"


def _confirm_area(area: str, explanation: str) -> str:
    """ "Grief is the primary area." then the explanation, unless its first sentence already says so
    ("The primary area is a role dispute."): the same sentence twice reads as a slip."""
    first = explanation.split(". ")[0].lower()
    if area == NOT_INDICATED:
        if "ipt" in first and "not" in first:  # "IPT should not start now. ..."
            return f"Right: {explanation}".strip()
        return f"Right: IPT is not the treatment to start now. {explanation}".strip()
    if area_label(area).lower() in first and "primary" in first:
        return explanation.strip()
    return f"{area_label(area)} is the primary area. {explanation}".strip()
