"""Off-model and unsafe practice, and the problem area and stage a draft builds on.

Pure steps over the draft's vectors. Cue patterns are read in context: a cue inside a negated
clause ("no thought records", "never a no-suicide contract", "there was no death") is no cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..formulations import FormulationReference
from .draft_evidence import DraftVectors
from .draft_rules import (
    AREA_CLEAR,
    AREA_MARGIN,
    OFF_MODEL_MARGIN,
    OFF_MODEL_SIMILARITY,
    STAGE_CLEAR,
    STAGE_MARGIN,
    UNSAFE_SIMILARITY,
)
from .draft_text import negated_scopes
from .free_text_prototypes import AREAS, OFF_MODEL, STAGE_PROTOTYPES, STAGES
from .safety_prototypes import UNSAFE

_HEDGE = re.compile(
    r"\b(?:may|might|could|perhaps|possibly|maybe|either|unclear|not sure|hard to (?:say|tell)|whichever)\b"
)
_RULED_OUT_AFTER = re.compile(
    r"^[^.;:]{0,30}\b(?:does not|doesn['’]t|do not|don['’]t) (?:fit|apply)"
    r"|^[^.;:]{0,20}\b(?:is|are|can be) (?:ruled out|unlikely)"
    r"|^[^.;:]{0,30}\b(?:is|are|was|['’]s) (?:not|n['’]t) (?:the |a |really )?"
    r"(?:primary|main|core|central|focus|problem|issue|right)"
)
# "which rules out deficits", "excludes grief": the name follows the ruling-out verb.
_RULED_OUT_BEFORE = re.compile(
    r"\b(?:rules?|ruled|ruling) out\b[^.;:]{0,25}$|\bexclud\w*\b[^.;:]{0,20}$|\bnor\b[^.;:]{0,20}$"
)


@lru_cache(maxsize=1)
def kinds() -> dict[str, dict]:
    """Every off-model kind: the technique kinds (CBT, psychodynamic, advice) and the unsafe ones."""
    out = {}
    for kind, spec in OFF_MODEL.items():
        out[kind] = {
            **spec,
            "scope": "affirmed",
            "unsafe": False,
            "patterns": [re.compile(re.escape(c)) for c in spec["cues"]],
        }
    for kind, spec in UNSAFE.items():
        out[kind] = {**spec, "unsafe": True, "patterns": [re.compile(c) for c in spec["cues"]]}
    return out


def _negated(low: str, start: int) -> bool:
    # A negation that starts before the cue covers it; one inside the cue ("won't ask") is the cue.
    return any(a < start < b for a, b in negated_scopes(low))


def cue_kinds(sentence: str) -> set[str]:
    """Kinds whose cue pattern occurs in the sentence, outside any negated clause."""
    low = sentence.lower()
    found = set()
    for kind, spec in kinds().items():
        if any(_counts(low, m, spec.get("unless")) for p in spec["patterns"] for m in p.finditer(low)):
            found.add(kind)
    return found


def cue_kinds_after(previous: str | None, sentence: str) -> set[str]:
    """``cue_kinds``, plus the kinds whose risk is named in the sentence before and dismissed in
    this one ("As for not waking up, lots of men say that; it's just a figure of speech")."""
    found = cue_kinds(sentence)
    if not previous:
        return found
    prefix = previous.rstrip(" .!?;:") + "; "
    low = (prefix + sentence).lower()
    for kind, spec in kinds().items():
        for p in spec["patterns"]:
            if "at" in p.groupindex and any(
                m.start("at") >= len(prefix) and _counts(low, m, spec.get("unless")) for m in p.finditer(low)
            ):
                found.add(kind)
    return found


def _counts(low: str, match: re.Match, unless: str | None) -> bool:
    """A cue counts unless it is negated, or a kind's excusing words come before it in the
    sentence ("she feels he is unfair" reports the patient's view; "he is unfair, and it is easy
    for him to say so" is the therapist's). A cue with an ``at`` group is read there: a risk named
    first, then dismissed; a negation inside the risk's own words ("not waking up") is the risk,
    not a negation of the dismissal (nor is one just before them: "not waking up")."""
    start, risk = match.start(), None
    if "at" in match.re.groupindex:
        start = match.start("at")
        risk = match.span("risk") if "risk" in match.re.groupindex else None
    scopes = [(a, b) for a, b in negated_scopes(low) if not (risk and risk[0] - 7 <= a < risk[1])]
    if any(a < start < b for a, b in scopes):
        return False
    return not (unless and re.search(unless, low[:start]))


def off_model_sentences(draft: DraftVectors, affirmed_vecs, on_model, encoder) -> dict[int, str]:
    """Sentence index -> off-model kind: a cue in context, or closer by meaning to the kind's
    prototypes than to any IPT sentence. Technique kinds are compared with what the sentence
    affirms (so "no thought records" is not CBT); dismissing risk with the whole sentence."""
    import numpy as np

    sims = {}
    for kind, spec in kinds().items():
        protos = encoder.encode(list(spec["prototypes"]))
        whole = (draft.sent_vecs @ protos.T).max(axis=1)
        # A negation can only take a hit away ("no thought records"), never make one.
        sims[kind] = whole if spec["scope"] == "full" else np.minimum(whole, (affirmed_vecs @ protos.T).max(axis=1))
    found: dict[int, str] = {}
    for i, sentence in enumerate(draft.sentences):
        cues = cue_kinds_after(draft.sentences[i - 1] if i else None, sentence)
        best_kind, best_sim = None, 0.0
        for kind, spec in kinds().items():
            sim = float(sims[kind][i]) + (1.0 if kind in cues else 0.0)
            if spec["unsafe"] and kind in cues:
                sim += 0.5  # unsafe practice outranks a technique in the same sentence
            if sim > best_sim:
                best_kind, best_sim = kind, sim
        # Unsafe kinds need a cue, or a sentence very close to one of their prototypes; dismissing
        # risk or medication by meaning also needs a negation ("ask about suicide" is no dismissal).
        floor = OFF_MODEL_SIMILARITY
        if best_kind and kinds()[best_kind]["unsafe"]:
            floor = UNSAFE_SIMILARITY if kinds()[best_kind]["scope"] == "affirmed" or negated_scopes(sentence) else 9.0
        if best_kind and (best_sim >= 1.0 or (best_sim >= floor and best_sim > on_model[i] + OFF_MODEL_MARGIN)):
            found[i] = best_kind
    return found


def is_unsafe(kind: str) -> bool:
    return kinds()[kind]["unsafe"]


_SUICIDE_RISK = re.compile(
    r"suicid|self-harm|harm(?:ing)? (?:him|her|them)self|safety plan|not (?:to )?wak|waking up|better off without|"
    r"(?:was|were|being) dead|death wish|crisis",
    re.IGNORECASE,
)


def missed_safety(elements, reference: FormulationReference) -> list:
    """The suicide-risk safety elements (marked ``safety: true``, or asking about suicidal thoughts,
    not waking up, a safety plan) a draft earned nothing for. An element recognised as a safety
    element only because it also monitors "risk" is not one of them."""
    safety = {e.id for e in reference.elements if e.safety or (e.is_safety and _SUICIDE_RISK.search(e.description))}
    return [r for r in elements if r.id in safety and r.status == "missed"]


# -- problem area and stage ------------------------------------------------------------------


@dataclass(frozen=True)
class AreaReading:
    """What the draft says about the problem area: the areas it names as its focus, the areas it
    hedges between, and (where no area is named) the area its content describes."""

    named: frozenset[str]
    hedged: frozenset[str]


def _mentions(sentence: str, phrases) -> list[int]:
    low = sentence.lower()
    return [m.start() for p in phrases for m in re.finditer(r"\b" + re.escape(p), low)]


def _affirmed_mention(low: str, start: int) -> bool:
    return (
        not _negated(low, start + 1)
        and not _RULED_OUT_AFTER.search(low[start:])
        and not _RULED_OUT_BEFORE.search(low[:start])
    )


def read_areas(sentences: list[str] | tuple[str, ...]) -> AreaReading:
    """Areas named affirmatively ("a role dispute with her brother"), never ruled-out ones ("no
    death, no dispute") or plain words ("the dispute about the licence"); and areas hedged
    between ("it may be grief, a dispute or a transition")."""
    named, hedged = set(), set()
    for sentence in sentences:
        low = sentence.lower()
        in_sentence = set()
        for area, spec in AREAS.items():
            strong = [s for s in _mentions(sentence, spec["names"]) if _affirmed_mention(low, s)]
            weak = [s for s in _mentions(sentence, spec["words"]) if _affirmed_mention(low, s)]
            if strong:
                named.add(area)
            if strong or weak:
                in_sentence.add(area)
        if len(in_sentence) >= 2 and _HEDGE.search(low):
            hedged |= in_sentence
    return AreaReading(frozenset(named - hedged), frozenset(hedged))


_EVENT = re.compile(
    r"\b(?:death|died|dead|loss|lost|bereave\w*|grie\w*|mourn\w*|argu\w*|fight|row|dispute|conflict|falling[- ]out|"
    r"move|moved|moving|retire\w*|job|baby|divorce|break[- ]up|transition|change|event)\b"
)


def ruling_out(sentence: str) -> bool:
    """Does the sentence rule events or areas out ("there was no death, dispute or move")? Such a
    sentence is reasoning about the area, not evidence of one."""
    low = sentence.lower()
    return any(_EVENT.search(low[a:b]) for a, b in negated_scopes(low))


def area_by_meaning(draft: DraftVectors, vecs, reference: FormulationReference, encoder) -> str | None:
    """The area the draft's content describes, when clearly another than the reference's."""
    import numpy as np

    if not len(vecs):
        return None
    evidence = {}
    for area, spec in AREAS.items():
        sims = (vecs @ encoder.encode(list(spec["prototypes"])).T).max(axis=1)
        evidence[area] = float(np.sort(sims)[-2:].mean())  # the two sentences that say most
    # Conservative: only a draft that clearly describes another area is flagged, because a false
    # flag on a sound plain-language draft costs most of its credit.
    return _clearly_other(evidence, reference.problem_area, AREA_CLEAR, AREA_MARGIN)


def _clearly_other(scores: dict[str, float], expected: str, clear: float, margin: float) -> str | None:
    """The best-scoring option when it is not ``expected``, scores at least ``clear`` and beats
    ``expected`` by more than ``margin``; None otherwise."""
    best = max(scores, key=scores.get)
    if best != expected and scores[best] >= clear and scores[best] > scores[expected] + margin:
        return best
    return None


def wrong_area(reading: AreaReading, draft: DraftVectors, vecs, reference: FormulationReference, encoder) -> str | None:
    """The area the draft builds on, when it is not the reference's; None when it is, or unclear."""
    if reading.hedged:
        return None  # hedging is its own finding
    if reading.named:
        return None if reference.problem_area in reading.named else sorted(reading.named)[0]
    return area_by_meaning(draft, vecs, reference, encoder)


def named_stages(text: str) -> set[str]:
    low = text.lower()
    return {
        stage
        for stage, cues in STAGES.items()
        for cue in cues
        for m in re.finditer(re.escape(cue), low)
        if _affirmed_mention(low, m.start())
    }


def wrong_stage(sentences, vecs, reference: FormulationReference, encoder) -> str | None:
    """For a role dispute: the stage the draft works at, when it is not the reference's, named
    or described by its strategy."""

    if not reference.dispute_stage or not len(vecs):
        return None
    named = named_stages(" ".join(sentences))
    if reference.dispute_stage in named:
        return None
    if named:
        return sorted(named)[0]
    score = {s: float((vecs @ encoder.encode(list(p)).T).max()) for s, p in STAGE_PROTOTYPES.items()}
    return _clearly_other(score, reference.dispute_stage, STAGE_CLEAR, STAGE_MARGIN)
