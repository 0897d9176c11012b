"""AdherenceRater: rate a whole session on the IPT adherence and quality checklist, as a supervisor
would, and compare the rating with the expert's (scoring/adherence.py)."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets
from traitlets import Dict, observe

from ..adherence_cases import AdherenceSession
from ..scoring.adherence import CHECKLIST, ITEMS, NA, RATING_LABELS, parse_rating, parse_ratings, score_adherence
from ..store import ResponseStore
from .base import LABEL_STYLE, PRACTICE, StoredItemWidget, heading_html, heading_level
from .transcript import turn_html


def transcript_html(session: AdherenceSession) -> str:
    """The session as the trainee reads it, therapist turns numbered (the expert's reasons cite them)."""
    number, lines = 0, []
    for turn in session.turns:
        if turn.speaker == "therapist":
            number += 1
        lines.append(turn_html(turn.speaker, turn.text, number if turn.speaker == "therapist" else None))
    return f"<section aria-label='Transcript of {escape(session.title)}'>{''.join(lines)}</section>"


def guide_html(number: int, key: str) -> str:
    item = ITEMS[key]
    return (
        f"<p style='margin:0.7em 0 0.1em;max-width:56em;line-height:1.4'><strong>{number}. {escape(item.label)}"
        f"</strong><br><span style='color:#37474f;font-size:0.92em'>{escape(item.guide)}</span></p>"
    )


class AdherenceRater(StoredItemWidget):
    """Rate every checklist item; the ``ratings`` trait maps item keys to 2, 1, 0 or "na"."""

    ratings = Dict().tag(sync=True)

    def __init__(self, session: AdherenceSession, store: ResponseStore, mode: str = PRACTICE, **kwargs):
        super().__init__(session.id, session.title, store, mode, session.reference is not None, **kwargs)
        self.session = session
        self._controls: dict[str, widgets.Dropdown] = {}
        heading = heading_html(session.title, session.context, "Session", heading_level(mode))
        body: list[widgets.Widget] = [widgets.HTML(heading), widgets.HTML(transcript_html(session))]
        body.append(
            widgets.HTML(
                "<p style='margin:1em 0 0.2em'><strong>Your rating.</strong> Rate each item 2 (yes, done well), "
                "1 (partly) or 0 (no); N/A is offered only where an item may not apply.</p>"
            )
        )
        for number, item in enumerate(CHECKLIST, start=1):
            options = [("— rate this item —", None)] + [(RATING_LABELS[r], r) for r in (2, 1, 0)]
            if item.allows_na:
                options.append((RATING_LABELS[NA], NA))
            control = widgets.Dropdown(
                options=options,
                value=None,
                description=f"Item {number}, your rating:",
                style=LABEL_STYLE,
                layout=widgets.Layout(width="24em", max_width="100%", margin="0 0 0.3em 0"),
            )
            control.observe(lambda change, key=item.key: self.rate(key, change["new"]), names="value")
            self._controls[item.key] = control
            body += [widgets.HTML(guide_html(number, item.key)), control]
        self.add_class("ipt-adherence")
        self._finish(body, check_label="Compare with the expert")

    def rate(self, item: str, rating: Any) -> None:
        """Rate one checklist item (e.g. "affect") 2, 1, 0 or "na"; None clears it."""
        if item not in self._controls:
            raise ValueError(f"item: expected one of {', '.join(self._controls)}, got {item!r}")
        value = parse_rating(rating) if rating is not None else None
        if rating is not None and value is None:
            raise ValueError(f"rating: expected 2, 1, 0 or 'na', got {rating!r}")
        if value == NA and not ITEMS[item].allows_na:
            raise ValueError(f"rating: item {item!r} applies to every session, so N/A is not offered")
        ratings = {k: v for k, v in self.ratings.items() if k != item}
        if value is not None:
            ratings[item] = value
        self.ratings = ratings

    def rate_all(self, ratings: dict[str, Any]) -> None:
        """Rate several items at once: {"mood_events": 2, "risk": "na", ...}."""
        for item, rating in ratings.items():
            self.rate(item, rating)

    @observe("ratings")
    def _on_ratings(self, change):
        if not self._built:
            return
        for key, control in self._controls.items():
            control.value = self.ratings.get(key)
        self._changed()

    def _answer_json(self) -> Any:
        return {"ratings": dict(self.ratings)}

    def _apply_saved(self, value: Any) -> str | None:
        ratings, problem = parse_ratings(value)
        if ratings is not None:
            self.ratings = ratings
        return problem

    def _score(self):
        return score_adherence(dict(self.ratings), self.session.reference)
