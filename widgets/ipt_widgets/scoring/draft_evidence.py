"""Evidence for each rubric element: the draft's units embedded and compared with the exemplars.

Each function is a pure step of :func:`ipt_widgets.scoring.free_text.score_draft`: it takes the
draft's vectors (and the reference) and returns arrays, never a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..formulations import FormulationReference
from .draft_rules import MATCH_HIGH, MATCH_LOW
from .draft_text import candidate_units
from .free_text_prototypes import ON_MODEL


@dataclass(frozen=True)
class DraftVectors:
    """The draft's sentences and candidate units with their unit-vector embeddings.

    ``unit_vecs`` has one row per unit, in the order of ``units``; the sentences come first, so
    ``unit_vecs[: len(sentences)]`` are the sentences' own vectors.
    """

    sentences: tuple[str, ...]
    units: tuple[tuple[str, tuple[int, ...]], ...]
    unit_vecs: Any

    @property
    def sent_vecs(self):
        return self.unit_vecs[: len(self.sentences)]


def encode_draft(sentences: list[str], encoder) -> DraftVectors:
    """Embed every candidate unit; a pair of sentences is the token-weighted mean of the two."""
    import numpy as np

    units = candidate_units(sentences)
    single = [u for u in units if len(u[1]) == 1]
    joined = [u for u in units if len(u[1]) > 1]  # candidate_units lists the pairs last
    vecs = encoder.encode([u[0] for u in single])
    if joined:
        vecs = np.vstack([vecs, encoder.encode_joined([[sentences[i] for i in u[1]] for u in joined])])
    return DraftVectors(tuple(sentences), tuple(units), vecs)


def element_targets(element) -> list[str]:
    """The texts a unit is compared with for one element."""
    return [*element.exemplars, element.description]


def element_similarities(draft: DraftVectors, reference: FormulationReference, encoder):
    """Elements x units: each unit's best similarity to any of the element's targets."""
    import numpy as np

    rows = [(draft.unit_vecs @ encoder.encode(element_targets(e)).T).max(axis=1) for e in reference.elements]
    return np.array(rows).reshape(len(reference.elements), len(draft.units))


def on_model_similarity(draft: DraftVectors, element_sims, encoder):
    """Per sentence: how much it sounds like sound IPT work (the generic on-model sentences or
    any element of this reference)."""
    import numpy as np

    n = len(draft.sentences)
    generic = (draft.sent_vecs @ encoder.encode(list(ON_MODEL)).T).max(axis=1)
    return np.maximum(generic, element_sims[:, :n].max(axis=0))


def ramp(similarity: float) -> float:
    """Similarity to credit: nothing below ``MATCH_LOW``, all from ``MATCH_HIGH``, linear between."""
    return max(0.0, min(1.0, (similarity - MATCH_LOW) / (MATCH_HIGH - MATCH_LOW)))
