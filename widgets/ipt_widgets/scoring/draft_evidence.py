"""Evidence for each rubric element: the draft's units embedded and compared with the exemplars.

Each function is a pure step of :func:`ipt_widgets.scoring.free_text.score_draft`: it takes the
draft's vectors (and the reference) and returns arrays, never a score.

Polarity: a unit that negates or reverses what an exemplar affirms ("this is not about her
death", "there is no need for a safety plan") is compared with the exemplar by what it affirms
(the unit without its negated clauses), so the negated content earns nothing. An exemplar that
itself negates ("I won't take sides") is compared with the whole unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..formulations import FormulationReference
from .draft_rules import MATCH_HIGH, MATCH_LOW, SAFETY_ACTION_MIN
from .draft_text import affirmed_text, candidate_units, negated_scopes, words
from .free_text_prototypes import ON_MODEL
from .safety_prototypes import SAFETY_ACTION_WORDS, SAFETY_ACTIONS

_ACTION = re.compile(SAFETY_ACTION_WORDS)


@dataclass(frozen=True)
class DraftVectors:
    """The draft's sentences and candidate units with their unit-vector embeddings.

    ``unit_vecs`` has one row per unit, in the order of ``units``; the sentences come first, so
    ``unit_vecs[: len(sentences)]`` are the sentences' own vectors. ``affirmed_vecs`` are the
    units without the clinician's negated claims (a zero row when nothing is left).
    """

    sentences: tuple[str, ...]
    units: tuple[tuple[str, tuple[int, ...]], ...]
    unit_vecs: Any
    affirmed_vecs: Any

    @property
    def sent_vecs(self):
        return self.unit_vecs[: len(self.sentences)]


def _encode_affirmed(texts: list[str], encoder, *, reversal_only: bool):
    """Vectors of what each text affirms; zero rows for texts with nothing left."""
    import numpy as np

    affirmed = [affirmed_text(t, reversal_only=reversal_only) for t in texts]
    changed = [i for i, (a, t) in enumerate(zip(affirmed, texts)) if a != t and len(words(a)) >= 2]
    return affirmed, changed, (encoder.encode([affirmed[i] for i in changed]) if changed else np.zeros((0, 384)))


def affirmed_vectors(texts: list[str], vecs, encoder, *, reversal_only: bool):
    """``vecs`` with the rows of negated texts replaced by the vectors of what they affirm."""
    import numpy as np

    affirmed, changed, new = _encode_affirmed(texts, encoder, reversal_only=reversal_only)
    out = np.array(vecs, copy=True)
    for i, text in enumerate(texts):
        if affirmed[i] != text:
            out[i] = 0.0
    for row, i in enumerate(changed):
        out[i] = new[row]
    return out


def encode_draft(sentences: list[str], encoder) -> DraftVectors:
    """Embed every candidate unit; a pair of sentences is the token-weighted mean of the two."""
    import numpy as np

    units = candidate_units(sentences)
    single = [u for u in units if len(u[1]) == 1]
    joined = [u for u in units if len(u[1]) > 1]  # candidate_units lists the pairs last
    vecs = encoder.encode([u[0] for u in single])
    pos = affirmed_vectors([u[0] for u in single], vecs, encoder, reversal_only=True)
    if joined:
        vecs = np.vstack([vecs, encoder.encode_joined([[sentences[i] for i in u[1]] for u in joined])])
        pos = np.vstack([pos, _joined_affirmed(sentences, joined, encoder)])
    return DraftVectors(tuple(sentences), tuple(units), vecs, pos)


def _joined_affirmed(sentences, joined, encoder):
    import numpy as np

    rows = []
    for _, parents in joined:
        parts = [affirmed_text(sentences[i], reversal_only=True) for i in parents]
        parts = [p for p in parts if len(words(p)) >= 2]
        rows.append(encoder.encode_joined([parts])[0] if parts else np.zeros(384, dtype=np.float32))
    return np.array(rows).reshape(len(joined), -1)


def _reverses(text: str) -> bool:
    return bool(negated_scopes(text, reversal_only=True))


def element_similarities(draft: DraftVectors, reference: FormulationReference, encoder):
    """Elements x units: each unit's best similarity to any of the element's exemplars, by
    polarity (see the module's docstring). Descriptions are not match targets: they say what an
    element asks for, in rubric language a trainee could paste."""
    import numpy as np

    rows = []
    for element in reference.elements:
        targets = encoder.encode(list(element.exemplars))
        negating = np.array([_reverses(e) for e in element.exemplars])
        whole = draft.unit_vecs @ targets.T
        affirmed = draft.affirmed_vecs @ targets.T
        rows.append(np.where(negating[None, :], whole, affirmed).max(axis=1))
    return np.array(rows).reshape(len(reference.elements), len(draft.units))


def safety_action_units(draft: DraftVectors, encoder):
    """Per unit: does what it affirms describe a positive safety action (asking directly, a
    collaborative safety plan, crisis contacts, escalation)? Only these can earn a safety element."""
    import numpy as np

    sims = (draft.affirmed_vecs @ encoder.encode(list(SAFETY_ACTIONS)).T).max(axis=1)
    acts = np.array([bool(_ACTION.search(affirmed_text(u, reversal_only=True).lower())) for u, _ in draft.units])
    return (sims >= SAFETY_ACTION_MIN) & acts


def on_model_similarity(draft: DraftVectors, element_sims, reference: FormulationReference, encoder):
    """Per sentence: how much it sounds like sound IPT work (the generic on-model sentences, or
    any element of this reference, its exemplars or its description)."""
    import numpy as np

    n = len(draft.sentences)
    texts = list(ON_MODEL) + [e.description for e in reference.elements]
    generic = (draft.sent_vecs @ encoder.encode(texts).T).max(axis=1)
    return np.maximum(generic, element_sims[:, :n].max(axis=0))


def ramp(similarity: float) -> float:
    """Similarity to credit: nothing below ``MATCH_LOW``, all from ``MATCH_HIGH``, linear between."""
    return max(0.0, min(1.0, (similarity - MATCH_LOW) / (MATCH_HIGH - MATCH_LOW)))
