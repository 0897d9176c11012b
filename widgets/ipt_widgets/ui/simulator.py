"""SessionSimulator: a simulated patient. The trainee says the next therapist line in their own
words; the line is coded by technique and the patient answers along the branch it selects.

Practice mode reacts at each turn (the code, a rating, the supervisor's feedback, the aim) and
asks to reword a line the coder cannot code; the end shows the path, each line's code beside
the expert's alternatives, and an adherence-style summary, with "Start again". Graded mode shows
only the session; every line and the path are saved at once (``<notebook>.responses.json``), a
line that cannot be coded takes the fallback and is flagged for review, and grading re-codes the
lines (:mod:`ipt_widgets.scenario_grading`). Choosing one of the listed lines is the fallback
for a tablet or a screen reader.
"""

from __future__ import annotations

import hashlib
from typing import Any

import ipywidgets as widgets

from ..feedback import notice_card
from ..scenario_feedback import reaction_card, reword_card, summary_html, transcript_html
from ..scenario_format import Scenario
from ..scoring import scenario as engine
from ..store import ResponseStore
from .base import GRADED, PRACTICE, StoredItemWidget, heading_html, heading_level
from .keyboard import KeyboardScope


def _steps_from(value: Any) -> list[engine.Step] | None:
    if not isinstance(value, dict) or not isinstance(value.get("steps"), list):
        return None
    steps = []
    for raw in value["steps"]:
        if not isinstance(raw, dict) or not isinstance(raw.get("turn"), str) or not isinstance(raw.get("line"), str):
            return None
        branch = raw.get("branch")
        if isinstance(branch, bool) or not isinstance(branch, int):
            return None
        technique = raw.get("technique") if isinstance(raw.get("technique"), str) else None
        steps.append(
            engine.Step(
                raw["turn"],
                raw["line"],
                branch,
                technique,
                needs_review=bool(raw.get("needs_review")),
                option=bool(raw.get("option")),
            )
        )
    return steps


def option_order(scenario_id: str, turn_id: str, examples: list[str]) -> list[tuple[str, int]]:
    """The listed lines as (text, branch index), in an order fixed per turn but unrelated to the
    branches' order: authors list the good branch first, and a list that always opened with it
    would give the answer away to anyone choosing from options."""

    def key(item: tuple[int, str]) -> str:
        return hashlib.sha256(f"{scenario_id}/{turn_id}/{item[1]}".encode()).hexdigest()

    return [(text, index) for index, text in sorted(enumerate(examples), key=key)]


