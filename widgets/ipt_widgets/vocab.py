"""The IPT vocabulary the whole course shares: problem areas, dispute stages, competencies.

This module is the bottom layer: it imports nothing from the package and nothing heavy,
so every other module (and every hidden test cell) can use it cheaply.

Sources: Weissman, Markowitz & Klerman, *The Guide to Interpersonal Psychotherapy* (2017);
WHO, *Group Interpersonal Therapy (IPT) for Depression* (2016).
"""

from __future__ import annotations

from dataclasses import dataclass

GRIEF = "grief"
ROLE_DISPUTE = "role_dispute"
ROLE_TRANSITION = "role_transition"
INTERPERSONAL_DEFICITS = "interpersonal_deficits"

RENEGOTIATION = "renegotiation"
IMPASSE = "impasse"
DISSOLUTION = "dissolution"


@dataclass(frozen=True)
class Term:
    """One entry of a controlled vocabulary: a stable key, a label, and a short gloss."""

    key: str
    label: str
    gloss: str


# Order matters: it is the order the widgets offer the choices in.
PROBLEM_AREAS: dict[str, Term] = {
    t.key: t
    for t in (
        Term(
            GRIEF,
            "Grief",
            "Complicated or delayed mourning after the death of someone important.",
        ),
        Term(
            ROLE_DISPUTE,
            "Role dispute",
            "Non-reciprocal expectations with a significant other that the patient is struggling with.",
        ),
        Term(
            ROLE_TRANSITION,
            "Role transition",
            "Difficulty adapting to a life change (wanted or unwanted): the old role is "
            "lost and the new one not yet mastered.",
        ),
        Term(
            INTERPERSONAL_DEFICITS,
            "Interpersonal deficits",
            "Chosen only when no recent life event fits: a long history of isolation or unfulfilling relationships.",
        ),
    )
}

DISPUTE_STAGES: dict[str, Term] = {
    t.key: t
    for t in (
        Term(
            RENEGOTIATION,
            "Renegotiation",
            "Both people are still actively trying to settle their differences, often openly.",
        ),
        Term(
            IMPASSE,
            "Impasse",
            "Negotiation has stalled: silence, avoidance and simmering resentment.",
        ),
        Term(
            DISSOLUTION,
            "Dissolution",
            "The relationship is ending or irretrievably broken; the work is to end it and mourn it.",
        ),
    )
}

# Generic teaching points, used when a case has no case-specific feedback for a choice.
# They say why a choice is often made in error, which is what a trainee needs to hear.
AREA_PITFALLS: dict[str, str] = {
    GRIEF: ("In IPT, grief means mourning a death. Other losses (a divorce, a job, a homeland) are role transitions."),
    ROLE_DISPUTE: (
        "A role dispute needs a significant other whose expectations clash with the "
        "patient's, and a struggle that is live now; tension alone is not enough."
    ),
    ROLE_TRANSITION: (
        "A role transition is a change of life role. If the change is a death, it is grief; "
        "if the struggle is with a particular person, look for a dispute."
    ),
    INTERPERSONAL_DEFICITS: (
        "Interpersonal deficits is chosen only when none of the other three areas fits, i.e. "
        "no recent life event explains the episode. When there is a death, a dispute or a "
        "life change around onset, choose that area instead."
    ),
}

# One list of competencies for the course; every graded item is tagged with some of them,
# and the instructor report reads the tags.
COMPETENCIES: dict[str, str] = {
    "problem_area_identification": "Identifies the primary IPT problem area from a case.",
    "dispute_staging": "Stages a role dispute (renegotiation, impasse, dissolution).",
    "case_conceptualisation": "Justifies a choice with the case's interpersonal cues.",
}


def area_label(key: str | None) -> str:
    """Return the display label of a problem area key (or a dash for no answer)."""
    if key is None:
        return "—"
    term = PROBLEM_AREAS.get(key)
    return term.label if term else str(key)


def stage_label(key: str | None) -> str:
    """Return the display label of a dispute stage key (or a dash for no answer)."""
    if key is None:
        return "—"
    term = DISPUTE_STAGES.get(key)
    return term.label if term else str(key)
