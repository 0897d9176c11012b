"""Off-model practice and the problem area a draft builds on: pure steps over the draft's vectors."""

from __future__ import annotations

from ..formulations import FormulationReference
from .draft_evidence import DraftVectors
from .draft_rules import AREA_CLEAR, AREA_MARGIN, OFF_MODEL_MARGIN, OFF_MODEL_SIMILARITY
from .free_text_prototypes import AREAS, OFF_MODEL, STAGES


def cue_kinds(sentence: str) -> set[str]:
    low = sentence.lower()
    return {kind for kind, spec in OFF_MODEL.items() if any(cue in low for cue in spec["cues"])}


def named_areas(text: str) -> set[str]:
    low = text.lower()
    return {area for area, spec in AREAS.items() if any(name in low for name in spec["names"])}


def named_stages(text: str) -> set[str]:
    low = text.lower()
    return {stage for stage, cues in STAGES.items() if any(c in low for c in cues)}


def off_model_sentences(draft: DraftVectors, on_model, encoder) -> dict[int, str]:
    """Sentence index -> off-model kind: a cue word, or closer to an off-model prototype than to
    any IPT sentence."""
    sims = {
        kind: (draft.sent_vecs @ encoder.encode(list(spec["prototypes"])).T).max(axis=1)
        for kind, spec in OFF_MODEL.items()
    }
    found: dict[int, str] = {}
    for i, sentence in enumerate(draft.sentences):
        cues = cue_kinds(sentence)
        best_kind, best_sim = None, 0.0
        for kind in OFF_MODEL:
            sim = float(sims[kind][i]) + (1.0 if kind in cues else 0.0)
            if sim > best_sim:
                best_kind, best_sim = kind, sim
        if best_kind and (
            best_sim >= 1.0 or (best_sim >= OFF_MODEL_SIMILARITY and best_sim > on_model[i] + OFF_MODEL_MARGIN)
        ):
            found[i] = best_kind
    return found


def wrong_area(text: str, draft: DraftVectors, eligible, reference: FormulationReference, encoder) -> str | None:
    """The area the draft builds on, when it is not the reference's; None when it is (or unclear)."""
    import numpy as np

    named = named_areas(text)
    if named:
        return None if reference.problem_area in named else sorted(named)[0]
    if not eligible.any():
        return None
    evidence = {}
    for area, spec in AREAS.items():
        sims = (draft.sent_vecs[eligible] @ encoder.encode(list(spec["prototypes"])).T).max(axis=1)
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
