"""A small deterministic coder for the scenario tests: a line's code is the technique id it
names in brackets ("[risk_inquiry] Are you thinking of suicide?"), else the technique whose
exemplar or branch example equals the line; "??" in a line makes it uncodable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
SESSION = FIXTURES / "session.yaml"


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
