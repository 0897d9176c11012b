"""A small deterministic coder for the scenario tests: a line's code is the technique id it
names in brackets ("[risk_inquiry] Are you thinking of suicide?"), else the technique whose
exemplar or branch example equals the line; "??" in a line makes it uncodable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SESSION = Path(__file__).parent.parent / "docs" / "authoring" / "examples" / "99_scenarios.yaml"


@dataclass(frozen=True)
class FakeCode:
    technique: str | None
    confidence: float
    needs_review: bool
    reasons: tuple[str, ...] = ()


def fake_coder(line, turn, scenario):
    if "??" in line:
        return FakeCode(None, 0.2, True, ("low confidence",))
    tagged = re.match(r"\[(\w+)\]", line)
    if tagged:
        return FakeCode(tagged.group(1), 0.9, False)
    for branch in turn.branches:
        if branch.example == line and not branch.is_fallback:
            return FakeCode(branch.techniques[0], 0.9, False)
    for technique, lines in turn.exemplars.items():
        if line in lines:
            return FakeCode(technique, 0.9, False)
    return FakeCode("exploratory_question" if not turn.risk_cue else "missed_risk", 0.8, False)


def load_session():
    from ipt_widgets.scenario_format import load_scenarios

    return load_scenarios(SESSION, strict=True)["s99_test_session"]


def perfect_session(reference) -> dict:
    """A saved session that takes the first good branch at every turn, chosen from the options."""
    from ipt_widgets.scenario_release import parse_key

    scenario, _ = parse_key(reference, "test")
    steps, turn = [], scenario.start
    while turn != "end":
        branches = scenario.turns[turn].branches
        index = next(i for i, b in enumerate(branches) if b.rating == "good")
        steps.append({"turn": turn, "line": branches[index].example, "branch": index, "option": True})
        turn = branches[index].next
    return {"scenario": scenario.id, "steps": steps, "path": [s["turn"] for s in steps] + ["end"], "done": True}


def partial_session(reference) -> tuple[dict, float]:
    """A saved session that takes an unhelpful branch at the first turn, then good ones (options),
    and the fraction of the points the documented rules give it."""
    from ipt_widgets.scenario_format import RATINGS
    from ipt_widgets.scenario_release import parse_key

    scenario, _ = parse_key(reference, "test")
    steps, values, turn = [], [], scenario.start
    while turn != "end":
        branches = scenario.turns[turn].branches
        wanted = ("unhelpful", "unsafe") if not steps else ("good",)
        index = next(i for i, b in enumerate(branches) if b.rating in wanted)
        steps.append({"turn": turn, "line": branches[index].example, "branch": index, "option": True})
        values.append(RATINGS[branches[index].rating])
        turn = branches[index].next
    value = {"scenario": scenario.id, "steps": steps, "path": [s["turn"] for s in steps] + ["end"], "done": True}
    return value, sum(values) / len(values)


def scenario_secrets(reference) -> list[str]:
    """What a graded scenario's key holds that its released play file must not: aims, expert
    lines and the supervisor's feedback (minus any text the play file shows anyway)."""
    from ipt_widgets.scenario_release import parse_key, play_view

    scenario, data = parse_key(reference, "test")
    shown = str(play_view(data))
    secrets = [t.aim for t in scenario.turns.values()] + [x for t in scenario.turns.values() for x in t.expert]
    secrets += [b.feedback for t in scenario.turns.values() for b in t.branches]
    return [s for s in secrets if s not in shown]
