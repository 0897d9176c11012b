"""The teaching sentences of a scored draft, in reading order (plain text: the card escapes them)."""

from __future__ import annotations

from ..formulations import FormulationReference
from ..vocab import area_label, stage_label
from .draft_rules import HEDGED_CAP, SAFETY_MISSED_CAP, STAGE_CAP, WRONG_AREA_CAP


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
    elif score.wrong_stage:
        lines.append(
            f"The dispute is at the {stage_label(reference.dispute_stage).lower()} stage, not "
            f"{stage_label(score.wrong_stage).lower()}: the stage decides the plan, so the score is capped at "
            f"{STAGE_CAP:.0%}."
        )
    if score.hedged_areas:
        lines.append(
            "Your draft leaves the problem area open ("
            + ", ".join(area_label(a).lower() for a in score.hedged_areas)
            + f"). A formulation commits to one area, the one the onset and the patient's story point to; the "
            f"score is capped at {HEDGED_CAP:.0%}."
        )
    if score.safety_missed:
        lines.append(
            "Your draft does nothing about the risk this patient reported (thoughts of death or of not waking "
            "up). Whenever a patient reports them, ask about them directly at every session, agree a collaborative "
            "safety plan (warning signs, people and crisis numbers to call), act the same day if a plan or intent "
            "appears, and talk it over with your supervisor. Leaving the risk out is unsafe however good the rest "
            f"is, so the score is capped at {SAFETY_MISSED_CAP:.0%}."
        )
    for finding in score.off_model:
        kind = "Unsafe practice" if finding.unsafe else "Off-model"
        lines.append(f"{kind} ({finding.label}): “{finding.sentence}” {finding.teaching}")
    for label, points in score.deductions.items():
        lines.append(f"Deduction for {label}: −{points:g} points.")
    if score.verdict != "unanswered" and score.specificity < 0.6 and not score.wrong_area:
        lines.append(
            "Much of this draft could be written about any patient. Name this person's relationships, "
            "events and timing: a formulation is credible to a patient because it is about them."
        )
    if score.needs_review:
        lines.append(
            "This score is provisional: your instructor will read your draft and may change it ("
            + "; ".join(score.review_reasons)
            + ")."
        )
    return lines
