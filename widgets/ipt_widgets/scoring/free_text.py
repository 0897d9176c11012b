"""Scoring a trainee's written formulation or intervention plan against an expert reference.

``score_draft`` is a short pipeline of named, pure steps, each in its own module and tested on
its own (the README and the authoring guide explain the rules; the figures are in
:mod:`.draft_rules`):

1. **Sentences** (:mod:`.draft_text`): sentences and clauses; a repeated sentence counts once; a
   draft past ``MAX_WORDS`` is read up to there and, far past the asked length, sent for review.
2. **Evidence** (:mod:`.draft_evidence`): each sentence, clause and pair of neighbours is embedded
   (MiniLM, :mod:`.encoder`) and compared by meaning with each element's exemplars (never its
   description): below ``MATCH_LOW`` nothing, from ``MATCH_HIGH`` full points.
3. **Polarity** (:mod:`.draft_evidence`): a negated or reversed claim ("this is not about her
   death") is compared by what it affirms, so it earns nothing; a safety element earns credit only
   from a positive safety action.
4. **Specific and own** (:mod:`.draft_specificity`, :mod:`.draft_copying`): credit scales with the
   case's own words; sentences copied from the vignette or the rubric's descriptions earn nothing;
   a retell is capped; near-copies of exemplars or the expert answer, and names foreign to the
   case, send the draft for review.
5. **Safety and off-model** (:mod:`.draft_checks`, :mod:`.safety_prototypes`): unsafe practice
   (risk dismissed, no-suicide contracts, stopping medication, directive life decisions, taking
   sides) and CBT, psychodynamic or advice-giving sentences earn nothing, are quoted with a
   teaching point, cap the item and send it for review.
6. **Area and stage** (:mod:`.draft_checks`): only affirmative naming counts; a draft built on
   another area is capped at ``WRONG_AREA_CAP``, one hedging across areas at ``HEDGED_CAP``, a
   dispute at the wrong stage at ``STAGE_CAP``.
7. **Points and review** (here): element credit, deductions and caps; ``needs_review`` and
   ``review_reasons`` say when an instructor must read the draft (the score is provisional).

The thresholds were set once on the development set in tests/free_text/dev_set.yaml and are
not tuned per case; `make benchmark-free-text` reports agreement with supervisors' ratings on
that set and on held-out cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..formulations import FormulationReference
from .base import ItemScore
from .draft_checks import (
    is_unsafe,
    kinds,
    missed_safety,
    off_model_sentences,
    read_areas,
    ruling_out,
    wrong_area,
    wrong_stage,
)
from .draft_copying import (
    asked_words,
    copied,
    dedupe,
    foreign_names,
    too_many_foreign_names,
    vignette_sentences,
)
from .draft_evidence import (
    DraftVectors,
    affirmed_vectors,
    element_similarities,
    encode_draft,
    on_model_similarity,
    ramp,
    safety_action_units,
)
from .draft_rules import (
    COPIED_MAJORITY,
    FOREIGN_CAP,
    FOREIGN_SHARE,
    HEDGED_CAP,
    LENGTH_REVIEW,
    MATCH_HIGH,
    MATCH_LOW,
    MAX_WORDS,
    MET,
    OFF_MODEL_CAP,
    OFF_MODEL_DEDUCTION,
    OFF_MODEL_HIT_CAP,
    OFF_MODEL_MAJORITY,
    PARTLY,
    RETELL_CAP,
    RETELL_MAJORITY,
    RETELL_SIM,
    SAFETY_MISSED_CAP,
    SHORT_WORDS,
    SPECIFIC_FLOOR,
    SPECIFIC_WORDS,
    STAGE_CAP,
    UNSAFE_CAP,
    WRONG_AREA_CAP,
)
from .draft_specificity import case_words, foreign_share, specific_factor, specificity
from .draft_text import candidate_units, looks_english, split_sentences, words
from .free_text_prototypes import AREAS, OFF_MODEL, ON_MODEL, STAGE_PROTOTYPES
from .safety_prototypes import SAFETY_ACTIONS, UNSAFE

__all__ = [
    "MATCH_HIGH",
    "MATCH_LOW",
    "MAX_WORDS",
    "OFF_MODEL_DEDUCTION",
    "SPECIFIC_FLOOR",
    "SPECIFIC_WORDS",
    "WRONG_AREA_CAP",
    "DraftScore",
    "ElementResult",
    "OffModelFinding",
    "candidate_units",
    "case_words",
    "fixed_texts",
    "looks_english",
    "rating_band",
    "score_draft",
    "split_sentences",
    "words",
]


@dataclass(frozen=True)
class ElementResult:
    id: str
    description: str
    status: str  # "met", "partly met" or "missed"
    points: float
    max_points: float
    evidence: str  # the trainee's sentence that earned the credit ("" when missed)
    similarity: float
    suggestion: str  # an exemplar, shown in practice (never in graded feedback) when not fully met


@dataclass(frozen=True)
class OffModelFinding:
    kind: str
    label: str
    sentence: str
    teaching: str
    unsafe: bool = False


@dataclass(frozen=True)
class DraftScore(ItemScore):
    """A scored draft.

    ``needs_review`` is True when the score is provisional and an instructor must read the
    draft (unsafe content, off-model practice, another language, suspected copying, material
    foreign to the case, hedging across areas, far past the asked length); ``review_reasons``
    says why, one short sentence each, in the order found. ``safety_missed`` is True when the
    reference has a suicide-risk safety element and the draft takes no safety action at all.
    """

    elements: tuple[ElementResult, ...] = ()
    off_model: tuple[OffModelFinding, ...] = ()
    wrong_area: str | None = None
    specificity: float = 0.0
    notes: tuple[str, ...] = ()
    word_count: int = 0
    deductions: dict[str, float] = field(default_factory=dict)
    hedged_areas: tuple[str, ...] = ()
    wrong_stage: str | None = None
    needs_review: bool = False
    review_reasons: tuple[str, ...] = ()
    safety_missed: bool = False


@dataclass(frozen=True)
class _Read:
    """Step 1's output: the text to score, its sentences, and notes for the trainee."""

    text: str
    sentences: list[str]
    word_count: int
    english: bool
    notes: list[str]
    review: list[str]


