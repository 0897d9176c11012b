"""TranscriptCoder: label each therapist turn of a session excerpt with its IPT technique."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets
from traitlets import Dict, observe

from ..casebook import Transcript
from ..scoring.transcript import parse_codes, score_transcript, turn_key
from ..store import ResponseStore
from ..vocab import TECHNIQUES
from .base import LABEL_STYLE, PRACTICE, StoredItemWidget, heading_html, heading_level


def turn_html(speaker: str, text: str, number: int | None) -> str:
    who = f"Therapist (turn {number})" if speaker == "therapist" else "Patient"
    colour = "#0b57a4" if speaker == "therapist" else "#455a64"
    indent = "0" if speaker == "therapist" else "2em"
    return (
        f"<p style='margin:0.5em 0 0.2em {indent};max-width:56em;line-height:1.45'>"
        f"<strong style='color:{colour}'>{who}:</strong> {escape(text)}</p>"
    )


class TranscriptCoder(StoredItemWidget):
    """Code every therapist turn; the ``codes`` trait maps "t1", "t2", ... to technique keys."""

    codes = Dict().tag(sync=True)

    def __init__(self, transcript: Transcript, store: ResponseStore, mode: str = PRACTICE, **kwargs):
        super().__init__(transcript.id, transcript.title, store, mode, transcript.reference is not None, **kwargs)
        self.transcript = transcript
        options = [("— choose a technique —", None)] + [(t.label, t.key) for t in TECHNIQUES.values()]
        self._controls: dict[str, widgets.Dropdown] = {}
        heading = heading_html(transcript.title, transcript.context, "Transcript", heading_level(mode))
        body: list[widgets.Widget] = [widgets.HTML(heading)]
        number = 0
        for turn in transcript.turns:
            if turn.speaker == "therapist":
                number += 1
                key = turn_key(number)
                control = widgets.Dropdown(
                    options=options,
                    value=None,
                    description=f"Technique, turn {number}:",
                    style=LABEL_STYLE,
                    layout=widgets.Layout(margin="0 0 0.6em 0"),
                )
                control.observe(lambda change, key=key: self.code(key, change["new"]), names="value")
                self._controls[key] = control
                body += [widgets.HTML(turn_html(turn.speaker, turn.text, number)), control]
            else:
                body.append(widgets.HTML(turn_html(turn.speaker, turn.text, None)))
        self.add_class("ipt-transcript")
        self._finish(body)

    def code(self, turn: str, technique: str | None) -> None:
        """Label one therapist turn ("t1", ...) with a technique key, or None to clear it."""
        if turn not in self._controls:
            raise ValueError(f"turn: expected one of {', '.join(self._controls)}, got {turn!r}")
        if technique is not None and technique not in TECHNIQUES:
            raise ValueError(f"technique: expected one of {', '.join(TECHNIQUES)}, got {technique!r}")
        codes = {k: v for k, v in self.codes.items() if k != turn}
        if technique is not None:
            codes[turn] = technique
        self.codes = codes

    def code_all(self, codes: dict[str, str | None]) -> None:
        """Label several turns at once: {"t1": "exploratory", ...}."""
        for turn, technique in codes.items():
            self.code(turn, technique)

    @observe("codes")
    def _on_codes(self, change):
        if not self._built:
            return
        for key, control in self._controls.items():
            control.value = self.codes.get(key)
        self._changed()

    def _answer_json(self) -> Any:
        return {"codes": dict(self.codes)}

    def _apply_saved(self, value: Any) -> str | None:
        codes, problem = parse_codes(value)
        if codes is not None:
            self.codes = {k: v for k, v in codes.items() if k in self._controls}
        return problem

    def _score(self):
        return score_transcript(dict(self.codes), self.transcript.reference)
