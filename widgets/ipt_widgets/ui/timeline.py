"""MoodTimeline: rate mood week by week, place the events, and link onset and worsening."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from traitlets import Dict, List, Unicode, observe

from ..casebook import TimelineCase
from ..figures import timeline_svg
from ..scoring.timeline import parse_timeline, score_timeline
from ..store import ResponseStore
from .base import LABEL_STYLE, PRACTICE, StoredItemWidget, heading_html, heading_level

DEFAULT_MOOD = 5


def _aligned() -> dict:
    return {"style": {"description_width": "22em"}, "layout": widgets.Layout(width="40em")}


class MoodTimeline(StoredItemWidget):
    """The mood thermometer over the weeks before intake, with the interpersonal events.

    Traits: ``mood`` (one rating 0–10 per week), ``event_weeks`` (event id -> week),
    ``onset`` and ``worsening`` (event ids).
    """

    mood = List().tag(sync=True)
    event_weeks = Dict().tag(sync=True)
    onset = Unicode(None, allow_none=True).tag(sync=True)
    worsening = Unicode(None, allow_none=True).tag(sync=True)

    def __init__(self, case: TimelineCase, store: ResponseStore, mode: str = PRACTICE, **kwargs):
        super().__init__(case.id, case.title, store, mode, case.reference is not None, **kwargs)
        self.case = case
        self.mood = [DEFAULT_MOOD] * case.weeks
        self._sliders = [
            widgets.IntSlider(
                value=DEFAULT_MOOD,
                min=0,
                max=10,
                orientation="vertical",
                description=f"Wk {w}",
                tooltip=f"Mood in week {w}, 0 (lowest) to 10 (best)",  # the handle's name for screen readers
                continuous_update=False,
                style=LABEL_STYLE,
                layout=widgets.Layout(width="3.6em"),
            )
            for w in range(1, case.weeks + 1)
        ]
        for week, slider in enumerate(self._sliders):
            slider.observe(lambda change, week=week: self._set_mood(week, change["new"]), names="value")
        week_options = [("— not placed —", None)] + [(f"Week {w}", w) for w in range(1, case.weeks + 1)]
        self._event_controls = {}
        for event in case.events:
            # A fixed label width lines the dropdowns up, whatever the events are called.
            control = widgets.Dropdown(
                options=week_options,
                value=None,
                description=f"{event.label}:",
                **_aligned(),
            )
            control.observe(lambda change, eid=event.id: self._set_event_week(eid, change["new"]), names="value")
            self._event_controls[event.id] = control
        event_options = [("— choose an event —", None)] + [(e.label, e.id) for e in case.events]
        # Same label column as the event dropdowns: with ipywidgets' default width the long label
        # squeezed the list to a sliver.
        self._onset = widgets.Dropdown(
            options=event_options, value=None, description="Linked to the onset:", **_aligned()
        )
        self._worsening = widgets.Dropdown(
            options=event_options, value=None, description="Linked to the clearest worsening:", **_aligned()
        )
        widgets.link((self, "onset"), (self._onset, "value"))
        widgets.link((self, "worsening"), (self._worsening, "value"))
        self._figure = widgets.HTML()
        self.add_class("ipt-timeline")
        self._finish(
            [
                widgets.HTML(heading_html(case.title, case.text, level=heading_level(mode))),
                widgets.HTML(
                    "<strong>1. Rate the mood each week</strong> (0 = lowest, 10 = best; drag or use the arrow keys)"
                ),
                widgets.HBox(self._sliders, layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HTML("<strong>2. When did each event happen?</strong>"),
                widgets.VBox(list(self._event_controls.values())),
                widgets.HTML("<strong>3. Link the mood to the events</strong>"),
                self._onset,
                self._worsening,
                self._figure,
            ]
        )

    def set_mood(self, ratings: list[int]) -> None:
        """Set every week's rating at once (as moving each slider would)."""
        if len(ratings) != self.case.weeks or any(not isinstance(r, int) or not 0 <= r <= 10 for r in ratings):
            raise ValueError(f"mood: expected {self.case.weeks} whole numbers from 0 to 10")
        self.mood = list(ratings)

    def place_event(self, event_id: str, week: int | None) -> None:
        self._event_controls[event_id].value = week

    def link(self, onset: str | None = None, worsening: str | None = None) -> None:
        """Link the onset and the clearest worsening to events (ids), as the two dropdowns do."""
        known = {e.id for e in self.case.events}
        for name, event_id in (("onset", onset), ("worsening", worsening)):
            if event_id is not None and event_id not in known:
                raise ValueError(f"{name}: {event_id!r} is not an event of this case ({', '.join(sorted(known))})")
        if onset is not None:
            self.onset = onset
        if worsening is not None:
            self.worsening = worsening

    def _set_mood(self, week: int, value: int) -> None:
        if self.mood[week] != value:
            mood = list(self.mood)
            mood[week] = value
            self.mood = mood

    def _set_event_week(self, event_id: str, week: int | None) -> None:
        weeks = {k: v for k, v in self.event_weeks.items() if k != event_id}
        if week is not None:
            weeks[event_id] = week
        self.event_weeks = weeks

    @observe("mood")
    def _on_mood(self, change):
        if not self._built:
            return
        for slider, value in zip(self._sliders, self.mood):
            slider.value = value
        self._changed()

    @observe("event_weeks", "onset", "worsening")
    def _on_links(self, change):
        self._changed()

    def _refresh(self) -> None:
        labels = {e.id: e.label for e in self.case.events}
        kinds = {self.onset: "onset", self.worsening: "worsening"}
        events = [
            (labels[e], w, kinds.get(e, ""))
            for e, w in sorted(self.event_weeks.items(), key=lambda x: x[1])
            if e in labels
        ]
        self._figure.value = timeline_svg(self.mood, events, title=f"Mood and events: {self.case.title}")

    def _answer_json(self) -> Any:
        return {
            "mood": list(self.mood),
            "event_weeks": dict(self.event_weeks),
            "onset": self.onset,
            "worsening": self.worsening,
        }

    def _apply_saved(self, value: Any) -> str | None:
        answer, problem = parse_timeline(value, self.case.weeks)
        if answer is not None:
            known = {e.id for e in self.case.events}
            self.mood = list(answer.mood)
            for event_id, week in answer.event_weeks.items():
                if event_id in known:
                    self._event_controls[event_id].value = week
            self.onset = answer.onset if answer.onset in known else None
            self.worsening = answer.worsening if answer.worsening in known else None
        return problem

    def _score(self):
        answer, _ = parse_timeline(self._answer_json(), self.case.weeks)
        return score_timeline(answer, self.case.reference, list(self.case.events))
