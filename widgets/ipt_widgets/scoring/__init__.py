"""Scoring functions: pure, no widgets, no I/O, no warnings (safe inside nbgrader test cells)."""

from .classification import (
    AREA_SHARE_OF_DISPUTE,
    ClassificationAnswer,
    ClassificationScore,
    parse_classification,
    score_classification,
)


def score_draft(text, reference, **kwargs):
    """Score a free-text formulation or plan: see :func:`ipt_widgets.scoring.free_text.score_draft`.

    A wrapper, so importing ``ipt_widgets.scoring`` does not load the sentence encoder's modules.
    """
    from .free_text import score_draft as _score_draft

    return _score_draft(text, reference, **kwargs)


__all__ = [
    "AREA_SHARE_OF_DISPUTE",
    "ClassificationAnswer",
    "ClassificationScore",
    "parse_classification",
    "score_classification",
    "score_draft",
]
