"""Code one therapist line by technique, in context: the line coder of the SessionSimulator.

    >>> from ipt_widgets.scoring.line_coder import LineContext, code_line
    >>> code = code_line("Take me through the argument: what did you say first?",
    ...                  LineContext(patient="We had a row on Tuesday.", area="role_dispute"))
    >>> code.technique, code.needs_review            # doctest: +SKIP
    ('communication_analysis', False)

The steps, in order (each a small function):

1. **Read** (:mod:`.line_input`): clean the text; an empty, unreadable, non-English or far too
   long line goes for review and is never coded silently.
2. **Risk first** (:mod:`.line_rules`): a no-suicide contract or a question that invites "no"
   is ``missed_risk`` in any context. After a risk cue (the scenario's flag, or a hint in the
   patient's turn), only a line that clearly asks directly about suicidal thoughts, plan, intent
   or means, builds a safety plan, or takes a step of the assessment in short words ("Is it the
   rifle?", "I'll let my supervisor know today": :mod:`.line_risk_steps`) is ``risk_inquiry``;
   anything else is ``missed_risk`` (for review when it is close to asking).
3. **By meaning** (:mod:`.line_match`): nearest exemplars per technique with the course's
   sentence encoder (general exemplars plus the scenario turn's own), adjusted by text rules
   for what the encoder reads poorly (hedged advice, advice disclaimers).
4. **Confidence and review**: far from every exemplar, or two techniques tied, or a long
   multi-technique line, goes for review. A turn whose good branch is a formulation, contract or
   psychoeducation (``LineContext.expected``) allows a longer line coded as that technique.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..techniques import MISSED_RISK, RISK_INQUIRY, TECHNIQUES, UNCODED
from .line_exemplars import check_exemplars
from .line_input import clean, review_reasons
from .line_risk_steps import risk_step
from .line_rules import asks_about_risk, hedged_advice, mishandles_risk, patient_risk_cue

__all__ = ["LineCode", "LineContext", "code_line", "FAR", "TIE"]

FAR = 0.30  # nearest exemplar similarity (before rule adjustments) below this: like none we know
PART_NEAR = 0.4  # a sentence of a long line this close to an unhelpful technique sends it for review
TIE = 0.012  # two techniques closer than this: the coder cannot choose
# Techniques whose full statement is often longer than one short line: a turn that expects one of
# them lets a line run to line_input.EXTENDED_WORDS, when the line is coded as that technique.
LONG_TECHNIQUES = frozenset({"formulation_contract", "psychoeducation_sick_role"})
_JOINT = re.compile(r"\b(?:we|we['’]d|we['’]ll|let['’]s|us|our)\b")
_BLOCKING = ("empty", "far too long", "not in English", "not readable", "too short")


@dataclass(frozen=True)
class LineContext:
    """What the coder knows besides the line: the patient's turn just before it, whether that
    turn carries a suicide-risk cue, the problem area, and extra exemplars for this scenario turn
    ({technique id: [lines]}, as in a scenario file's ``exemplars:``)."""

    patient: str = ""
    risk_cue: bool = False
    area: str = "none"
    exemplars: dict[str, list[str] | tuple[str, ...]] = field(default_factory=dict)
    expected: tuple[str, ...] = ()  # the techniques of the turn's good branch(es), if known

    def __post_init__(self):
        # A scenario turn without a patient line or exemplars gives None (an empty YAML field).
        if self.patient is None:
            object.__setattr__(self, "patient", "")
        if self.exemplars is None:
            object.__setattr__(self, "exemplars", {})
        if not isinstance(self.patient, str):
            raise ValueError("LineContext.patient: must be a string")
        if not isinstance(self.risk_cue, bool):
            raise ValueError("LineContext.risk_cue: must be true or false")
        check_exemplars(self.exemplars, "LineContext.exemplars")
        if isinstance(self.expected, str) or not all(t in TECHNIQUES for t in self.expected or ()):
            raise ValueError(f"LineContext.expected: must be a list of technique ids, not {self.expected!r}")
        object.__setattr__(self, "expected", tuple(self.expected or ()))


@dataclass(frozen=True)
class LineCode:
    """The code of one line.

    ``technique``: a technique id (:data:`ipt_widgets.techniques.TECHNIQUES`), or
    :data:`~ipt_widgets.techniques.UNCODED` for a line that cannot be coded at all (always with
    ``needs_review``). ``confidence``: 0-1. ``needs_review``: the code is provisional; do not
    take a branch on it silently. ``reasons``: short sentences a trainee or instructor can read.
    """

    technique: str
    confidence: float
    needs_review: bool
    reasons: tuple[str, ...] = ()

    @property
    def helpful(self) -> bool:
        return self.technique in TECHNIQUES and TECHNIQUES[self.technique].helpful


def code_line(line: str, context: LineContext | None = None) -> LineCode:
    """Code one therapist line by technique, in the context of the patient's turn before it.

    Parameters
    ----------
    line : str
        What the trainee would say next (1-3 sentences). Anything else (not a string, empty,
        huge, control characters) is handled without an exception and sent for review.
    context : LineContext, optional
        The patient's turn, its risk cue, the area and the turn's extra exemplars.

    Returns
    -------
    LineCode
        The technique id, a confidence, whether an instructor must review it, and why.
    """
    context = context or LineContext()
    text, cut = clean(line)
    long_ok = bool(LONG_TECHNIQUES.intersection(context.expected))
    reasons = review_reasons(text, cut, long_ok)
    risk = context.risk_cue or patient_risk_cue(clean(context.patient)[0])
    if any(r.startswith(_BLOCKING) for r in reasons):
        return LineCode(MISSED_RISK if risk else UNCODED, 0.0, True, tuple(reasons))
    ruled = _risk_rules(text, risk, context.exemplars)
    if ruled is not None:
        review = bool(reasons) or ruled.needs_review
        return LineCode(ruled.technique, ruled.confidence, review, (*ruled.reasons, *reasons))
    from .line_match import match_line

    match = match_line(text, context.exemplars)
    if long_ok and review_reasons(text, cut) != reasons:
        # The longer limit is for the expected formulation or psychoeducation only, and not for
        # one with advice, reassurance or side-taking tucked into it.
        if match.best not in LONG_TECHNIQUES.intersection(context.expected):
            reasons = review_reasons(text, cut)
        else:
            reasons += _unhelpful_parts(text, context.exemplars)
    return _decide(match, reasons)


def _unhelpful_parts(text: str, exemplars) -> list[str]:
    """Review reasons for the sentences of a long line that read as an unhelpful technique."""
    from .draft_text import split_sentences
    from .line_match import match_line

    found = []
    for sentence in split_sentences(text):
        # "I'd suggest we spend our sessions on it" is the contract; advice tells the patient.
        tells = hedged_advice(sentence) and not _JOINT.search(sentence.lower())
        part = match_line(sentence, exemplars)
        best = "advice" if tells else part.best
        if best == "advice" and not tells:
            continue
        if not TECHNIQUES[best].helpful and (tells or part.similarity >= PART_NEAR) and best not in found:
            found.append(best)
    return [f"long line with a part that reads as {TECHNIQUES[t].label.lower()}" for t in found]


def _risk_rules(text: str, risk: bool, exemplars=None) -> LineCode | None:
    """Risk first: a contract or leading question anywhere, and everything after a risk cue."""
    if mishandles_risk(text, risk):
        return LineCode(
            MISSED_RISK,
            0.95,
            False,
            ("asks for a promise or no-suicide contract, or asks about suicide in a way that invites 'no'",),
        )
    if asks_about_risk(text, risk):
        return LineCode(RISK_INQUIRY, 0.9, False, ("asks directly about suicide risk or builds a safety plan",))
    if not risk:
        return None
    step = risk_step(text)
    if step == "step":
        return LineCode(
            RISK_INQUIRY,
            0.85,
            False,
            (
                "after the hint of suicide, takes a step of the risk assessment or safety plan "
                "(means, plan, intent, what stopped them, who to call, the supervisor)",
            ),
        )
    from .line_match import technique_scores

    # match_line leaves risk_inquiry to the rules; here its raw nearness is what counts.
    scores = technique_scores(text, exemplars)
    if max(scores, key=scores.get) == RISK_INQUIRY or step == "unclear":
        # Close to asking about risk by meaning, but not clearly direct: unsafe until a person reads it.
        return LineCode(
            MISSED_RISK,
            0.5,
            True,
            ("after the patient's hint of suicide, the line may touch on risk but does not ask about it directly",),
        )
    return LineCode(
        MISSED_RISK,
        0.9,
        False,
        ("after the patient's hint of suicide, the line does not ask directly about suicidal thoughts or safety",),
    )


def _decide(match, reasons: list[str]) -> LineCode:
    """The nearest technique, its confidence, and the review flags of the match."""
    reasons = list(reasons)
    if match.similarity < FAR:
        reasons.append("unlike every example the coder knows")
    if match.margin < TIE:
        reasons.append(
            f"between {TECHNIQUES[match.best].label.lower()} and {TECHNIQUES[match.runner_up].label.lower()}"
        )
    closeness = min(max((match.similarity - FAR) / 0.3, 0.0), 1.0)
    separation = min(max(match.margin / 0.08, 0.0), 1.0)
    confidence = round(0.5 * closeness + 0.5 * separation, 3)
    why = f"closest to {TECHNIQUES[match.best].label.lower()}" + (f" ({match.note})" if match.note else "")
    return LineCode(match.best, confidence, bool(reasons), (why, *reasons))
