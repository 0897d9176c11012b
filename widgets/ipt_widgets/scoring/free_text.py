"""Scoring a trainee's written formulation or intervention plan against an expert reference.

``score_draft`` is a short pipeline of named, pure steps (each in its own module, each tested on
its own); the README and the authoring guide explain the rules to trainees and instructors:

1. **Sentences** (:mod:`.draft_text`): the draft is split into sentences, and long sentences into
   clauses; a draft past ``MAX_WORDS`` words is read up to there.
2. **Evidence** (:mod:`.draft_evidence`): every sentence, clause and pair of neighbouring
   sentences is embedded with a sentence encoder (MiniLM, :mod:`.encoder`), so meaning counts, not
   wording. For each rubric element the unit closest to any of its exemplars is its evidence:
   similarity below ``MATCH_LOW`` earns nothing, above ``MATCH_HIGH`` full points, and a share in
   proportion between. An element is *met* at 75% of its points, *partly met* from 30%.
3. **About this patient** (:mod:`.draft_specificity`): element credit is multiplied by
   ``SPECIFIC_FLOOR`` plus the rest in proportion to the case's own words used (full from
   ``SPECIFIC_WORDS``).
4. **Off-model content** (:mod:`.draft_checks`): CBT, psychodynamic or advice-giving sentences
   earn no credit, are quoted back with a teaching point, and each kind found deducts
   ``OFF_MODEL_DEDUCTION`` of the points; a draft at least ``OFF_MODEL_MAJORITY`` off-model earns
   at most ``OFF_MODEL_CAP``.
5. **Problem area** (:mod:`.draft_checks`): a draft built on another area than the reference's
   earns at most ``WRONG_AREA_CAP``.
6. **Points** (here): element credit, deductions and caps; feedback in :mod:`.draft_feedback`.

The thresholds were set once on the development set in tests/free_text/dev_set.yaml and are
not tuned per case; `make benchmark-free-text` reports agreement with supervisors' ratings on
that set and on held-out cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..formulations import FormulationReference
from .base import ItemScore
from .draft_checks import off_model_sentences, wrong_area
from .draft_evidence import (
    DraftVectors,
    element_similarities,
    encode_draft,
    on_model_similarity,
    ramp,
)
from .draft_rules import (
    MATCH_HIGH,
    MATCH_LOW,
    MAX_WORDS,
    MET,
    OFF_MODEL_CAP,
    OFF_MODEL_DEDUCTION,
    OFF_MODEL_MAJORITY,
    PARTLY,
    SHORT_WORDS,
    SPECIFIC_FLOOR,
    SPECIFIC_WORDS,
    WRONG_AREA_CAP,
)
from .draft_specificity import case_words, specific_factor, specificity
from .draft_text import candidate_units, looks_english, split_sentences, words
from .free_text_prototypes import AREAS, OFF_MODEL, ON_MODEL

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
    suggestion: str  # an exemplar, shown in practice when the element is not fully met


@dataclass(frozen=True)
class OffModelFinding:
    kind: str
    label: str
    sentence: str
    teaching: str


@dataclass(frozen=True)
class DraftScore(ItemScore):
    elements: tuple[ElementResult, ...] = ()
    off_model: tuple[OffModelFinding, ...] = ()
    wrong_area: str | None = None
    specificity: float = 0.0
    notes: tuple[str, ...] = ()
    word_count: int = 0
    deductions: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Read:
    """Step 1's output: the text to score, its sentences, and notes for the trainee."""

    text: str
    sentences: list[str]
    word_count: int
    english: bool
    notes: list[str]


