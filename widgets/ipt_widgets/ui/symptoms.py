"""SymptomTracker: enter PHQ-9 answers across sessions; totals, bands, trajectory and risk.

Practice mode computes everything as a clinical tool would. Graded mode asks the trainee to
compute the totals and interpret them, and plots what they entered. In both, any item-9 score
above 0 raises the safety prompt at once: that is a clinical duty, not a test question.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets
from traitlets import Dict, observe

from ..casebook import PHQ9Case
from ..feedback import notice_card
from ..figures import phq9_svg
from ..risk import RISK_ACTIONS
from ..scoring.phq9 import (
    N_ITEMS,
    band_label,
    interpretation,
    is_remission,
    is_response,
    needs_safety_assessment,
    parse_phq9,
    phq9_band,
    score_phq9,
)
from ..store import ResponseStore
from ..vocab import PHQ9_BANDS, PHQ9_ITEMS
from .base import GRADED, LABEL_STYLE, PRACTICE, StoredItemWidget, heading_html, heading_level

SAFETY_MESSAGE = (
    "Item 9 (thoughts of being better off dead or of self-harm) is above 0. Whatever the total, the "
    "clinician must ask about these thoughts directly the same day: how often, whether there is a plan, "
    "intent, access to means, past attempts and what keeps the person safe; then follow the service's "
    "risk protocol and discuss it in supervision. Acute risk needs urgent or crisis care: IPT alone is "
    "not the treatment for it."
)


def answers_table(case: PHQ9Case) -> str:
    """The patient's answers (frequency phrases) as a table: items down, sessions across."""
    head = "".join(f"<th scope='col' style='padding:2px 8px'>{escape(label)}</th>" for label in case.labels)
    rows = "".join(
        f"<tr><th scope='row' style='text-align:left;font-weight:normal;padding:2px 8px'>{k + 1}. {escape(item)}</th>"
        + "".join(f"<td style='padding:2px 8px'>{escape(session[k])}</td>" for session in case.answers)
        + "</tr>"
        for k, item in enumerate(PHQ9_ITEMS)
    )
    return (
        f"<table style='border-collapse:collapse;font-size:0.92em;margin:0.4em 0'>"
        f"<caption style='text-align:left'>What the patient answered (over the last two weeks)</caption>"
        f"<thead><tr><th scope='col' style='text-align:left;padding:2px 8px'>Item</th>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


class SymptomTracker(StoredItemWidget):
    """PHQ-9 item entry per session, with totals, severity bands, trajectory and the risk prompt.

    The ``answer`` trait holds ``sessions`` (per session, nine scores or None), ``totals``,
    ``band_intake``, ``response`` and ``remission`` (the trainee's reading), and ``risk``: per
    session, the action the trainee chose (a key of ``RISK_ACTIONS``, or None), in both modes.
    """

    answer = Dict().tag(sync=True)

    def __init__(self, case: PHQ9Case, store: ResponseStore, mode: str = PRACTICE, **kwargs):
        super().__init__(case.id, case.title, store, mode, case.reference is not None, **kwargs)
        self.case = case
        n = len(case.labels)
        self.answer = {
            "sessions": [[None] * N_ITEMS for _ in range(n)],
            "totals": [None] * n,
            "band_intake": None,
            "response": None,
            "remission": None,
            "risk": [None] * n,
        }
        score_options = [("—", None), ("0", 0), ("1", 1), ("2", 2), ("3", 3)]
        self._items = [
            [
                widgets.Dropdown(
                    options=score_options,
                    value=None,
                    description=f"Item {k + 1}:",
                    style=LABEL_STYLE,
                    layout=widgets.Layout(width="8em"),
                )
                for k in range(N_ITEMS)
            ]
            for _ in range(n)
        ]
        for s, column in enumerate(self._items):
            for k, control in enumerate(column):
                control.observe(lambda change, s=s, k=k: self.set_item(s, k, change["new"]), names="value")
        self._totals = [
            widgets.Dropdown(
                options=[("—", None)] + [(str(t), t) for t in range(28)],
                value=None,
                description="Total:",
                style=LABEL_STYLE,
                layout=widgets.Layout(width="8em"),
            )
            for _ in range(n)
        ]
        for s, control in enumerate(self._totals):
            control.observe(lambda change, s=s: self._set("totals", change["new"], s), names="value")
        self._band = widgets.Dropdown(
            options=[("—", None)] + [(label, key) for _, key, label in PHQ9_BANDS],
            value=None,
            description="Severity at intake:",
            style=LABEL_STYLE,
        )
        yes_no = [("—", None), ("Yes", "yes"), ("No", "no")]
        self._response = widgets.Dropdown(
            options=yes_no, value=None, style=LABEL_STYLE, description="Response at the last session (≥ 50% fall)?"
        )
        self._remission = widgets.Dropdown(
            options=yes_no, value=None, style=LABEL_STYLE, description="Remission at the last session (total < 5)?"
        )
        self._band.observe(lambda c: self._set("band_intake", c["new"]), names="value")
        self._response.observe(lambda c: self._set("response", c["new"]), names="value")
        self._remission.observe(lambda c: self._set("remission", c["new"]), names="value")
        self._risk = [self._risk_control(s, label) for s, label in enumerate(case.labels)]
        self._computed = widgets.HTML()
        self._safety = widgets.HTML()
        self._figure = widgets.HTML()
        columns = []
        for s, label in enumerate(case.labels):
            parts = [widgets.HTML(f"<strong>{escape(label)}</strong>"), *self._items[s]]
            if mode == GRADED:
                parts.append(self._totals[s])
            columns.append(widgets.VBox(parts, layout=widgets.Layout(margin="0 1em 0 0")))
        body = [
            widgets.HTML(heading_html(case.title, case.text, level=heading_level(mode))),
            widgets.HTML(answers_table(case)),
            widgets.HTML(
                "<strong>Score each item</strong>: not at all = 0, several days = 1, more than half the "
                "days = 2, nearly every day = 3."
            ),
            widgets.HBox(columns, layout=widgets.Layout(flex_flow="row wrap")),
            self._safety,
            widgets.HTML(
                "<strong>Decide the action each administration calls for</strong>, from item 9 and what the "
                "case tells you about plans, intent and means."
            ),
            *self._risk,
        ]
        if mode == GRADED:
            body += [widgets.HTML("<strong>Interpret the scores</strong>"), self._band, self._response, self._remission]
        body += [self._computed, self._figure]
        self.add_class("ipt-symptoms")
        self._finish(body)

    # -- public API ------------------------------------------------------------------------

    def set_item(self, session: int, item: int, score: int | None) -> None:
        """Enter one item score (session and item are 0-based), as the dropdown does."""
        if score is not None and (not isinstance(score, int) or not 0 <= score <= 3):
            raise ValueError(f"score: expected 0–3 or None, got {score!r}")
        if self.answer["sessions"][session][item] != score:
            sessions = [list(column) for column in self.answer["sessions"]]
            sessions[session][item] = score
            self.answer = {**self.answer, "sessions": sessions}

    def enter_items(self, sessions: list[list[int | None]]) -> None:
        """Enter every item score of every session at once (a list of nine scores per session)."""
        if len(sessions) != len(self.case.labels) or any(len(items) != N_ITEMS for items in sessions):
            raise ValueError(f"sessions: expected {len(self.case.labels)} lists of {N_ITEMS} scores")
        for s, items in enumerate(sessions):
            for k, score in enumerate(items):
                self.set_item(s, k, score)

    def interpret(
        self,
        totals: list[int | None] | None = None,
        band_intake: str | None = None,
        response: str | None = None,
        remission: str | None = None,
    ) -> None:
        """Enter the trainee's totals and reading of them (graded mode), as the dropdowns do."""
        update = {"band_intake": band_intake, "response": response, "remission": remission}
        if totals is not None:
            update["totals"] = list(totals)
        self.answer = {**self.answer, **{k: v for k, v in update.items() if v is not None}}

    def choose_action(self, session: int, action: str | None) -> None:
        """Choose the action one administration calls for (session is 0-based), as the radio group does."""
        if action is not None and action not in RISK_ACTIONS:
            raise ValueError(f"action: expected one of {', '.join(RISK_ACTIONS)} or None, got {action!r}")
        self._set("risk", action, session)

    def decide_risk(self, actions: list[str | None]) -> None:
        """Choose the action of every administration at once (one per session)."""
        if len(actions) != len(self.case.labels):
            raise ValueError(f"actions: expected {len(self.case.labels)} actions, one per session")
        for s, action in enumerate(actions):
            self.choose_action(s, action)

    # -- internals -------------------------------------------------------------------------

    def _risk_control(self, session: int, label: str) -> widgets.RadioButtons:
        control = widgets.RadioButtons(
            options=[(text, key) for key, text in RISK_ACTIONS.items()],
            value=None,
            description=f"Action after {label}:",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        control.observe(lambda change: self.choose_action(session, change["new"]), names="value")
        return control

    def _set(self, key: str, value: Any, index: int | None = None) -> None:
        if index is None:
            if self.answer.get(key) != value:
                self.answer = {**self.answer, key: value}
            return
        values = list(self.answer[key])
        if values[index] != value:
            values[index] = value
            self.answer = {**self.answer, key: values}

    @observe("answer")
    def _on_answer(self, change):
        if not self._built:
            return
        for s, column in enumerate(self._items):
            for k, control in enumerate(column):
                control.value = self.answer["sessions"][s][k]
            self._totals[s].value = self.answer["totals"][s]
        self._band.value = self.answer["band_intake"]
        self._response.value = self.answer["response"]
        self._remission.value = self.answer["remission"]
        for s, control in enumerate(self._risk):
            control.value = self.answer["risk"][s]
        self._changed()

    def _complete_totals(self) -> list[int | None]:
        return [sum(s) if all(v is not None for v in s) else None for s in self.answer["sessions"]]

    def _refresh(self) -> None:
        risky = [
            self.case.labels[s] for s, items in enumerate(self.answer["sessions"]) if needs_safety_assessment(items)
        ]
        self._safety.value = (
            notice_card(SAFETY_MESSAGE + " (" + ", ".join(risky) + ")", title="Safety: item 9 is positive")
            if risky
            else ""
        )
        if self.mode == PRACTICE:
            totals = self._complete_totals()
            lines = []
            for label, total in zip(self.case.labels, totals):
                text = "not all items scored yet" if total is None else f"{total}, {band_label(phq9_band(total))}"
                lines.append(f"<li>{escape(label)}: {escape(text)}</li>")
            if totals[0] is not None and totals[-1] is not None:
                lines.append(
                    f"<li>At the last session: response {'yes' if is_response(totals[0], totals[-1]) else 'no'}, "
                    f"remission {'yes' if is_remission(totals[-1]) else 'no'}.</li>"
                )
            self._computed.value = f"<ul style='margin:0.3em 0'>{''.join(lines)}</ul>"
        else:
            totals = self.answer["totals"]
        self._figure.value = phq9_svg(totals, list(self.case.labels))

    def _answer_json(self) -> Any:
        if self.mode == PRACTICE:
            # In practice the tool computes; store what it shows so a restart restores it.
            totals = self._complete_totals()
            truth = {"totals": totals}
            if totals[0] is not None and totals[-1] is not None:
                truth.update(
                    band_intake=phq9_band(totals[0]),
                    response="yes" if is_response(totals[0], totals[-1]) else "no",
                    remission="yes" if is_remission(totals[-1]) else "no",
                )
            return {**self.answer, **truth}
        return dict(self.answer)

    def _apply_saved(self, value: Any) -> str | None:
        parsed, problem = parse_phq9(value, len(self.case.labels))
        if parsed is not None:
            self.answer = {
                k: (list(map(list, v)) if k == "sessions" else list(v) if k == "totals" else v)
                for k, v in parsed.to_json().items()
            }
        return problem

    def _score(self):
        parsed, _ = parse_phq9(self._answer_json(), len(self.case.labels))
        return score_phq9(parsed, self.case.reference, list(self.case.labels))

    @property
    def expected(self) -> dict[str, Any]:
        """What a supervisor concludes (practice cases only)."""
        return interpretation(self.case.reference)
