"""Step 3 of the line coder: the technique a line is nearest to by meaning.

Each technique's score is the mean of the line's two highest cosine similarities to its
exemplars (general ones plus the scenario turn's own), computed with the course's sentence
encoder; text rules then adjust it where the encoder reads poorly (hedged advice and advice
disclaimers).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..techniques import MISSED_RISK, RISK_INQUIRY, TECHNIQUES
from . import line_cues
from .line_cues import cue_counts
from .line_exemplars import general_exemplars
from .line_rules import after_disclaimer, disclaims_advice, hedged_advice

TOP_K = 2
# missed_risk by meaning alone (no cue, no rule): only a line this close to a leading question
# or contract exemplar.
MISSED_BY_MEANING = 0.75
ADVICE_BOOST = 0.16


@dataclass(frozen=True)
class Match:
    best: str
    similarity: float  # how close the line is to any exemplar (before the rule adjustments)
    runner_up: str
    margin: float  # best minus runner-up
    note: str = ""


@lru_cache(maxsize=1)
def _general():
    """The general exemplars embedded once: (technique per row, unit vectors)."""
    from .encoder import get_encoder

    labels, lines = [], []
    for technique, exemplars in general_exemplars().items():
        labels += [technique] * len(exemplars)
        lines += exemplars
    encoder = get_encoder()
    encoder.preload(lines)
    return tuple(labels), encoder.encode(lines)


def turn_exemplars(extra: dict | None) -> tuple[list[str], list[str]]:
    """A turn's own exemplars: (technique per line, lines as they are embedded)."""
    labels = [t for t, lines in (extra or {}).items() for _ in lines]
    return labels, [" ".join(line.split()) for lines in (extra or {}).values() for line in lines]


def warm(extra: dict | None = None) -> None:
    """Embed the general exemplars and a turn's own into the disk cache (the grader, before grading)."""
    from .encoder import get_encoder

    _general()
    lines = turn_exemplars(extra)[1]
    if lines:
        get_encoder().preload(lines)


def technique_scores(text: str, extra: dict | None = None) -> dict[str, float]:
    """Each technique's score: the mean of the line's TOP_K best similarities to its exemplars."""
    import numpy as np

    from .encoder import get_encoder

    labels, vecs = _general()
    encoder = get_encoder()
    extra_labels, extra_lines = turn_exemplars(extra)
    if extra_lines:  # a turn's own exemplars are fixed texts of the key: through the disk cache
        encoder.preload(extra_lines)
    line_vec = encoder.encode([text])[0]
    sims = vecs @ line_vec
    if extra_lines:
        sims = np.concatenate([sims, encoder.encode(extra_lines) @ line_vec])
        labels = labels + tuple(extra_labels)
    by_technique: dict[str, list[float]] = {}
    for label, sim in zip(labels, sims):
        by_technique.setdefault(label, []).append(float(sim))
    return {t: float(np.mean(sorted(s, reverse=True)[:TOP_K])) for t, s in by_technique.items()}


def match_line(text: str, extra: dict | None = None) -> Match:
    """The nearest technique to the line, with the rule adjustments."""
    note = ""
    if disclaims_advice(text):
        text = after_disclaimer(text) or text
        note = "read after its 'I won't tell you what to do, but'"
    scores = technique_scores(text, extra)
    nearest = max(scores.values())
    # Two wordings of one technique in a line say more than one: the boost counts up to two.
    for technique, hits in cue_counts(text).items():
        scores[technique] = scores.get(technique, 0.0) + line_cues.CUE_BOOST * min(hits, line_cues.MAX_HITS)
    if hedged_advice(text):
        scores["advice"] = scores.get("advice", 0.0) + ADVICE_BOOST
        note = note or "tells the patient what to do, even if hedged"
    if scores.get(MISSED_RISK, 0.0) < MISSED_BY_MEANING:
        scores.pop(MISSED_RISK, None)
    # Asking about risk is decided by the risk rules (a direct question naming suicide, plan,
    # means or safety); a line that reached here names none of them.
    scores.pop(RISK_INQUIRY, None)
    ranked = sorted(scores, key=lambda t: (-scores[t], list(TECHNIQUES).index(t)))
    best, second = ranked[0], ranked[1]
    return Match(best, nearest, second, scores[best] - scores[second], note)