def read_draft(text: object, reference: FormulationReference) -> _Read:
    """Step 1: text to sentences, with notes on odd input (not text, long, short, repeated, not
    English) and review reasons (another language, far past the asked length)."""
    notes: list[str] = []
    review: list[str] = []
    if not isinstance(text, str):
        if text is not None:
            notes.append("The saved answer was not text, so it was scored as empty.")
        text = ""
    all_words = text.split()
    asked = asked_words(reference)
    if asked and len(all_words) > LENGTH_REVIEW * asked:
        review.append(f"far past the asked length ({len(all_words)} words; about {asked} asked)")
    if len(all_words) > MAX_WORDS:
        notes.append(
            f"Your draft has {len(all_words)} words; the first {MAX_WORDS} were scored, and your instructor will "
            "read the rest. A focused draft is also what a patient can take in."
        )
        text = " ".join(all_words[:MAX_WORDS])
    english = looks_english(text)
    if all_words and not english:
        notes.append(
            "This draft does not look like English. The scorer reads English only, so your instructor will "
            "read and score it; the score shown is provisional."
        )
        review.append("not in English: the scorer cannot read it")
    if all_words and len(all_words) < SHORT_WORDS:
        notes.append(f"Your draft is very short ({len(all_words)} words); most elements need a sentence each.")
    sentences, repeats = dedupe(split_sentences(text) or [text.strip()]) if all_words else ([], 0)
    if repeats:
        notes.append(f"{repeats} repeated sentence(s) counted once: repeating a point does not add to it.")
    return _Read(text, sentences, len(all_words), english, notes, review)


def element_results(draft: DraftVectors, element_sims, eligible_units, safety_units, reference, factor):
    """Step: each element's evidence unit, credit and status. A safety element's evidence must be
    a positive safety action; without one it earns nothing."""
    import numpy as np

    results = []
    for element, sims in zip(reference.elements, element_sims):
        allowed = eligible_units & safety_units if element.is_safety else eligible_units
        masked = np.where(allowed, sims, -1.0)
        best = int(masked.argmax())
        similarity = float(masked[best]) if allowed.any() else 0.0
        credit = ramp(similarity) * factor
        evidence = draft.units[best][0]
        if element.keywords and 0 < credit < 1.0 and any(k in evidence.lower() for k in element.keywords):
            credit = min(1.0, credit + 0.1)
        status = "met" if credit >= MET else "partly met" if credit >= PARTLY else "missed"
        if element.is_safety and status == "partly met" and credit < 0.5:
            status, credit = "missed", 0.0  # safety is done or not: a vague nod is not partial care
        results.append(
            ElementResult(
                id=element.id,
                description=element.description,
                status=status,
                points=round(element.points * credit, 2),
                max_points=element.points,
                evidence=evidence if status != "missed" else "",
                similarity=round(similarity, 3),
                suggestion=element.exemplars[0] if status != "met" else "",
            )
        )
    return results


def off_model_findings(sentences, off_kind: dict[int, str]) -> tuple[list[OffModelFinding], dict[str, float]]:
    """Step: the off-model sentences quoted with their teaching point, and the deductions (as
    fractions of the item's points, one per technique kind found; unsafe kinds cap instead)."""
    specs = kinds()
    findings = [
        OffModelFinding(kind, specs[kind]["label"], sentences[i], specs[kind]["teaching"], is_unsafe(kind))
        for i, kind in sorted(off_kind.items())
    ]
    deductions = {
        specs[kind]["label"]: OFF_MODEL_DEDUCTION for kind in sorted({f.kind for f in findings if not f.unsafe})
    }
    return findings, deductions


