"""The documented figures of free-text scoring, in one place (README and authoring guide quote them).

Set once on the development set (tests/free_text/dev_set.yaml), the same for every reference.
"""

from __future__ import annotations

# Evidence: similarity to an exemplar -> share of an element's points.
MATCH_LOW = 0.35
MATCH_HIGH = 0.70
MET, PARTLY = 0.75, 0.30
# About this patient: credit x (FLOOR + rest in proportion to case words, full from SPECIFIC_WORDS).
SPECIFIC_FLOOR = 0.40
SPECIFIC_WORDS = 12
# Off-model practice.
OFF_MODEL_SIMILARITY = 0.45
OFF_MODEL_MARGIN = 0.05
OFF_MODEL_DEDUCTION = 0.25
OFF_MODEL_MAJORITY = 0.4
OFF_MODEL_CAP = 0.25
# Problem area.
WRONG_AREA_CAP = 0.15
AREA_MARGIN = 0.10
AREA_CLEAR = 0.50
# Length.
MAX_WORDS = 600
SHORT_WORDS = 15
