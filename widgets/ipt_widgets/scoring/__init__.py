"""Scoring functions: pure, no widgets, no I/O, no warnings (safe inside nbgrader test cells)."""

from .classification import (
    AREA_SHARE_OF_DISPUTE,
    ClassificationAnswer,
    ClassificationScore,
    parse_classification,
    score_classification,
)

__all__ = [
    "AREA_SHARE_OF_DISPUTE",
    "ClassificationAnswer",
    "ClassificationScore",
    "parse_classification",
    "score_classification",
]