def read_draft(text: object) -> _Read:
    """Step 1: text to sentences, with notes on odd input (not text, long, short, not English)."""
    notes: list[str] = []
    if not isinstance(text, str):
        if text is not None:
            notes.append("The saved answer was not text, so it was scored as empty.")
        text = ""
    all_words = text.split()
    if len(all_words) > MAX_WORDS:
        notes.append(
            f"Your draft has {len(all_words)} words; the first {MAX_WORDS} were scored. A focused draft "
            "is also what a patient can take in."
        )
        text = " ".join(all_words[:MAX_WORDS])
    english = looks_english(text)
    if all_words and not english:
        notes.append("This draft does not look like English. The scorer reads English, so write the draft in English.")
    if all_words and len(all_words) < SHORT_WORDS:
        notes.append(f"Your draft is very short ({len(all_words)} words); most elements need a sentence each.")
    sentences = (split_sentences(text) or [text.strip()]) if all_words else []
    return _Read(text, sentences, len(all_words), english, notes)


def element_results(draft: DraftVectors, element_sims, eligible_units, reference, factor) -> list[ElementResult]:
    """Step: each element's evidence unit, credit and status."""
    import numpy as np

    results = []
    for element, sims in zip(reference.elements, element_sims):
        masked = np.where(eligible_units, sims, -1.0)
        best = int(masked.argmax())
        similarity = float(masked[best]) if eligible_units.any() else 0.0
        credit = ramp(similarity) * factor
        evidence = draft.units[best][0]
        if element.keywords and credit < 1.0 and any(k in evidence.lower() for k in element.keywords):
            credit = min(1.0, credit + 0.1)
        status = "met" if credit >= MET else "partly met" if credit >= PARTLY else "missed"
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
    fractions of the item's points, one per kind found)."""
    findings = [
        OffModelFinding(kind, OFF_MODEL[kind]["label"], sentences[i], OFF_MODEL[kind]["teaching"])
        for i, kind in sorted(off_kind.items())
    ]
    deductions = {OFF_MODEL[kind]["label"]: OFF_MODEL_DEDUCTION for kind in sorted({f.kind for f in findings})}
    return findings, deductions


def total_points(earned: float, deductions: dict[str, float], caps: list[float], max_points: float) -> float:
    """Step: element points minus deductions (fractions of ``max_points``), under every cap."""
    total = earned - sum(deductions.values()) * max_points
    for cap in caps:
        total = min(total, cap * max_points)
    return round(max(0.0, min(max_points, total)), 2)


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
        Points (partial credit), per-element results with evidence, off-model findings, the
        wrong-area flag, and feedback sentences in reading order.
    """
    import numpy as np

    read = read_draft(text)
    if not read.sentences:
        return _unanswered(reference, read.notes)
    if encoder is None:
        from .encoder import get_encoder

        encoder = get_encoder()
    if hasattr(encoder, "preload"):  # every fixed text at once: one disk-cache file per reference
        encoder.preload(fixed_texts(reference))

    draft = encode_draft(read.sentences, encoder)
    element_sims = element_similarities(draft, reference, encoder)
    off_kind = off_model_sentences(draft, on_model_similarity(draft, element_sims, encoder), encoder)
    eligible = np.array([i not in off_kind for i in range(len(read.sentences))])
    eligible_units = np.array([all(eligible[i] for i in parents) for _, parents in draft.units])
    share = specificity([s for i, s in enumerate(read.sentences) if eligible[i]], reference)
    results = element_results(draft, element_sims, eligible_units, reference, specific_factor(share))
    findings, deductions = off_model_findings(read.sentences, off_kind)

    caps = []
    if off_kind and len(off_kind) / len(read.sentences) >= OFF_MODEL_MAJORITY:
        caps.append(OFF_MODEL_CAP)
    area = wrong_area(read.text, draft, eligible, reference, encoder) if read.english else None
    if area:
        caps.append(WRONG_AREA_CAP)
    max_points = reference.max_points
    total = total_points(sum(r.points for r in results), deductions, caps, max_points)
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
    )


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
    """Every text a draft is compared with: the reference's exemplars and descriptions and the
    package's on-model, off-model and problem-area prototypes."""
    texts = [t for element in reference.elements for t in (*element.exemplars, element.description)]
    texts += list(ON_MODEL)
    texts += [p for spec in OFF_MODEL.values() for p in spec["prototypes"]]
    texts += [p for spec in AREAS.values() for p in spec["prototypes"]]
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
