"""The teaching sentences of a scored draft, in reading order (plain text: the card escapes them)."""

from __future__ import annotations

from ..formulations import FormulationReference
from ..vocab import area_label, stage_label
from .draft_checks import named_stages
from .draft_rules import WRONG_AREA_CAP


def feedback_lines(score, reference: FormulationReference) -> list[str]:
    """Teaching sentences in reading order (plain text; the card escapes and lays them out)."""
    lines = list(score.notes)
    if score.verdict == "unanswered":
        lines.append("No draft was written. Each element below says what a good answer does.")
    if score.wrong_area:
        stage = f" ({stage_label(reference.dispute_stage)})" if reference.dispute_stage else ""
        lines.append(
            f"Your draft builds the case on {area_label(score.wrong_area).lower()}, but this is "
            f"{area_label(reference.problem_area).lower()}{stage}. The problem area decides the whole plan, "
            f"so the score is capped at {WRONG_AREA_CAP:.0%}. Compare the expert formulation below."
        )
    elif reference.dispute_stage and score.verdict != "unanswered":
        named = named_stages(" ".join(r.evidence for r in score.elements))
        if named and reference.dispute_stage not in named:
            lines.append(
                f"The dispute is at the {stage_label(reference.dispute_stage).lower()} stage, not "
                f"{', '.join(stage_label(s).lower() for s in sorted(named))}: the stage decides the plan."
            )
    for finding in score.off_model:
        lines.append(f"Off-model ({finding.label}): “{finding.sentence}” {finding.teaching}")
    for label, points in score.deductions.items():
        lines.append(f"Deduction for {label}: −{points:g} points.")
    if score.verdict != "unanswered" and score.specificity < 0.6 and not score.wrong_area:
        lines.append(
            "Much of this draft could be written about any patient. Name this person's relationships, "
            "events and timing: a formulation is credible to a patient because it is about them."
        )
    return lines
