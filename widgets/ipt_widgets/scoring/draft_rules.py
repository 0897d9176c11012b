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
# Hedging across areas, dispute stage.
HEDGED_CAP = 0.40
STAGE_CAP = 0.45  # near the classifier's half credit for a dispute at the wrong stage
STAGE_CLEAR = 0.50
STAGE_MARGIN = 0.10
# Unsafe practice: capped, explained, sent for review; any off-model hit caps too.
UNSAFE_CAP = 0.40
UNSAFE_SIMILARITY = 0.72  # without a cue, an unsafe kind needs a sentence this close to a prototype
OFF_MODEL_HIT_CAP = 0.60
# Safety elements earn credit only from a positive safety action.
SAFETY_ACTION_MIN = 0.45
# A draft that does nothing about a safety element's risk (no positive safety action at all) is
# capped below half credit and sent for review: a supervisor would not pass it, however good the rest.
SAFETY_MISSED_CAP = 0.45
# Copying and specificity: a sentence is copied when this share of its word trigrams (sentences
# of at least COPY_MIN_WORDS words) is found in the source.
COPY_SHARE = 0.6
COPY_MIN_WORDS = 6
COPIED_MAJORITY = 0.5  # share of sentences copied from exemplars or the expert answer -> review
RETELL_SIM = 0.80  # a sentence this close to a vignette sentence retells it
RETELL_MAJORITY = 0.5  # share of the draft's sentences retelling the vignette -> RETELL_CAP
RETELL_CAP = 0.25
FOREIGN_NAMES_REVIEW = 2
# Share of the draft's own content words found nowhere in the case: another patient's story.
FOREIGN_SHARE = 0.65
FOREIGN_MIN_WORDS = 10
FOREIGN_CAP = 0.25
LENGTH_REVIEW = 2.5  # times the asked length
