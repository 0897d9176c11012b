"""Scoring a trainee's written formulation or intervention plan against an expert reference.

How a draft is scored (the README and the authoring guide explain this to trainees and
instructors; the figures below are the documented rules):

1. The draft is split into sentences (and long sentences into clauses). Each sentence is embedded
   with a sentence encoder (MiniLM, see :mod:`.encoder`), so meaning counts, not wording: a plan
   in plain clinical language can match an exemplar written with IPT terms.
2. **Elements.** For each rubric element, the sentence closest in meaning to any of its exemplars
   (or its description) is its evidence. Similarity below ``MATCH_LOW`` earns nothing, above
   ``MATCH_HIGH`` earns the element's full points, and in between earns a share in proportion.
   An element is *met* at 75% of its points or more, *partly met* from 30%, otherwise *missed*.
3. **About this patient.** A draft earns element credit in proportion to how much of it is about
   this case (the people, events and circumstances of the vignette) rather than IPT vocabulary
   that could be pasted under any case: the credit is multiplied by ``SPECIFIC_FLOOR`` plus the
   rest in proportion to the case's own words used, full from ``SPECIFIC_WORDS`` of them.
4. **Off-model content.** A sentence that is CBT (thought records, cognitive distortions,
   worksheets), psychodynamic (childhood origins, transference, dreams) or generic advice earns
   no element credit, is quoted back with a teaching point, and each kind found deducts
   ``OFF_MODEL_DEDUCTION`` of the item's points. When at least ``OFF_MODEL_MAJORITY`` of the
   sentences are off-model, the draft earns at most ``OFF_MODEL_CAP`` of the points.
5. **Wrong problem area.** When the draft builds its case on another problem area than the
   reference's (named outright, or by what it describes), it earns at most ``WRONG_AREA_CAP`` of
   the points, with an explanation.
6. Empty, very short, very long and non-English drafts are scored without error: an empty draft
   is unanswered; a very long one is read up to ``MAX_WORDS`` words; a draft that does not look
   like English gets a note (the encoder reads English).

The thresholds were set once on the development set in tests/free_text/dev_set.yaml and are
not tuned per case; `make benchmark-free-text` reports agreement with supervisors' ratings on
that set and on held-out cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..formulations import FormulationReference
from ..vocab import area_label, stage_label
from .base import ItemScore
from .free_text_prototypes import AREAS, GENERIC_CLINICAL, IPT_TERMS, OFF_MODEL, ON_MODEL, STAGES

MATCH_LOW = 0.35
MATCH_HIGH = 0.70
MET, PARTLY = 0.75, 0.30
SPECIFIC_FLOOR = 0.40
SPECIFIC_WORDS = 12
OFF_MODEL_DEDUCTION = 0.25
OFF_MODEL_MAJORITY = 0.4
OFF_MODEL_CAP = 0.25
OFF_MODEL_SIMILARITY = 0.45
OFF_MODEL_MARGIN = 0.05
WRONG_AREA_CAP = 0.15
AREA_MARGIN = 0.10
AREA_CLEAR = 0.50
MAX_WORDS = 600
SHORT_WORDS = 15

_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why with would
    you your yours yourself yourselves""".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n\s*\n+|\n(?=\s*(?:[-–•*]|\d+[.)])\s)|;\s+")
_BULLET = re.compile(r"^\s*(?:[-–•*]|\d+[.)])\s+")
_CLAUSE = re.compile(r",\s+(?=(?:and|but|so|because|which|while|then|as)\b)|:\s+|\s+[–—]\s+")


@dataclass(frozen=True)
class ElementResult:
    id: str
    description: str
    status: str  # "met", "partly met" or "missed"
    points: float
    max_points: float
    evidence: str  # the trainee's sentence that earned the credit ("" when missed)
    similarity: float
    suggestion: str  # an exemplar, shown when the element is not fully met


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


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def split_sentences(text: str) -> list[str]:
    """Sentences, bullets and list items, in order."""
    out = []
    for part in _SENTENCE_END.split(text):
        # A line break inside a paragraph is wrapping, not the end of a sentence.
        part = " ".join(_BULLET.sub("", part).split())
        if len(words(part)) >= 2:
            out.append(part)
    return out


def candidate_units(sentences: list[str]) -> list[tuple[str, tuple[int, ...]]]:
    """What can earn an element: each sentence, each clause of a long one, and each pair of
    neighbouring sentences (a point often spans two: "You're depressed. It's a real illness...").
    Each unit comes with the indices of the sentences it is made of."""
    units = [(text, (i,)) for i, text in enumerate(sentences)]
    for i, text in enumerate(sentences):
        if len(words(text)) > 25:
            units += [(c.strip(), (i,)) for c in _CLAUSE.split(text) if len(words(c)) >= 4]
    units += [(f"{a} {b}", (i, i + 1)) for i, (a, b) in enumerate(zip(sentences, sentences[1:]))]
    return units


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _generic_words() -> frozenset[str]:
    texts = [" ".join(IPT_TERMS), " ".join(GENERIC_CLINICAL), *ON_MODEL]
    for spec in (*OFF_MODEL.values(), *AREAS.values()):
        texts += spec["prototypes"]
    return frozenset(_stem(w) for t in texts for w in words(t)) | _STOPWORDS


