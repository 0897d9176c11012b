"""The therapist-line techniques a line coder assigns (issue 15): ids, labels, helpful or not.

Bottom layer, like :mod:`ipt_widgets.vocab`: it imports nothing from the package, so the
simulator, the scenario check and hidden test cells can use it cheaply. The ids are the
contract between the line coder, the scenario files and the simulator: never rename one.

Sources: Weissman, Markowitz & Klerman, *The Guide to Interpersonal Psychotherapy* (2017);
WHO, *Group Interpersonal Therapy (IPT) for Depression* (2016).
"""

from __future__ import annotations

from dataclasses import dataclass

RISK_INQUIRY = "risk_inquiry"
MISSED_RISK = "missed_risk"
# What the coder returns for a line it cannot code at all (empty, gibberish): always with
# needs_review, so a caller never takes a branch on it silently.
UNCODED = "uncoded"


@dataclass(frozen=True)
class Technique:
    """One technique: a stable id, a label a trainee reads, whether IPT counts it as helpful,
    and a one-line gloss of what a line of this kind does."""

    id: str
    label: str
    helpful: bool
    gloss: str


# Order matters: helpful first, in the order the course teaches them, then the unhelpful ones.
TECHNIQUES: dict[str, Technique] = {
    t.id: t
    for t in (
        Technique(
            "exploratory_question",
            "Exploratory question",
            True,
            "Asks an open or specific question about relationships, events, mood or the problem area.",
        ),
        Technique(
            "clarification",
            "Clarification",
            True,
            "Restates or summarises what the patient said, or points out a pattern or contradiction.",
        ),
        Technique(
            "communication_analysis",
            "Communication analysis",
            True,
            "Takes one interaction apart: the words, the tone, what was meant and heard, what else could be said.",
        ),
        Technique(
            "encouragement_of_affect",
            "Encouragement of affect",
            True,
            "Helps the patient notice, name, stay with or express a feeling, and accepts it.",
        ),
        Technique(
            "linking_mood_events",
            "Linking mood and events",
            True,
            "Connects the patient's mood or symptoms with interpersonal events, in either direction.",
        ),
        Technique(
            "psychoeducation_sick_role",
            "Psychoeducation / sick role",
            True,
            "Explains depression as a treatable illness, gives the sick role, or explains IPT or symptoms.",
        ),
        Technique(
            "decision_analysis",
            "Decision analysis",
            True,
            "Helps generate and weigh the options for a decision or problem, then choose.",
        ),
        Technique(
            "role_play_setup",
            "Role-play set-up",
            True,
            "Proposes, sets up or debriefs a rehearsal of a conversation.",
        ),
        Technique(
            "formulation_contract",
            "Formulation or contract",
            True,
            "States or checks the interpersonal formulation or the treatment contract (focus, sessions, goals).",
        ),
        Technique(
            RISK_INQUIRY,
            "Asking about suicide risk",
            True,
            "Asks directly and calmly about suicidal thoughts, plan, intent or means, or builds a safety plan.",
        ),
        Technique("advice", "Advice", False, "Tells the patient what to do, unasked."),
        Technique("reassurance", "Reassurance", False, "Premature or empty reassurance that closes the feeling."),
        Technique(
            "cbt_challenge",
            "CBT challenge",
            False,
            "Disputes or tests the patient's thoughts as distortions, with evidence, records or worksheets.",
        ),
        Technique(
            "past_interpretation",
            "Interpretation of the past",
            False,
            "Interprets childhood, the unconscious, dreams or the relationship with the therapist.",
        ),
        Technique(
            "taking_sides",
            "Taking sides",
            False,
            "Judges or blames the other person or the patient, or agrees the other is to blame.",
        ),
        Technique(
            MISSED_RISK,
            "Missing or mishandling risk",
            False,
            "Passes over a suicide hint, reassures it away, asks so as to invite 'no', or asks for a no-suicide "
            "contract.",
        ),
    )
}

HELPFUL: tuple[str, ...] = tuple(t for t, spec in TECHNIQUES.items() if spec.helpful)
UNHELPFUL: tuple[str, ...] = tuple(t for t, spec in TECHNIQUES.items() if not spec.helpful)


def technique_label(technique_id: str) -> str:
    """The label a trainee reads; "Not coded" for :data:`UNCODED`. Unknown ids raise ValueError."""
    if technique_id == UNCODED:
        return "Not coded"
    try:
        return TECHNIQUES[technique_id].label
    except KeyError:
        raise ValueError(f"unknown technique id {technique_id!r}; known: {', '.join(TECHNIQUES)}") from None
