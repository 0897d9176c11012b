"""Check free-text references before an assignment uses them: ``make check-references FILES=...``.

Above both the reference format (:mod:`.formulations`) and the scorer
(:mod:`.scoring.free_text`), so neither imports the other's layer upwards.
"""

from __future__ import annotations

from .formulations import FormulationReference, load_references
from .scoring.free_text import score_draft

# Drafts every reference must score low on: if one scores well, the exemplars are too generic.
PROBES = {
    "IPT keywords with no patient": (
        "Interpersonal psychotherapy: problem area, sick role, medical model, interpersonal inventory, "
        "communication analysis, role play, encouragement of affect, 12-16 weekly sessions, link mood to events."
    ),
    "generic advice": "You should try to stay positive, get more exercise, keep busy and talk to your friends.",
}


def check_reference(ref: FormulationReference) -> list[str]:
    """Warnings about a reference that checks out formally but may score poorly.

    The expert's own formulation should meet every element (if not, add the expert's sentence
    as an exemplar); generic probes should earn little (if not, make the exemplars more specific
    to the patient).
    """
    warnings = []
    expert = score_draft(ref.expert_formulation, ref)
    for element in expert.elements:
        if element.points < element.max_points:
            warnings.append(
                f"{ref.id}: the expert formulation earns {element.points:g} of {element.max_points:g} points for "
                f"element {element.id!r}; add the sentence of the expert formulation that does it as an exemplar."
            )
    if expert.points < expert.max_points and all(e.points >= e.max_points for e in expert.elements):
        why = [f.label for f in expert.off_model] + [r for r in expert.review_reasons if "copying" not in r]
        why += [f"wrong area {expert.wrong_area}"] if expert.wrong_area else []
        why += [f"wrong stage {expert.wrong_stage}"] if expert.wrong_stage else []
        warnings.append(
            f"{ref.id}: the expert formulation earns {expert.points:g} of {expert.max_points:g} overall "
            f"({'; '.join(why) or 'a cap'}); reword the sentence the card quotes, or report it as a scorer bug."
        )
    for label, text in PROBES.items():
        probe = score_draft(text, ref)
        if probe.points > 0.25 * probe.max_points:
            warnings.append(
                f"{ref.id}: a draft of {label} earns {probe.points:g} of {probe.max_points:g}; make the exemplars "
                "name this patient's people and events."
            )
    return warnings


def main(argv: list[str] | None = None) -> int:
    """``python -m ipt_widgets.reference_check FILE...``: check reference files and print what to fix."""
    import sys

    paths = sys.argv[1:] if argv is None else argv
    if not paths:
        print("usage: python -m ipt_widgets.reference_check FILE.yaml [...]", file=sys.stderr)
        return 2
    status = 0
    for path in paths:
        try:
            refs = load_references(path)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
            continue
        for ref in refs.values():
            warnings = check_reference(ref)
            print(f"{path}: {ref.id}: {'ok' if not warnings else f'{len(warnings)} warning(s)'}")
            for warning in warnings:
                print(f"  - {warning}")
            status = status or (1 if warnings else 0)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