_GENERIC = _generic_words()


def case_words(reference: FormulationReference) -> frozenset[str]:
    """The words that make a sentence about this case: from the vignette and the expert's texts,
    minus stop words and IPT vocabulary."""
    texts = [reference.vignette, reference.expert_formulation, reference.title]
    texts += [x for e in reference.elements for x in e.exemplars]
    return frozenset(s for t in texts for w in words(t) if len(w) > 2 and (s := _stem(w)) not in _GENERIC)


def looks_english(text: str) -> bool:
    tokens = words(text)
    if len(tokens) < 8:
        return True
    return sum(t in _STOPWORDS for t in tokens) / len(tokens) >= 0.15


def _ramp(similarity: float) -> float:
    return max(0.0, min(1.0, (similarity - MATCH_LOW) / (MATCH_HIGH - MATCH_LOW)))


def _cue_kinds(sentence: str) -> set[str]:
    low = sentence.lower()
    return {kind for kind, spec in OFF_MODEL.items() if any(cue in low for cue in spec["cues"])}


def _named_areas(text: str) -> set[str]:
    low = text.lower()
    return {area for area, spec in AREAS.items() if any(name in low for name in spec["names"])}


def _named_stages(text: str) -> set[str]:
    low = text.lower()
    return {stage for stage, cues in STAGES.items() if any(c in low for c in cues)}


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
    max_points = reference.max_points
    notes: list[str] = []
    if not isinstance(text, str):
        if text is not None:
            notes.append("The saved answer was not text, so it was scored as empty.")
        text = ""
    all_words = text.split()
    if not all_words:
        return _unanswered(reference, notes)
    if len(all_words) > MAX_WORDS:
        notes.append(
            f"Your draft has {len(all_words)} words; the first {MAX_WORDS} were scored. A focused draft "
            "is also what a patient can take in."
        )
        text = " ".join(all_words[:MAX_WORDS])
    english = looks_english(text)
    if not english:
        notes.append("This draft does not look like English. The scorer reads English, so write the draft in English.")
    if len(all_words) < SHORT_WORDS:
        notes.append(f"Your draft is very short ({len(all_words)} words); most elements need a sentence each.")

    sentences = split_sentences(text) or [text.strip()]
    if encoder is None:
        from .encoder import get_encoder

        encoder = get_encoder()

    import numpy as np

    if hasattr(encoder, "preload"):  # every fixed text at once: one disk-cache file per reference
        encoder.preload(fixed_texts(reference))
    units = candidate_units(sentences)
    single = [u for u in units if len(u[1]) == 1]
    joined = [u for u in units if len(u[1]) > 1]  # candidate_units lists the pairs last
    unit_vecs = encoder.encode([u[0] for u in single])
    if joined:
        unit_vecs = np.vstack([unit_vecs, encoder.encode_joined([[sentences[i] for i in u[1]] for u in joined])])
    sent = unit_vecs[: len(sentences)]  # the sentences come first among the units
    element_sims = []
    for element in reference.elements:
        targets = encoder.encode([*element.exemplars, element.description])
        element_sims.append((unit_vecs @ targets.T).max(axis=1))
    element_sims = np.array(element_sims)  # elements x units
    on_model = np.maximum(
        (sent @ encoder.encode(list(ON_MODEL)).T).max(axis=1), element_sims[:, : len(sentences)].max(axis=0)
    )

    # Off-model sentences: a cue word, or closer to an off-model prototype than to any IPT sentence.
    off_kind: dict[int, str] = {}
    # Similarity of every sentence to each kind's prototypes, computed once for the whole draft.
    off_sims = {
        kind: (sent @ encoder.encode(list(spec["prototypes"])).T).max(axis=1) for kind, spec in OFF_MODEL.items()
    }
    for i, sentence in enumerate(sentences):
        cues = _cue_kinds(sentence)
        best_kind, best_sim = None, 0.0
        for kind in OFF_MODEL:
            sim = float(off_sims[kind][i])
            if kind in cues:
                sim += 1.0
            if sim > best_sim:
                best_kind, best_sim = kind, sim
        if best_kind and (
            best_sim >= 1.0 or (best_sim >= OFF_MODEL_SIMILARITY and best_sim > on_model[i] + OFF_MODEL_MARGIN)
        ):
            off_kind[i] = best_kind
    eligible = np.array([i not in off_kind for i in range(len(sentences))])
    unit_ok = np.array([all(eligible[i] for i in parents) for _, parents in units])

    # About this patient: distinct case words used in the on-model sentences.
    on_text = " ".join(s for i, s in enumerate(sentences) if eligible[i])
    own = {_stem(w) for w in words(on_text)} & case_words(reference)
    specificity = min(1.0, len(own) / SPECIFIC_WORDS)
    specific_factor = SPECIFIC_FLOOR + (1.0 - SPECIFIC_FLOOR) * specificity

    results = []
    earned = 0.0
    for element, sims in zip(reference.elements, element_sims):
        masked = np.where(unit_ok, sims, -1.0)
        best = int(masked.argmax())
        similarity = float(masked[best]) if unit_ok.any() else 0.0
        credit = _ramp(similarity) * specific_factor
        if element.keywords and credit < 1.0 and any(k in units[best][0].lower() for k in element.keywords):
            credit = min(1.0, credit + 0.1)
        points = round(element.points * credit, 2)
        status = "met" if credit >= MET else "partly met" if credit >= PARTLY else "missed"
        results.append(
            ElementResult(
                id=element.id,
                description=element.description,
                status=status,
                points=points,
                max_points=element.points,
                evidence=units[best][0] if status != "missed" else "",
                similarity=round(similarity, 3),
                suggestion=element.exemplars[0] if status != "met" else "",
            )
        )
        earned += points

    deductions: dict[str, float] = {}
    findings = []
    for i, kind in sorted(off_kind.items()):
        spec = OFF_MODEL[kind]
        findings.append(OffModelFinding(kind, spec["label"], sentences[i], spec["teaching"]))
    for kind in sorted({f.kind for f in findings}):
        deductions[OFF_MODEL[kind]["label"]] = round(OFF_MODEL_DEDUCTION * max_points, 2)
    total = earned - sum(deductions.values())
    if off_kind and len(off_kind) / len(sentences) >= OFF_MODEL_MAJORITY:
        total = min(total, OFF_MODEL_CAP * max_points)

    wrong_area = _wrong_area(text, sentences, sent, eligible, reference, encoder) if english else None
    if wrong_area:
        total = min(total, WRONG_AREA_CAP * max_points)

    total = round(max(0.0, min(max_points, total)), 2)
    verdict = "correct" if total >= max_points - 1e-9 else "partial" if total > 0 else "incorrect"
    score = DraftScore(
        points=total,
        max_points=max_points,
        verdict=verdict,
        feedback=[],
        expert=[reference.expert_formulation],
        parts={r.id: round(r.points / r.max_points, 3) for r in results},
        elements=tuple(results),
        off_model=tuple(findings),
        wrong_area=wrong_area,
        specificity=round(specificity, 3),
        notes=tuple(notes),
        word_count=len(all_words),
        deductions=deductions,
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


def _wrong_area(text, sentences, sent, eligible, reference, encoder) -> str | None:
    """The area the draft builds on, when it is not the reference's; None when it is (or unclear)."""
    named = _named_areas(text)
    if named:
        return None if reference.problem_area in named else sorted(named)[0]
    import numpy as np

    if not eligible.any():
        return None
    evidence = {}
    for area, spec in AREAS.items():
        sims = (sent[eligible] @ encoder.encode(list(spec["prototypes"])).T).max(axis=1)
        evidence[area] = float(np.sort(sims)[-2:].mean())  # the two sentences that say most
    best = max(evidence, key=evidence.get)
    # Conservative: only a draft that clearly describes another area is flagged, because a false
    # flag on a sound plain-language draft costs most of its credit.
    if (
        best != reference.problem_area
        and evidence[best] >= AREA_CLEAR
        and evidence[best] > evidence[reference.problem_area] + AREA_MARGIN
    ):
        return best
    return None


def _unanswered(reference: FormulationReference, notes: list[str]) -> DraftScore:
    results = tuple(
        ElementResult(e.id, e.description, "missed", 0.0, e.points, "", 0.0, e.exemplars[0]) for e in reference.elements
    )
    score = DraftScore(
        points=0.0,
        max_points=reference.max_points,
        verdict="unanswered",
        expert=[reference.expert_formulation],
        parts={e.id: 0.0 for e in reference.elements},
        elements=results,
        notes=tuple(notes),
    )
    object.__setattr__(score, "feedback", feedback_lines(score, reference))
    return score


def feedback_lines(score: DraftScore, reference: FormulationReference) -> list[str]:
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
        named = _named_stages(" ".join(r.evidence for r in score.elements))
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


# Score fraction -> the supervisors' 0-3 scale (for agreement figures and the card's summary):
# below the first cut 0, then 1, 2, and 3 from the last cut.
BAND_CUTS = (0.20, 0.45, 0.80)
BAND_LABELS = ("not yet on model", "some relevant content", "sound, with gaps", "would pass supervision")


def rating_band(fraction: float) -> int:
    return sum(fraction >= cut for cut in BAND_CUTS)