def total_points(earned: float, deductions: dict[str, float], caps: list[float], max_points: float) -> float:
    """Step: element points minus deductions (fractions of ``max_points``), under every cap."""
    total = earned - sum(deductions.values()) * max_points
    for cap in caps:
        total = min(total, cap * max_points)
    return round(max(0.0, min(max_points, total)), 2)


@dataclass(frozen=True)
class _Own:
    """Step 4's output: which sentences may earn credit, the retell share and review reasons."""

    eligible: Any
    retell_share: float
    review: list[str]
    foreign: bool = False


def own_work(draft: DraftVectors, reference: FormulationReference, encoder, english: bool = True) -> _Own:
    """Step 4: copies of the vignette or of the rubric's descriptions earn nothing; a draft that
    mostly retells the vignette is a retell; near-copies of exemplars or the expert answer and
    names foreign to the case are flagged for review."""
    import numpy as np

    sentences = list(draft.sentences)
    from_vignette = np.array(copied(sentences, [reference.vignette]))
    from_descriptions = np.array(copied(sentences, [e.description for e in reference.elements]))
    vignette_vecs = encoder.encode(vignette_sentences(reference))
    near_vignette = (draft.sent_vecs @ vignette_vecs.T).max(axis=1) >= RETELL_SIM
    retell = from_vignette | near_vignette
    review = []
    rubric = [x for e in reference.elements for x in e.exemplars] + [reference.expert_formulation]
    n_rubric = sum(copied(sentences, rubric))
    if from_descriptions.any() or (n_rubric >= 2 and n_rubric >= COPIED_MAJORITY * len(sentences)):
        review.append("suspected copying of the rubric or the expert answer")
    names = foreign_names(sentences, reference)
    if too_many_foreign_names(names):
        review.append(f"names foreign to this case ({', '.join(n.title() for n in names[:4])})")
    foreign = english and foreign_share(sentences, reference) >= FOREIGN_SHARE
    if foreign:
        review.append("events foreign to this case (another patient's story?)")
    return _Own(~(from_vignette | from_descriptions), float(retell.mean()), review, foreign)


def score_draft(text: object, reference: FormulationReference, *, encoder=None) -> DraftScore:
    """Score a free-text draft against a reference; never raises on the trainee's text.

    Parameters
    ----------
    text
        What the trainee wrote. Anything that is not a string is scored as empty, with a note.
    reference
        A checked :class:`~ipt_widgets.formulations.FormulationReference`.
    encoder
        Anything with ``encode(list[str]) -> array of unit vectors``; default: the MiniLM encoder.

    Returns
    -------
    DraftScore
        Points (partial credit), per-element results with evidence, off-model and unsafe
        findings, the area and stage findings, review flag and reasons, and feedback sentences.
    """
    import numpy as np

    read = read_draft(text, reference)
    if not read.sentences:
        return _unanswered(reference, read.notes)
    if encoder is None:
        from .encoder import get_encoder

        encoder = get_encoder()
    if hasattr(encoder, "preload"):  # every fixed text at once: one disk-cache file per reference
        encoder.preload(fixed_texts(reference))

    sentences = read.sentences
    draft = encode_draft(sentences, encoder)  # step 2
    element_sims = element_similarities(draft, reference, encoder)  # steps 2-3
    own = own_work(draft, reference, encoder, read.english)  # step 4
    affirmed = affirmed_vectors(sentences, draft.sent_vecs, encoder, reversal_only=False)
    off_kind = off_model_sentences(
        draft, affirmed, on_model_similarity(draft, element_sims, reference, encoder), encoder
    )
    eligible = own.eligible & np.array([i not in off_kind for i in range(len(sentences))])  # step 5
    eligible_units = np.array([all(eligible[i] for i in parents) for _, parents in draft.units])
    share = specificity([s for i, s in enumerate(sentences) if eligible[i]], reference)
    acts = safety_action_units(draft, encoder)
    results = element_results(draft, element_sims, eligible_units, acts, reference, specific_factor(share))
    findings, deductions = off_model_findings(sentences, off_kind)
    areas = read_areas(sentences)  # step 6
    evidence = eligible & np.array([not ruling_out(s) for s in sentences])
    area = wrong_area(areas, draft, draft.sent_vecs[evidence], reference, encoder) if read.english else None
    stage = wrong_stage(sentences, draft.sent_vecs[evidence], reference, encoder) if read.english and not area else None

    caps, review = _caps_and_review(read, own, findings, off_kind, areas, area, stage)  # step 7
    max_points = reference.max_points
    safety_gap = bool(missed_safety(results, reference)) and not bool((acts & eligible_units).any())
    total = _safety_cap(sum(r.points for r in results), deductions, caps, review, max_points, safety_gap)
    return _finish(
        reference,
        points=total,
        elements=tuple(results),
        off_model=tuple(findings),
        wrong_area=area,
        specificity=round(share, 3),
        notes=tuple(read.notes),
        word_count=read.word_count,
        deductions={label: round(frac * max_points, 2) for label, frac in deductions.items()},
        hedged_areas=tuple(sorted(areas.hedged)),
        wrong_stage=stage,
        needs_review=bool(review),
        review_reasons=tuple(review),
        safety_missed=safety_gap,
    )


