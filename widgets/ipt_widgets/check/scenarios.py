"""Check a scenario file (``scenarios:``) and a graded scenario's hidden key.

Errors: everything the loader and the structure rules refuse (unknown or missing fields,
unreachable turns, a ``next`` that names no turn, a missing fallback, a risk-cue turn without a
good ``[risk_inquiry]`` branch or an unsafe ``missed_risk`` one, a session path shorter than 6
turns), a hidden field in a released play file, and a play file that differs from its key.
Warning: an expert line the course's line coder does not code as one of the good branch's
techniques ("missing exemplars": add scenario exemplars for that turn, or reword the line).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..scenario_format import HIDDEN_BRANCH_FIELDS, HIDDEN_TURN_FIELDS, Scenario, load_scenarios
from ..schema import at
from .findings import Finding, error, warning


def _hidden_fields(path: Path, data: Any) -> list[Finding]:
    out = []
    for raw in data.get("scenarios") or [] if isinstance(data, Mapping) else []:
        turns = raw.get("turns") if isinstance(raw, Mapping) else None
        for tid, turn in (turns or {}).items() if isinstance(turns, Mapping) else []:
            if not isinstance(turn, Mapping):
                continue
            where = f"{path}, scenario {raw.get('id')!r}, turn {tid!r}"
            keys = [(turn, k) for k in HIDDEN_TURN_FIELDS if k in turn]
            for branch in turn.get("branches") or []:
                if isinstance(branch, Mapping):
                    keys += [(branch, k) for k in HIDDEN_BRANCH_FIELDS if k in branch]
            out += [
                error(
                    f"{at(where, holder, key)}: field {key!r} would be released to trainees; the key belongs in the "
                    "hidden test (python -m ipt_widgets.scenario_release writes this file from it)"
                )
                for holder, key in keys
            ]
    return out


def check_scenario_file(path: Path, data: Any, graded: bool, score: bool = True) -> list[Finding]:
    if graded:
        leaks = _hidden_fields(path, data)
        if leaks:
            return leaks
    loaded = load_scenarios(path, released=graded)
    findings = [error(e) for e in loaded.errors]
    if score and not graded:
        for scenario in loaded.values():
            findings += missing_exemplars(scenario, str(path))
    return findings


# Scoring expert lines loads the sentence encoder: `python -m ipt_widgets.check --no-scoring` skips it.
SCORING = {"on": True}


def _coder():
    if not SCORING["on"]:
        return None
    try:
        from ..scoring.line_coder import code_line  # noqa: F401  (the coder is installed)
        from ..scoring.scenario_coder import course_coder
    except ImportError:
        return None
    return course_coder


def missing_exemplars(scenario: Scenario, where: str, coder=None) -> list[Finding]:
    """A warning for each expert line the coder does not code as a good branch's technique."""
    coder = coder or _coder()
    if coder is None:
        return []
    out = []
    for turn in scenario.turns.values():
        good = turn.good_techniques()
        for line in turn.expert:
            code = coder(line, turn, scenario)
            technique = getattr(code, "technique", None)
            unsure = bool(getattr(code, "needs_review", False))
            if technique in good and not unsure:
                continue
            place = f"{where}, scenario {scenario.id!r}, turn {turn.id!r}"
            place += f", line {turn.line}" if turn.line else ""
            how = (
                f"is coded {technique!r} with too little confidence ({'; '.join(getattr(code, 'reasons', ()))})"
                if technique in good
                else f"is coded {technique!r}, not one of the good branch's {', '.join(good)}"
            )
            out.append(
                warning(
                    f"{place}: missing exemplars: the expert line {line[:60]!r} {how}; "
                    "add exemplars for this turn or reword the line"
                )
            )
    return out


def check_key(reference: Any, where: str, play_file: Path, item_id: str) -> list[Finding]:
    """A graded scenario's hidden key: valid, and the released play file says the same."""
    from ..scenario_release import parse_key, play_view

    scenario, data = parse_key(reference, where)  # raises ValueError: reported by the caller
    if scenario.id != item_id:
        return [error(f"{where}: the reference is scenario {scenario.id!r}, the test grades {item_id!r}")]
    import json

    from ..cases import read_case_yaml

    try:
        released = read_case_yaml(play_file).get("scenarios") or []
    except (ValueError, AttributeError):
        return [error(f"{play_file}: cannot be read as a scenario file")]
    match = [r for r in released if isinstance(r, Mapping) and r.get("id") == item_id]
    if not match or json.loads(json.dumps(match[0])) != play_view(data):
        return [
            error(
                f"{play_file}: scenario {item_id!r} differs from its key in the hidden test ({where}); run "
                f"python -m ipt_widgets.scenario_release {play_file.parent / (play_file.parent.name + '.ipynb')}"
            )
        ]
    return missing_exemplars(scenario, where)
