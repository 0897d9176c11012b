"""Score a problem-area classification against the expert reference.

Partial-credit rules (the course's contract with trainees; the README repeats them):

* no answer, or the wrong problem area: 0;
* the right area, when it is not a role dispute: full points;
* a role dispute with the right stage: full points;
* a role dispute with a wrong or missing stage: ``AREA_SHARE_OF_DISPUTE`` (half) of the points.
  Recognising the dispute is the larger clinical decision, but the stage decides the
  strategy (renegotiate, break an impasse, or help end the relationship), so it is worth half.

The rationale is not scored here: it is shown beside the expert's explanation so the trainee
(and the instructor, in formgrader) can compare them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..cases import ClassificationReference
from ..vocab import (
    AREA_PITFALLS,
    DISPUTE_STAGES,
    PROBLEM_AREAS,
    ROLE_DISPUTE,
    area_label,
    stage_label,
)
from .base import is_choice, is_finite_number

AREA_SHARE_OF_DISPUTE = 0.5
MAX_RATIONALE_CHARS = 5_000


@dataclass(frozen=True)
class ClassificationAnswer:
    """A trainee's classification, as saved by the VignetteClassifier widget."""

    area: str | None = None
    stage: str | None = None
    rationale: str = ""

    def to_json(self) -> dict[str, Any]:
        """The form kept in the response store."""
        return {"area": self.area, "stage": self.stage, "rationale": self.rationale}


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
    if area is not None and not is_choice(area, PROBLEM_AREAS):
        return None, f"the saved problem area {str(area)[:40]!r} is not one of the four IPT problem areas"
    if stage is not None and not is_choice(stage, DISPUTE_STAGES):
        return None, f"the saved dispute stage {str(stage)[:40]!r} is not an IPT dispute stage"
    if not isinstance(rationale, str):
        rationale = ""
    return ClassificationAnswer(area=area, stage=stage, rationale=rationale[:MAX_RATIONALE_CHARS]), None


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

    feedback: list[str] = []
    if answer.area != reference.area:
        feedback.append(
            f"You chose {area_label(answer.area)}. "
            + reference.distractors.get(answer.area, AREA_PITFALLS[answer.area])
        )
        return ClassificationScore(0.0, max_points, "incorrect", False, None, feedback)

    feedback.append(_confirm_area(answer.area, reference.explanation))
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


def _confirm_area(area: str, explanation: str) -> str:
    """ "Grief is the primary area." then the explanation, unless its first sentence already says so
    ("The primary area is a role dispute."): the same sentence twice reads as a slip."""
    first = explanation.split(". ")[0].lower()
    if area_label(area).lower() in first and "primary" in first:
        return explanation.strip()
    return f"{area_label(area)} is the primary area. {explanation}".strip()