def _caps_and_review(read, own, findings, off_kind, areas, area, stage) -> tuple[list[float], list[str]]:
    """Step 7: the caps that apply and the reasons an instructor must read the draft."""
    caps, review = [], list(read.review)
    if any(f.unsafe for f in findings):
        caps.append(UNSAFE_CAP)
        review.append("unsafe practice: " + ", ".join(sorted({f.label for f in findings if f.unsafe})))
    if any(not f.unsafe for f in findings):
        caps.append(OFF_MODEL_HIT_CAP)
        review.append("off-model practice: " + ", ".join(sorted({f.label for f in findings if not f.unsafe})))
    if off_kind and len(off_kind) / len(read.sentences) >= OFF_MODEL_MAJORITY:
        caps.append(OFF_MODEL_CAP)
    if own.retell_share >= RETELL_MAJORITY:
        caps.append(RETELL_CAP)
    if own.foreign:
        caps.append(FOREIGN_CAP)
    review += own.review
    if areas.hedged:
        caps.append(HEDGED_CAP)
        review.append("hedges between problem areas (" + ", ".join(sorted(areas.hedged)) + ")")
    if area:
        caps.append(WRONG_AREA_CAP)
    if stage:
        caps.append(STAGE_CAP)
    return caps, review


def _safety_cap(earned, deductions, caps: list[float], review: list[str], max_points, safety_gap: bool) -> float:
    """Step 7: the points; a draft that takes no safety action where the reference has a
    suicide-risk safety element is capped below half credit (``SAFETY_MISSED_CAP``), and sent for
    review when that cap lowers its score (a sound draft that ignores the risk)."""
    total = total_points(earned, deductions, caps, max_points)
    if safety_gap and total > SAFETY_MISSED_CAP * max_points + 1e-9:
        review.append("the risk this patient reported is not addressed (no safety action)")
        total = SAFETY_MISSED_CAP * max_points
    return total


def _finish(reference: FormulationReference, *, points: float, elements, **fields) -> DraftScore:
    from .draft_feedback import feedback_lines

    max_points = reference.max_points
    verdict = "correct" if points >= max_points - 1e-9 else "partial" if points > 0 else "incorrect"
    score = DraftScore(
        points=points,
        max_points=max_points,
        verdict=fields.pop("verdict", verdict),
        feedback=[],
        expert=[reference.expert_formulation],
        parts={r.id: round(r.points / r.max_points, 3) for r in elements},
        elements=elements,
        **fields,
    )
    object.__setattr__(score, "feedback", feedback_lines(score, reference))
    return score


def fixed_texts(reference: FormulationReference) -> list[str]:
    """Every text a draft is compared with: the reference's exemplars and vignette sentences and
    the package's on-model, safety, off-model, area and stage prototypes."""
    texts = [t for element in reference.elements for t in (*element.exemplars, element.description)]
    texts += vignette_sentences(reference)
    texts += list(ON_MODEL) + list(SAFETY_ACTIONS)
    texts += [p for spec in (*OFF_MODEL.values(), *UNSAFE.values()) for p in spec["prototypes"]]
    texts += [p for spec in AREAS.values() for p in spec["prototypes"]]
    texts += [p for protos in STAGE_PROTOTYPES.values() for p in protos]
    return list(dict.fromkeys(texts))


def _unanswered(reference: FormulationReference, notes: list[str]) -> DraftScore:
    results = tuple(
        ElementResult(e.id, e.description, "missed", 0.0, e.points, "", 0.0, e.exemplars[0]) for e in reference.elements
    )
    return _finish(reference, points=0.0, elements=results, verdict="unanswered", notes=tuple(notes))


# Score fraction -> the supervisors' 0-3 scale (for agreement figures and the card's summary):
# below the first cut 0, then 1, 2, and 3 from the last cut.
BAND_CUTS = (0.20, 0.45, 0.80)
BAND_LABELS = ("not yet on model", "some relevant content", "sound, with gaps", "would pass supervision")


def rating_band(fraction: float) -> int:
    return sum(fraction >= cut for cut in BAND_CUTS)
