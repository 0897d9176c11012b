"""Risk decisions: the actions a trainee chooses between, and the one list of scored parts that
count as evidence of the risk-assessment competency.

Bottom layer: imports nothing from the package. The scorers name their risk parts with these
ids, the hidden tests attach each item's parts to its feedback card, and the competency report
reads ``risk_assessment`` only from the parts named in :data:`RISK_PARTS`, never from whole-item
scores (a PHQ-9 item earns most of its points from arithmetic, which says nothing about risk).
"""

from __future__ import annotations

RISK_COMPETENCY = "risk_assessment"

# What one PHQ-9 administration calls for, from the least to the most urgent.
RISK_ACTIONS: dict[str, str] = {
    "monitor": "No action beyond routine monitoring",
    "ask_and_plan": ("Ask directly about thoughts, plan, intent and means, and make a collaborative safety plan"),
    "urgent": "Same-day urgent assessment and involve your supervisor",
}

# The PHQ-9 scorer's risk part, and the transcript scorer's (turns coded ``missed_risk``).
PHQ9_RISK_PART = "risk_action"
TRANSCRIPT_RISK_PART = "missed_risk"
# A simulated session's share of suicide-risk cues answered by asking directly (issue 15).
SCENARIO_RISK_PART = "scenario_risk"
RISK_PARTS: frozenset[str] = frozenset({PHQ9_RISK_PART, TRANSCRIPT_RISK_PART, SCENARIO_RISK_PART})
