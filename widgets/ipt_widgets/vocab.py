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

# A mixed presentation's "no secondary area" choice (and a reference's key for it).
NO_SECONDARY = "none"

# The classifier's fifth choice: IPT is not the treatment to start now (Weissman, Markowitz &
# Klerman 2017; WHO group IPT manual 2016): bipolar disorder needs mood-stabilising treatment,
# psychotic depression medical care, active substance dependence treatment first, and acute
# suicidal intent with a plan urgent care, before (or instead of) IPT.
NOT_INDICATED = "not_indicated"
NOT_INDICATED_LABEL = "Not IPT now: refer or treat first"
NOT_INDICATED_REASONS: dict[str, Term] = {
    t.key: t
    for t in (
        Term("bipolar", "Bipolar history", "Depression in bipolar disorder needs mood-stabilising treatment first."),
        Term("psychosis", "Psychotic features", "Psychotic depression needs medical (psychiatric) care first."),
        Term(
            "substance",
            "Substance dependence needing treatment first",
            "Active dependence drives the mood and needs its own treatment before IPT can work.",
        ),
        Term(
            "acute_risk",
            "Acute risk needing urgent care",
            "Suicidal intent with a plan, or being unable to eat or drink, needs same-day urgent care.",
        ),
        Term("other", "Other", "Another reason that something must come before IPT."),
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

# Plural and near spellings common in the literature ("role disputes"), read as the same area
# in case files and references alike.
AREA_ALIASES: dict[str, str] = {
    "role_disputes": ROLE_DISPUTE,
    "role_transitions": ROLE_TRANSITION,
    "interpersonal_deficit": INTERPERSONAL_DEFICITS,
}


def normalise_area(value: object) -> object:
    """A problem area key with its aliases resolved; anything else is returned unchanged."""
    return AREA_ALIASES.get(value, value) if isinstance(value, str) else value


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
    NOT_INDICATED: (
        "IPT can start (or go on) here: the expert found nothing in this case that must be referred or "
        "treated first, such as a bipolar history, psychotic features, substance dependence that needs "
        "treatment first or acute risk that needs urgent care. A concern that is present but manageable "
        "(past, treated drinking; passive thoughts of death without plan or intent) is monitored alongside IPT, with a "
        "collaborative safety plan where risk is part of the picture."
    ),
}

# One list of competencies for the course; every graded item is tagged with some of them,
# and the instructor report reads the tags.
COMPETENCIES: dict[str, str] = {
    "problem_area_identification": "Identifies the primary IPT problem area from a case.",
    "dispute_staging": "Stages a role dispute (renegotiation, impasse, dissolution).",
    "case_conceptualisation": "Justifies a choice with the case's interpersonal cues.",
    "suitability_assessment": "Recognises when IPT is not the treatment to start now, and what must come first.",
}


def area_label(key: str | None) -> str:
    """Return the display label of a problem area key (or a dash for no answer)."""
    if key is None:
        return "—"
    if key == NOT_INDICATED:
        return NOT_INDICATED_LABEL
    term = PROBLEM_AREAS.get(key)
    return term.label if term else str(key)


def reason_label(key: str | None) -> str:
    """Return the display label of a "not IPT now" reason key (or a dash for none)."""
    if key is None:
        return "—"
    term = NOT_INDICATED_REASONS.get(key)
    return term.label if term else str(key)


def secondary_label(key: str | None) -> str:
    """Return the display label of a secondary-area choice ("none" included)."""
    return "None" if key == NO_SECONDARY else area_label(key)


def stage_label(key: str | None) -> str:
    """Return the display label of a dispute stage key (or a dash for no answer)."""
    if key is None:
        return "—"
    term = DISPUTE_STAGES.get(key)
    return term.label if term else str(key)


# -- interpersonal inventory -------------------------------------------------------------------

# The closeness circle (inner = closest), as drawn in the inventory; adjacent circles earn
# half credit for placement, since closeness is a judgement of degree.
CIRCLES: dict[str, str] = {
    "inner": "Inner circle (closest)",
    "middle": "Middle circle",
    "outer": "Outer circle",
}
LEVELS: dict[str, str] = {"none": "None", "some": "Some", "a_lot": "A lot"}

# -- therapy techniques (Weissman, Markowitz & Klerman 2017, middle-phase techniques) -------------

TECHNIQUES: dict[str, Term] = {
    t.key: t
    for t in (
        Term("exploratory", "Exploratory questioning", "Open or specific questions that gather information."),
        Term("encouragement_of_affect", "Encouragement of affect", "Helping the patient notice and express feelings."),
        Term("clarification", "Clarification", "Restating, or pointing out patterns and contradictions."),
        Term("communication_analysis", "Communication analysis", "Examining one interaction in detail."),
        Term("decision_analysis", "Decision analysis", "Generating and weighing options, then choosing."),
        Term("role_play", "Role play", "Rehearsing a conversation, the therapist playing the other person."),
        Term(
            "therapeutic_relationship",
            "Use of the therapeutic relationship",
            "Using how the patient relates to the therapist as an example of their pattern.",
        ),
        Term("directive", "Psychoeducation / directive", "Psychoeducation, advice, limit-setting (used sparingly)."),
        Term(
            "off_model",
            "Off-model (not IPT)",
            "CBT restructuring or homework sheets, childhood, dream or transference interpretation, taking sides.",
        ),
    )
}

# -- PHQ-9 (Kroenke, Spitzer & Williams 2001) -----------------------------------------------------

PHQ9_ITEMS: tuple[str, ...] = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed or hopeless",
    "Trouble with sleep (falling or staying asleep, or sleeping too much)",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself, or a failure",
    "Trouble concentrating",
    "Moving or speaking slowly, or being fidgety or restless",
    "Thoughts of being better off dead, or of self-harm",
)
PHQ9_FREQUENCIES: dict[str, int] = {
    "not at all": 0,
    "several days": 1,
    "more than half the days": 2,
    "nearly every day": 3,
}
# (upper bound inclusive, key, label)
PHQ9_BANDS: tuple[tuple[int, str, str], ...] = (
    (4, "minimal", "Minimal (0–4)"),
    (9, "mild", "Mild (5–9)"),
    (14, "moderate", "Moderate (10–14)"),
    (19, "moderately_severe", "Moderately severe (15–19)"),
    (27, "severe", "Severe (20–27)"),
)

COMPETENCIES.update(
    {
        "interpersonal_inventory": "Maps the important relationships and the changes around onset.",
        "mood_event_linking": "Links the onset and course of symptoms to interpersonal events.",
        "technique_recognition": "Recognises IPT techniques, and off-model moves, in a session.",
        "symptom_monitoring": "Scores and interprets the PHQ-9, including response, remission and risk.",
        "risk_assessment": "Responds to a positive suicide-risk item with a safety assessment.",
        "interpersonal_formulation": (
            "Writes a formulation that links the depression to the problem area, for the patient to agree."
        ),
        "intervention_planning": "Plans middle-phase strategies and techniques that fit the problem area.",
    }
)
