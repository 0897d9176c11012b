"""The course's line coder, as the ``coder(line, turn, scenario)`` the scenario engine takes.

The coder itself (:mod:`ipt_widgets.scoring.line_coder`) codes one therapist line in the context
of the patient's turn: the turn's text, whether it carries a suicide-risk cue, the scenario's
problem area, and the turn's own exemplars per technique. Imported lazily: it loads the
sentence encoder, which only a played or graded scenario needs.
"""

from __future__ import annotations

from typing import Any

from ..scenario_format import Scenario, Turn


def context_for(turn: Turn, scenario: Scenario) -> Any:
    """The coder's LineContext for a line said at ``turn``."""
    from .line_coder import LineContext

    return LineContext(
        patient=turn.patient,
        risk_cue=turn.risk_cue,
        area=scenario.area,
        exemplars={k: list(v) for k, v in turn.exemplars.items()},
        expected=turn.good_techniques(),
    )


def course_coder(line: str, turn: Turn, scenario: Scenario) -> Any:
    """Code ``line`` said at ``turn`` with the course's line coder (a LineCode)."""
    from .line_coder import code_line

    return code_line(line, context_for(turn, scenario))
