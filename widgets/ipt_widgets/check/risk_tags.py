"""An item tagged ``risk_assessment`` must score a risk decision (issue 14).

The competency report reads its risk column only from risk decision parts
(:data:`ipt_widgets.risk.RISK_PARTS`), so the tag belongs on an item that has one: a PHQ-9 item
whose reference gives ``risk`` (the action each administration calls for), or a transcript
whose reference keys at least one turn ``missed_risk``. Any other item with the tag would put
the trainee in the risk column on the strength of something else (sums, a formulation).
"""

from __future__ import annotations

import ast
from typing import Any

from ..risk import TRANSCRIPT_RISK_PART


def grading_call(text: str) -> tuple[str | None, Any]:
    """(grading function, reference) of a hidden test's source; (None, None) when there is none.
    A reference that is not a literal is returned as None (the reference check reports it)."""
    try:
        tree = ast.parse(text)  # nbgrader's hidden-test markers are comments
    except SyntaxError:
        return None, None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.startswith("grade_"):
            args = dict(zip(("notebook", "item_id", "reference", "points"), node.args))
            args.update({k.arg: k.value for k in node.keywords if k.arg})
            try:
                return node.func.id, ast.literal_eval(args["reference"]) if "reference" in args else None
            except ValueError:
                return node.func.id, None
    return None, None


def risk_decision_problem(text: str, cell_type: str = "code") -> str:
    """Why a cell tagged risk_assessment does not score a risk decision, or '' when it does."""
    if cell_type != "code":
        return "a written answer scores no risk decision"
    name, reference = grading_call(text)
    if name == "grade_scenario":  # the reference is the scenario's YAML text
        risky = isinstance(reference, str) and "risk_cue: true" in reference
        return "" if risky else "its scenario has no turn with risk_cue: true"
    reference = reference if isinstance(reference, dict) else {}
    if name == "grade_phq9":
        return "" if reference.get("risk") else "its PHQ-9 reference has no 'risk' (the action for each session)"
    if name == "grade_transcript":
        turns = reference.get("turns") if isinstance(reference.get("turns"), list) else []
        keyed = [t for t in turns if isinstance(t, dict) and t.get("technique") == TRANSCRIPT_RISK_PART]
        return "" if keyed else f"its transcript reference keys no turn {TRANSCRIPT_RISK_PART!r}"
    return f"{name or 'it'} scores no risk decision"