class SessionSimulator(StoredItemWidget):
    """A branching simulated session (see docs/authoring/scenarios.md).

    Parameters
    ----------
    scenario
        A :class:`~ipt_widgets.scenario_format.Scenario` (from :func:`load_scenarios`).
    store
        Where the session is saved (one file per notebook).
    mode
        "practice" or "graded" (a graded play file has no ratings: nothing is shown until grading).
    coder
        ``coder(line, turn, scenario)``; default: the course's line coder.
    """

    def __init__(self, scenario: Scenario, store: ResponseStore, mode: str = PRACTICE, *, coder=None, **kwargs: Any):
        if mode == PRACTICE and scenario.released:
            raise ValueError(f"scenario {scenario.id!r}: a graded play file has no ratings; use mode='graded'")
        super().__init__(scenario.id, scenario.title, store, mode, True, **kwargs)
        self.scenario = scenario
        self._coder = coder
        self.state = engine.start(scenario)
        self.transcript = widgets.HTML(value="")
        self.line_box = widgets.Textarea(
            value="",
            placeholder="Write what you would say next to the patient, in your own words.",
            description="Your next line",
            layout=widgets.Layout(width="100%", height="5em"),
            style={"description_width": "initial"},
        )
        self.say_button = widgets.Button(
            description="Say it", button_style="primary", tooltip="Say this line to the patient"
        )
        self.options = widgets.RadioButtons(
            options=[], value=None, description="Or choose a line", layout=widgets.Layout(width="100%")
        )
        self.option_button = widgets.Button(description="Say the chosen line", tooltip="Say the line chosen above")
        self.summary = widgets.HTML(value="")
        self.restart_button = widgets.Button(
            description="Start again", tooltip="Start the session again from the beginning"
        )
        self.say_button.on_click(lambda _: self._say_clicked())
        self.option_button.on_click(lambda _: self._option_clicked())
        self.restart_button.on_click(lambda _: self.restart())
        self.controls = widgets.VBox(
            [self.line_box, self.say_button, self.options, self.option_button], layout=widgets.Layout(width="100%")
        )
        level = heading_level(mode)
        brief = f"{scenario.patient_name}. {scenario.brief}"
        self.add_class("ipt-simulator")
        self._layout(
            [
                widgets.HTML(heading_html(scenario.title, brief, label="Session", level=level)),
                self.transcript,
                self.controls,
            ]
        )

    # -- layout and persistence ------------------------------------------------------------

    def _layout(self, body: list[widgets.Widget]) -> None:
        """Like StoredItemWidget._finish, without its check buttons: each line is its own check."""
        self._built = True
        self.children = [*body, self.feedback, self.summary, self.restart_button, self.status, KeyboardScope()]
        self._restore()
        self._restoring = False
        self._refresh()

    def _answer_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "steps": [s.to_json() for s in self.state.steps],
            "path": list(self.state.path),
            "done": self.state.done,
        }

    def _apply_saved(self, value: Any) -> str | None:
        steps = _steps_from(value)
        if steps is None:
            return "expected a saved session (its steps)"
        state = engine.replay(self.scenario, steps)
        self.state = state
        if len(state.steps) != len(steps):
            return f"only the first {len(state.steps)} of {len(steps)} saved lines fit this scenario"
        return None

    def _refresh(self) -> None:
        self.transcript.value = transcript_html(self.scenario, self.state)
        done = self.state.done
        self.controls.layout.display = "none" if done else None
        if not done:
            turn = self.scenario.turns[self.state.turn]
            choices = option_order(self.scenario.id, self.state.turn, [b.example for b in turn.branches])
            if list(self.options.options) != choices:
                self.options.options = choices
                self.options.value = None
        graded = self.mode == GRADED
        if done:
            score = None if graded else engine.score_session(self.scenario, self.state)
            self.summary.value = summary_html(self.scenario, self.state, score, show_key=not graded)
        else:
            self.summary.value = ""
        # Graded: one session, kept; practice: start again at any time once a line is said.
        self.restart_button.layout.display = "none" if graded or not self.state.steps else None

    # -- playing ---------------------------------------------------------------------------

    @property
    def coder(self):
        if self._coder is None:
            from ..scoring.scenario_coder import course_coder

            self._coder = course_coder
        return self._coder

    def say(self, line: str) -> engine.Outcome:
        """Say ``line`` at the current turn (as if typed and "Say it" pressed)."""
        uncodable = "fallback" if self.mode == GRADED else "ask"
        outcome = engine.advance(self.scenario, self.state, line, self.coder, uncodable=uncodable)
        self._after(outcome)
        return outcome

    def choose(self, index: int) -> engine.Outcome:
        """Say the listed line number ``index`` (0-based) at the current turn."""
        outcome = engine.choose(self.scenario, self.state, index)
        self._after(outcome)
        return outcome

    def play(self, lines: list[str | int]) -> None:
        """Say each line in turn (an int chooses that option): the model answer of a graded cell."""
        for line in lines:
            self.choose(line) if isinstance(line, int) else self.say(line)

    def restart(self) -> None:
        """Start the session again (practice mode; the saved session is replaced)."""
        if self.mode == GRADED:
            return
        self.state = engine.start(self.scenario)
        self.feedback.value = ""
        self.line_box.value = ""
        self._refresh()
        self._save()

    def _after(self, outcome: engine.Outcome) -> None:
        if outcome.needs_reword:
            self.feedback.value = reword_card(outcome.step)
            return
        self.state = outcome.state
        self.line_box.value = ""
        if self.mode == PRACTICE:
            self.feedback.value = reaction_card(self.scenario, outcome.step)
        else:
            self.feedback.value = ""
        self._refresh()
        self._save()

    def _say_clicked(self) -> None:
        if not self.line_box.value.strip():
            self.feedback.value = notice_card(
                "Write your next line in the box first, or choose one of the lines.", title="Nothing to say yet"
            )
            return
        try:
            self.say(self.line_box.value)
        except (ValueError, RuntimeError, OSError) as exc:  # the coder failed: keep the line, say so
            self.feedback.value = notice_card(
                f"Your line could not be coded: {exc}. Try again, or choose a line.", title="Not coded"
            )

    def _option_clicked(self) -> None:
        if self.options.value is None:
            self.feedback.value = notice_card(
                "Choose one of the lines first (arrow keys move between them).", title="No line chosen"
            )
            return
        self.choose(self.options.value)

    def check(self):
        """Nothing to check at once: the session reacts line by line."""
        if self.mode == GRADED:
            return super().check()
        return engine.score_session(self.scenario, self.state) if self.state.steps else None


__all__ = ["GRADED", "PRACTICE", "SessionSimulator"]
